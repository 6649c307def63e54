//! `regaudit notice lint` and `regaudit notice draft` through the CLI: exit
//! statuses, every output format, masking, and drafts that `scan` loads.

mod common;

use common::{regaudit, root};
use regaudit::report::OutputFormat;
use serde_json::Value;

const NOTICES: &str = "fixtures/notices";

fn notice(name: &str) -> String {
    format!("{NOTICES}/{name}")
}

fn lint_json(args: &[&str]) -> (i32, Value) {
    let out = regaudit()
        .args([
            "notice",
            "lint",
            "--format",
            "json",
            "--as-of",
            "2026-11-22",
        ])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, json)
}

fn rules(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_old_rekisteriseloste_gets_its_findings_with_quotes_and_exit_1() {
    let (code, report) = lint_json(&[&notice("helpten-rekisteriseloste-2011.txt")]);
    assert_eq!(code, 1);
    let found = rules(&report);
    for rule in [
        "NTC004", "NTC009", "NTC010", "NTC012", "NTC015", "NTC017", "NTC020",
    ] {
        assert!(
            found.iter().any(|r| r == rule),
            "{rule} missing from {found:?}"
        );
    }
    for rule in ["NTC011", "NTC019", "NTC008", "NTC016"] {
        assert!(
            !found.iter().any(|r| r == rule),
            "{rule} should not fire: {found:?}"
        );
    }
    let ntc015 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "NTC015")
        .unwrap();
    assert!(ntc015["evidence"]
        .as_str()
        .unwrap()
        .contains("Henkilötietolain 10 §"));
    assert_eq!(ntc015["row"], 5);
    assert_eq!(ntc015["severity"], "medium");
    // Items that do not apply are coverage, not findings.
    let skipped: Vec<&str> = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "skipped")
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert!(skipped.contains(&"NTC011"), "{skipped:?}");
}

#[test]
fn a_complete_notice_exits_0_and_several_files_are_one_report() {
    let (code, report) = lint_json(&[&notice("written-en-complete.md")]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["total"], 0);
    let (code, report) = lint_json(&[
        &notice("written-sv-complete.txt"),
        &notice("harmonia-rekisteriseloste.txt"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(report["inputs"].as_array().unwrap().len(), 2);
    let (code, _) = lint_json(&[
        "--fail-on",
        "never",
        &notice("harmonia-rekisteriseloste.txt"),
    ]);
    assert_eq!(code, 0);
    let (code, report) = lint_json(&[
        "--select",
        "NTC015",
        &notice("harmonia-rekisteriseloste.txt"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(rules(&report), ["NTC015"]);
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    let out = regaudit()
        .args(["notice", "lint", "no/such/notice.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/notice.txt"));
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Rekisterinpit\xe4j\xe4").unwrap();
    let out = regaudit()
        .args(["notice", "lint"])
        .arg(&latin1)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
    let out = regaudit()
        .args([
            "notice",
            "lint",
            "--select",
            "XYZ001",
            &notice("written-en-complete.md"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_output_format_renders_and_quotes_are_masked_unless_revealed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notice.txt");
    std::fs::write(
        &path,
        "1. REKISTERINPITÄJÄ\nEsimerkki Oy, Esimerkkikatu 1, 00100 Helsinki\n\n2. KÄYTTÖTARKOITUS\nTietoja käsitellään suostumuksella, lisätietoja antaa maija.meikalainen@example.fi tai 040 123 4567.\n",
    )
    .unwrap();
    for format in OutputFormat::ALL {
        let out = regaudit()
            .args([
                "notice",
                "lint",
                "--as-of",
                "2026-11-22",
                "--format",
                &format.name(),
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", format.name());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("NTC011"), "{}: {text}", format.name());
        assert!(
            !text.contains("maija.meikalainen@example.fi"),
            "{} leaks the e-mail",
            format.name()
        );
        assert!(
            !text.contains("123 4567"),
            "{} leaks the phone",
            format.name()
        );
    }
    let out = regaudit()
        .args(["notice", "lint", "--format", "json", "--reveal"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("maija.meikalainen@example.fi"));
}

#[test]
fn reports_are_written_0600_and_the_same_twice() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("report.json");
    let run = || {
        regaudit()
            .args([
                "notice",
                "lint",
                "--as-of",
                "2026-11-22",
                "--format",
                "json",
                "--output",
            ])
            .arg(&out_path)
            .arg(notice("heltti-jasenrekisteri.txt"))
            .arg(notice("wellflix-asiakasrekisteri.txt"))
            .assert()
            .code(1);
        std::fs::read(&out_path).unwrap()
    };
    let first = run();
    assert_eq!(first, run());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn drafts_of_every_fixture_notice_load_in_scan() {
    let dir = tempfile::tempdir().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(root().join(NOTICES))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| !n.ends_with(".toml") && n != "README.md")
        .collect();
    names.sort();
    assert!(names.len() >= 15);
    for name in names {
        let draft = dir.path().join(format!("{name}.notice.toml"));
        regaudit()
            .args(["notice", "draft", &notice(&name), "--output"])
            .arg(&draft)
            .assert()
            .code(0);
        let text = std::fs::read_to_string(&draft).unwrap();
        regaudit::notice::parse_notice(&draft, &text)
            .unwrap_or_else(|d| panic!("draft of {name} does not load: {d}\n{text}"));
        let out = regaudit()
            .args(["scan", "--notice"])
            .arg(&draft)
            .args([
                "--data",
                "fixtures/harmonia/asiakkaat.csv",
                "--as-of",
                "2026-11-22",
            ])
            .output()
            .unwrap();
        assert_ne!(
            out.status.code(),
            Some(2),
            "scan refused the draft of {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_harmonia_draft_reads_the_issue_examples() {
    let out = regaudit()
        .args(["notice", "draft", &notice("harmonia-rekisteriseloste.txt")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let notice = regaudit::notice::parse_notice(std::path::Path::new("draft.toml"), &text).unwrap();
    assert_eq!(notice.controller, "Hyvinvointiohjaajat Harmonia Oy");
    assert_eq!(notice.business_id.as_deref(), Some("2096006-8"));
    assert!(notice.excludes("user.government_id.national_identification_number"));
    let retention = notice.retention.unwrap();
    assert_eq!(retention.anchors, [regaudit::columns::Role::LastService]);
    assert_eq!(
        Some(retention.period),
        regaudit::notice::Period::parse("24 months")
    );
    assert!(
        text.contains("Henkilötunnuksia ei kerätä"),
        "exclusion quotes its sentence"
    );
    assert!(text.contains("TODO"), "the missing legal basis is a TODO");
}

#[test]
fn explain_prints_an_ntc_rule() {
    let out = regaudit().args(["explain", "NTC007"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("transfer-without-safeguards"));
    assert!(text.contains("GDPR Art. 13(1)(f)"));
}

#[test]
fn the_readme_ntc_table_is_the_notice_catalogue() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let rows: Vec<(String, String, String)> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| NTC id | name | severity |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<String> = l.split('|').map(|c| c.trim().to_string()).collect();
            (cells[1].clone(), cells[2].clone(), cells[3].clone())
        })
        .collect();
    let catalogue: Vec<(String, String, String)> = regaudit::notice_lint::catalogue::notice_rules()
        .into_iter()
        .map(|m| (m.id, m.name, m.severity.to_string()))
        .collect();
    assert_eq!(rows, catalogue);
}

#[test]
fn notice_toml_is_linted_with_the_metadata_checks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notice.toml");
    std::fs::write(
        &path,
        "[notice]\ncontroller = \"Esimerkki Oy\"\nregister = \"Asiakkaat\"\n[[purposes]]\nname = \"Uutiskirje\"\nlegal_basis = \"consent\"\n[categories]\ndeclared = [\"user.name\", \"user.government_id.national_identification_number\"]\nexcluded = [\"user.government_id\"]\n[retention]\nfrom = []\nperiod = \"24 months\"\n",
    )
    .unwrap();
    let (code, report) = lint_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(rules(&report), ["NTC021", "NTC022", "NTC023"]);
    // The five hand-written notices of the fixtures pass.
    for name in ["harmonia", "helpten", "heltti", "plusterveys", "wellflix"] {
        let (code, report) = lint_json(&[&format!("fixtures/{name}/notice.toml")]);
        assert_eq!(code, 0, "{name}: {report}");
    }
    // A notice.toml that does not load is an input error.
    std::fs::write(&path, "[notice]\ncontroller = 1\n").unwrap();
    let out = regaudit()
        .args(["notice", "lint"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("notice.toml"));
}
