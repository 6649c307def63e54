//! `scan --data` with no notice: the rules that need none run, the others are
//! skipped and every report says which (issue: the DPO's migration check).

mod common;

use common::{fixture, regaudit, rules_fired, scan_json, AS_OF};
use serde_json::Value;

/// The rules whose metadata says they compare the data with a notice.
const NEED_A_NOTICE: [&str; 6] = ["ID001", "CAT001", "LB002", "RET001", "MKT002", "TRF001"];

fn path(p: std::path::PathBuf) -> String {
    p.display().to_string()
}

#[test]
fn data_alone_runs_the_rules_that_need_no_notice_and_names_the_others() {
    let data = path(fixture("harmonia").join("asiakkaat.csv"));
    let (code, report) = scan_json(&["--data", &data]);
    assert_eq!(code, 1, "findings of notice-free rules still fail the scan");
    let fired = rules_fired(&report);
    // The harmonia export copies an identity code into its notes (ID003) and
    // has malformed values (ACC001) and unevidenced consents (LB003).
    for rule in ["ID003", "ACC001", "LB003"] {
        assert!(
            fired.iter().any(|r| r == rule),
            "{rule} should run: {fired:?}"
        );
    }
    for rule in NEED_A_NOTICE {
        assert!(!fired.iter().any(|r| r == rule), "{rule} needs a notice");
    }
    let notices = report["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0]["given"], Value::Bool(false));
    let skipped: Vec<&str> = notices[0]["rules_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(skipped, NEED_A_NOTICE);
    // Coverage says the same, per rule and file.
    for rule in NEED_A_NOTICE {
        let entries: Vec<&Value> = report["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["rule"] == rule)
            .collect();
        assert!(!entries.is_empty(), "{rule} has no coverage entry");
        for c in entries {
            assert_eq!(c["status"], "skipped", "{c}");
            assert!(
                c["reason"].as_str().unwrap().starts_with("no notice given"),
                "{c}"
            );
        }
    }
}

#[test]
fn the_table_names_the_skipped_rules_and_how_to_run_them() {
    let data = path(fixture("harmonia").join("asiakkaat.csv"));
    let out = regaudit()
        .args(["scan", "--data", &data, "--as-of", AS_OF])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(
            "No notice for register asiakkaat: skipped ID001, CAT001, LB002, RET001, MKT002, TRF001"
        ),
        "{text}"
    );
    assert!(text.contains("give --notice FILE to run them"), "{text}");
}

#[test]
fn erasure_requests_and_health_words_need_no_notice() {
    let erasure = path(fixture("rules/RET002").join("data.csv"));
    let (_, report) = scan_json(&["--data", &erasure]);
    assert!(rules_fired(&report).iter().any(|r| r == "RET002"));

    let health = path(fixture("rules/CAT002").join("data.csv"));
    let (_, report) = scan_json(&["--data", &health]);
    let cat002: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CAT002")
        .collect();
    assert!(
        !cat002.is_empty(),
        "health words are reported without a notice"
    );
    for f in cat002 {
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("no notice was given"),
            "the message must not claim what a notice says: {f}"
        );
    }
}

#[test]
fn with_a_notice_nothing_is_skipped_for_lack_of_one() {
    let dir = fixture("harmonia");
    let (_, report) = scan_json(&[
        "--notice",
        &path(dir.join("notice.toml")),
        "--data",
        &path(dir.join("asiakkaat.csv")),
    ]);
    let notice = &report["notices"][0];
    assert_eq!(notice["given"], Value::Bool(true));
    assert_eq!(notice["rules_skipped"], Value::Array(Vec::new()));
    assert!(rules_fired(&report).iter().any(|r| r == "ID001"));
}

#[test]
fn rule_metadata_says_which_rules_need_a_notice() {
    let out = regaudit()
        .args(["rules", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rules: Value = serde_json::from_slice(&out).unwrap();
    let needing: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["needs_notice"] == Value::Bool(true))
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(needing, NEED_A_NOTICE);
}
