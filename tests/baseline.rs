//! Baselines and the allowlist through the CLI: next month's export keeps its
//! known findings `existing` (renamed file, reordered, added and removed
//! other rows, a changed unrelated column), a new violating record is `new`
//! and fails the scan, a removed one is `fixed`; `[[allow]]` entries
//! suppress with a reason, stop when expired, and are reported when unused.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const HEADER: &str = "asiakasnumero,nimi,lisätiedot,viimeisin_kaynti";
/// A2 has an identity code in its notes (ID001, high) and is past retention
/// (RET001, high); the others are clean.
const ROWS: [&str; 3] = [
    "A1,Maija,soita ensin,2026-01-01",
    "A2,Kalle,hetu 131052-308T laskulle,2024-01-01",
    "A3,Teemu,,2026-02-01",
];

/// A project folder: notice, config naming `file`, and the export.
fn project(file: &str, rows: &[String], allow: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_month(dir.path(), file, rows, allow);
    dir
}

fn write_month(dir: &Path, file: &str, rows: &[String], allow: &str) {
    write(dir, "notice.toml", NOTICE_EXCLUDING_HETU);
    write(dir, file, format!("{HEADER}\n{}\n", rows.join("\n")));
    write(
        dir,
        "regaudit.toml",
        format!(
            "[registers.asiakkaat]\nnotice = \"notice.toml\"\ndata = \"{file}\"\nkey = \"asiakasnumero\"\n{allow}"
        ),
    );
}

fn rows(edit: impl FnOnce(&mut Vec<String>)) -> Vec<String> {
    let mut rows: Vec<String> = ROWS.iter().map(|r| r.to_string()).collect();
    edit(&mut rows);
    rows
}

struct Run {
    code: i32,
    report: Value,
    stderr: String,
}

fn scan_in(dir: &Path, extra: &[&str]) -> Run {
    let out = regaudit()
        .arg("scan")
        .arg(dir)
        .args(["--format", "json", "--as-of", AS_OF])
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let code = out.status.code().unwrap();
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Run {
        code,
        report,
        stderr,
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Writes a baseline of October's export and returns its path.
fn october_baseline(dir: &Path) -> PathBuf {
    let baseline = dir.join("baseline.json");
    let run = scan_in(dir, &["--write-baseline", path_str(&baseline)]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("baseline of 2 findings"),
        "{}",
        run.stderr
    );
    baseline
}

/// `RULE record state` of every finding, sorted.
fn states(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {report}"))
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["rule"].as_str().unwrap(),
                f["record"].as_str().unwrap_or("-"),
                f["baseline_state"].as_str().unwrap_or("none")
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn next_months_export_keeps_known_findings_existing() {
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), "");
    let baseline = october_baseline(dir.path());
    // Without the baseline the same export fails: the baseline is what passes it.
    assert_eq!(scan_in(dir.path(), &[]).code, 1);

    let variants: Vec<(&str, Vec<String>)> = vec![
        ("the same rows", rows(|_| {})),
        ("reordered rows", rows(|r| r.reverse())),
        (
            "another row added",
            rows(|r| r.insert(0, "A0,Anna,,2026-03-01".into())),
        ),
        (
            "another row removed",
            rows(|r| {
                r.remove(0);
            }),
        ),
        (
            "an unrelated column changed",
            rows(|r| r[1] = "A2,Kalle Kokeilija,hetu 131052-308T laskulle,2024-01-01".into()),
        ),
    ];
    for (what, month) in variants {
        // November's export under its own name; October's file is gone.
        std::fs::remove_file(dir.path().join("asiakkaat-2026-10.csv")).ok();
        std::fs::remove_file(dir.path().join("asiakkaat-2026-11.csv")).ok();
        write_month(dir.path(), "asiakkaat-2026-11.csv", &month, "");
        let run = scan_in(dir.path(), &["--baseline", path_str(&baseline)]);
        assert_eq!(
            states(&run.report),
            ["ID001 A2 existing", "RET001 A2 existing"],
            "{what}"
        );
        assert_eq!(
            run.code, 0,
            "{what}: only new findings fail\n{}",
            run.stderr
        );
        let summary = &run.report["baseline"];
        assert_eq!(
            (&summary["new"], &summary["existing"], &summary["fixed"]),
            (&Value::from(0), &Value::from(2), &Value::from(0)),
            "{what}"
        );
        assert!(run.report["findings"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("asiakkaat-2026-11.csv"));
    }
}

#[test]
fn a_new_violating_record_is_new_and_fails_the_scan() {
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), "");
    let baseline = october_baseline(dir.path());
    write_month(
        dir.path(),
        "asiakkaat-2026-10.csv",
        &rows(|r| r.push("A4,Liisa,hetu 150385-234K,2026-01-01".into())),
        "",
    );
    let run = scan_in(dir.path(), &["--baseline", path_str(&baseline)]);
    assert_eq!(
        states(&run.report),
        ["ID001 A2 existing", "ID001 A4 new", "RET001 A2 existing"]
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.report["baseline"]["new"], 1);
    assert_eq!(run.report["baseline"]["new_by_severity"]["high"], 1);
    // The new finding is high: a threshold above it passes.
    let run = scan_in(
        dir.path(),
        &["--baseline", path_str(&baseline), "--fail-on", "critical"],
    );
    assert_eq!(run.code, 0);

    // The table shows the state: a `new` column and the examples marked.
    let out = regaudit()
        .arg("scan")
        .arg(dir.path())
        .args(["--as-of", AS_OF, "--baseline", path_str(&baseline)])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("┆ new ┆"), "{table}");
    assert!(table.contains("A4: 150385-***K [new]"), "{table}");
    assert!(table.contains("A2: 131052-***T [existing]"), "{table}");
    assert!(
        table.contains("baseline: 1 new, 2 existing, 0 fixed"),
        "{table}"
    );
}

#[test]
fn a_removed_violating_record_is_fixed() {
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), "");
    let baseline = october_baseline(dir.path());
    write_month(
        dir.path(),
        "asiakkaat-2026-10.csv",
        &rows(|r| {
            r.remove(1);
        }),
        "",
    );
    let run = scan_in(dir.path(), &["--baseline", path_str(&baseline)]);
    assert_eq!(run.code, 0);
    assert_eq!(run.report["findings"].as_array().unwrap().len(), 0);
    let summary = &run.report["baseline"];
    assert_eq!(summary["fixed"], 2);
    let fixed: Vec<&str> = summary["fixed_findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert_eq!(fixed, ["ID001", "RET001"]);
    // The table lists what was fixed.
    let out = regaudit()
        .arg("scan")
        .arg(dir.path())
        .args(["--as-of", AS_OF, "--baseline", path_str(&baseline)])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Fixed since the baseline"), "{table}");
    assert!(table.contains("0 new, 0 existing, 2 fixed"), "{table}");
}

#[test]
fn the_baseline_file_is_private_versioned_and_holds_no_personal_value() {
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), "");
    let baseline = october_baseline(dir.path());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&baseline).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&baseline).unwrap();
    for value in ["A2", "Kalle", "131052", "308T", "laskulle", "2024-01-01"] {
        assert!(!text.contains(value), "baseline leaks {value}:\n{text}");
    }
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["format"], "regaudit-baseline");
    assert_eq!(json["version"], 1);
    assert_eq!(json["total"], 2);
    let report = scan_in(dir.path(), &[]).report;
    assert_eq!(json["fingerprint_key"], report["fingerprint_key"]);
    let entry = &json["findings"][0];
    assert_eq!(entry["register"], "asiakkaat");
    assert_eq!(entry["rule"], "ID001");
    assert_eq!(entry["column"], "lisätiedot");
    assert_eq!(entry["count"], 1);
    assert_eq!(entry["fingerprint"], report["findings"][0]["fingerprint"]);
}

#[test]
fn a_baseline_made_with_another_key_is_refused() {
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), "");
    let baseline = october_baseline(dir.path());
    let out = regaudit()
        .env("REGAUDIT_FINGERPRINT_KEY", "another team's key")
        .arg("scan")
        .arg(dir.path())
        .args(["--as-of", AS_OF, "--baseline", path_str(&baseline)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("baseline.json"), "{stderr}");
    assert!(stderr.contains("fingerprint key"), "{stderr}");
    assert!(stderr.contains("--write-baseline"), "{stderr}");
}

#[test]
fn a_broken_baseline_file_is_an_input_error() {
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), "");
    let bad = write(
        dir.path(),
        "baseline.json",
        "{\"format\": \"regaudit-baseline\",\n oops}",
    );
    let run = scan_in(dir.path(), &["--baseline", path_str(&bad)]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("baseline.json:2:"), "{}", run.stderr);
    let other = write(dir.path(), "other.json", r#"{"tool": "regaudit"}"#);
    let run = scan_in(dir.path(), &["--baseline", path_str(&other)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a regaudit baseline"),
        "{}",
        run.stderr
    );
}

const ALLOW_A2: &str = r#"
[[allow]]
rule = "ID001"
record = "A2"
reason = "Kept for the pending court case; erased after it"
owner = "dpo@example.fi"
"#;

#[test]
fn an_allowlist_entry_with_a_reason_suppresses_its_finding() {
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), ALLOW_A2);
    let run = scan_in(dir.path(), &["--select", "ID"]);
    assert_eq!(
        run.code, 0,
        "the only ID finding is allowed\n{}",
        run.stderr
    );
    let finding = &run.report["findings"][0];
    assert_eq!(finding["rule"], "ID001");
    let suppressed = &finding["suppressed"];
    assert_eq!(
        suppressed["reason"],
        "Kept for the pending court case; erased after it"
    );
    assert_eq!(suppressed["owner"], "dpo@example.fi");
    assert!(suppressed["entry"]
        .as_str()
        .unwrap()
        .ends_with("regaudit.toml:6"));
    assert_eq!(run.report["allowlist"]["suppressed"], 1);
    assert_eq!(run.report["allowlist"]["entries"][0]["status"], "active");
    // The other finding of the record still counts.
    let run = scan_in(dir.path(), &[]);
    assert_eq!(run.code, 1);
    // Without the entry the same scan fails.
    let plain = project("asiakkaat-2026-10.csv", &rows(|_| {}), "");
    assert_eq!(scan_in(plain.path(), &["--select", "ID"]).code, 1);
    // Suppressed findings are not recorded in a baseline.
    let baseline = dir.path().join("b.json");
    scan_in(dir.path(), &["--write-baseline", path_str(&baseline)]);
    let text = std::fs::read_to_string(&baseline).unwrap();
    assert!(!text.contains("ID001"), "{text}");
    assert!(text.contains("RET001"), "{text}");
    // The table lists it apart, with its reason.
    let out = regaudit()
        .arg("scan")
        .arg(dir.path())
        .args(["--as-of", AS_OF, "--select", "ID"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Suppressed by the allowlist"), "{table}");
    assert!(table.contains("pending court case"), "{table}");
    assert!(table.contains("1 suppressed by the allowlist"), "{table}");
}

#[test]
fn an_expired_entry_stops_suppressing_and_is_reported() {
    let allow = format!("{ALLOW_A2}expires = 2026-11-01\n");
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), &allow);
    let run = scan_in(dir.path(), &["--select", "ID"]);
    assert_eq!(run.code, 1);
    assert!(run.report["findings"][0].get("suppressed").is_none());
    let entry = &run.report["allowlist"]["entries"][0];
    assert_eq!(entry["status"], "expired");
    assert_eq!(entry["matched"], 1);
    assert_eq!(entry["expires"], "2026-11-01");
    assert!(
        run.stderr
            .contains("regaudit.toml:6: allowlist entry expired on 2026-11-01"),
        "{}",
        run.stderr
    );
    // The day before it expires, it still suppresses.
    let run = regaudit()
        .arg("scan")
        .arg(dir.path())
        .args([
            "--format",
            "json",
            "--as-of",
            "2026-10-31",
            "--select",
            "ID",
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
}

#[test]
fn an_unused_entry_is_reported() {
    let allow = "\n[[allow]]\nrecord = \"A9\"\nreason = \"customer left in 2025\"\n";
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), allow);
    let run = scan_in(dir.path(), &[]);
    assert_eq!(run.code, 1);
    let entry = &run.report["allowlist"]["entries"][0];
    assert_eq!(entry["status"], "unused");
    assert_eq!(entry["matched"], 0);
    assert!(
        run.stderr
            .contains("regaudit.toml:6: allowlist entry matches no finding"),
        "{}",
        run.stderr
    );
    // --quiet keeps stderr clean.
    let run = scan_in(dir.path(), &["--quiet"]);
    assert_eq!(run.stderr, "");
}

#[test]
fn allowlist_errors_name_the_file_and_line() {
    let cases = [
        (
            "\n[[allow]]\nrule = \"ID001\"\n",
            "regaudit.toml:6:1: `allow[0]` has no `reason`",
        ),
        (
            "\n[[allow]]\nrule = \"ID001\"\nreason = \"  \"\n",
            "regaudit.toml:8:10: `allow[0].reason` is empty",
        ),
        (
            "\n[[allow]]\nrule = \"ID001\"\nreason = \"r\"\nexpires = \"2026-13-01\"\n",
            "regaudit.toml:9:11: `allow[0].expires` = `2026-13-01` is not a date",
        ),
        (
            "\n[[allow]]\nreason = \"everything\"\n",
            "matches nothing: give at least one of rule, register, column, record, fingerprint",
        ),
        (
            "\n[[allow]]\nrule = \"ID001\"\nreason = \"r\"\nowner = \"x\"\nuntil = \"2027-01-01\"\n",
            "unknown key",
        ),
    ];
    for (allow, expected) in cases {
        let dir = project("a.csv", &rows(|_| {}), allow);
        let run = scan_in(dir.path(), &[]);
        assert_eq!(run.code, 2, "{allow}");
        assert!(
            run.stderr.contains(expected),
            "{allow}\nexpected {expected}\ngot {}",
            run.stderr
        );
    }
}

#[test]
fn marks_are_the_same_when_findings_spill_to_disk() {
    let allow = "\n[[allow]]\nrule = \"RET001\"\nreason = \"archived on paper\"\n";
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), allow);
    let baseline = october_baseline_with(dir.path(), 1);
    write_month(
        dir.path(),
        "asiakkaat-2026-10.csv",
        &rows(|r| r.push("A4,Liisa,hetu 150385-234K,2026-01-01".into())),
        allow,
    );
    let in_memory = scan_in(dir.path(), &["--baseline", path_str(&baseline)]);
    let spilled = scan_in(
        dir.path(),
        &[
            "--baseline",
            path_str(&baseline),
            "--findings-in-memory",
            "1",
        ],
    );
    assert_eq!(in_memory.report, spilled.report);
    assert_eq!(
        states(&spilled.report),
        ["ID001 A2 existing", "ID001 A4 new", "RET001 A2 new"]
    );
    // RET001 is allowed, so it was never recorded and now is new but suppressed.
    let ret = &spilled.report["findings"][2];
    assert_eq!(ret["rule"], "RET001");
    assert_eq!(ret["suppressed"]["reason"], "archived on paper");
    assert_eq!(spilled.code, 1, "ID001 A4 is new and not allowed");
}

fn october_baseline_with(dir: &Path, in_memory: usize) -> PathBuf {
    let baseline = dir.join("baseline.json");
    let run = scan_in(
        dir,
        &[
            "--write-baseline",
            path_str(&baseline),
            "--findings-in-memory",
            &in_memory.to_string(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    baseline
}

#[test]
fn sarif_and_markdown_show_baseline_states_and_suppressions() {
    let allow = "\n[[allow]]\nrule = \"RET001\"\nreason = \"archived on paper\"\n";
    let dir = project("asiakkaat-2026-10.csv", &rows(|_| {}), allow);
    let baseline = october_baseline_with(dir.path(), 1000);
    write_month(
        dir.path(),
        "asiakkaat-2026-10.csv",
        &rows(|r| r.push("A4,Liisa,hetu 150385-234K,2026-01-01".into())),
        allow,
    );
    let sarif = dir.path().join("report.sarif");
    let markdown = dir.path().join("comment.md");
    let csv = dir.path().join("findings.csv");
    let out = regaudit()
        .arg("scan")
        .arg(dir.path())
        .args(["--as-of", AS_OF, "--baseline", path_str(&baseline)])
        .args(["--output", &format!("sarif:{}", path_str(&sarif))])
        .args(["--output", &format!("markdown:{}", path_str(&markdown))])
        .args(["--output", &format!("csv:{}", path_str(&csv))])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    // baselineState and suppressions as the official 2.1.0 schema defines them.
    assert_valid_sarif(&sarif);
    let mut states: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r["ruleId"].as_str().unwrap(),
                r["baselineState"].as_str().unwrap(),
                r["suppressions"][0]["justification"]
                    .as_str()
                    .unwrap_or("-")
            )
        })
        .collect();
    states.sort();
    assert_eq!(
        states,
        [
            "ID001 new -",
            "ID001 unchanged -",
            "RET001 new archived on paper"
        ]
    );
    let comment = std::fs::read_to_string(&markdown).unwrap();
    assert!(
        comment.contains("Against the baseline: **2 new**, 1 existing, 0 fixed"),
        "{comment}"
    );
    assert!(
        comment.contains("1 suppressed by the allowlist"),
        "{comment}"
    );
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let mut marks: Vec<String> = reader
        .deserialize::<std::collections::HashMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            // The entry's place: the config's path and the entry's line.
            let entry = r["suppressed_by"].rsplit('/').next().unwrap().to_string();
            format!("{} {} {entry}", r["rule"], r["baseline_state"])
        })
        .collect();
    marks.sort();
    assert_eq!(
        marks,
        [
            "ID001 existing ",
            "ID001 new ",
            "RET001 new regaudit.toml:6"
        ]
    );
}
