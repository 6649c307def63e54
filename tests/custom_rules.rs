//! Custom rules loaded with `--rules DIR`: each generic kind runs beside the
//! built-in set, and errors in rule files name the file, line and column.

mod common;

use common::*;
use predicates::prelude::*;

const DOC: &str = r#"
[doc]
what = "Checks something the organisation cares about."
why = "Because the policy says so, and auditors check the policy."
example = "A row with the thing is reported; a row without it is clean."
"#;

fn rule_file(id: &str, check: &str) -> String {
    format!(
        "id = \"{id}\"\nname = \"custom-{id}\"\nseverity = \"medium\"\nlegal = [\"Internal policy 1.2\"]\nsummary = \"A custom check.\"\n{DOC}\n[check]\n{check}\n"
    )
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notice.toml", NOTICE_EXCLUDING_HETU);
    write(
        dir.path(),
        "data.csv",
        "asiakasnumero,lisätiedot,tilinumero,luotu,sähköposti,viimeisin_palvelutapahtuma\n\
         A1,maksaa tililtä FI2112345600000785,FI2112345600000785,2020-01-01,maija@example.fi,2026-01-01\n\
         A2,tili FI2112345600000786 väärin,,2025-06-01,,2026-01-01\n\
         A3,ei tilitietoja,,2010-03-01,kalle@example.fi,2026-01-01\n",
    );
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    dir
}

fn scan(dir: &std::path::Path, select: &str) -> serde_json::Value {
    let (_, report) = scan_json(&[
        "--notice",
        dir.join("notice.toml").to_str().unwrap(),
        "--data",
        dir.join("data.csv").to_str().unwrap(),
        "--key",
        "asiakasnumero",
        "--rules",
        dir.join("rules").to_str().unwrap(),
        "--select",
        select,
    ]);
    report
}

#[test]
fn pattern_rule_with_validator_finds_only_valid_matches() {
    let dir = setup();
    write(
        &dir.path().join("rules"),
        "iban.toml",
        rule_file(
            "ORG001",
            "kind = \"pattern\"\npattern = \"FI\\\\d{16}\"\nvalidator = \"iban\"\nroles = [\"notes\"]\nmessage = \"account number in free text\"",
        ),
    );
    let report = scan(dir.path(), "ORG");
    assert_eq!(finding_lines(&report), vec!["ORG001 1 lisätiedot"]);
    assert_eq!(report["findings"][0]["severity"], "medium");
    assert_eq!(
        report["findings"][0]["message"],
        "account number in free text"
    );
}

#[test]
fn forbidden_required_and_date_rules_run() {
    let dir = setup();
    let rules = dir.path().join("rules");
    write(
        &rules,
        "a.toml",
        rule_file(
            "ORG002",
            "kind = \"forbidden_column\"\ncategories = [\"user.financial.bank_account\"]",
        ),
    );
    write(
        &rules,
        "b.toml",
        rule_file("ORG003", "kind = \"required\"\ncolumns = [\"sähköposti\"]"),
    );
    write(
        &rules,
        "c.toml",
        rule_file(
            "ORG004",
            "kind = \"date_older_than\"\nroles = [\"created\"]\nperiod = \"10 years\"",
        ),
    );
    let report = scan(dir.path(), "ORG");
    assert_eq!(
        finding_lines(&report),
        vec![
            "ORG002 0 tilinumero",
            "ORG003 2 sähköposti",
            "ORG004 3 luotu"
        ]
    );
}

#[test]
fn custom_rules_are_listed_and_explained() {
    let dir = setup();
    let rules = dir.path().join("rules");
    write(
        &rules,
        "a.toml",
        rule_file("ORG005", "kind = \"required\"\nroles = [\"email\"]"),
    );
    regaudit()
        .args(["rules", "--rules"])
        .arg(&rules)
        .assert()
        .success()
        .stdout(predicate::str::contains("ORG005"));
    regaudit()
        .args(["explain", "ORG005", "--rules"])
        .arg(&rules)
        .assert()
        .success()
        .stdout(predicate::str::contains("Internal policy 1.2"));
}

#[test]
fn rule_file_errors_name_file_line_and_column_all_at_once() {
    let dir = setup();
    let rules = dir.path().join("rules");
    write(
        &rules,
        "bad.toml",
        "id = \"ID001\"\nname = \"dup\"\nseverity = \"severe\"\nlegal = [\"x\"]\nsummary = \"s\"\n[doc]\nwhat = \"w\"\nwhy = \"y\"\nexample = \"e\"\n[check]\nkind = \"pattern\"\npattern = \"(unclosed\"\ncolour = \"red\"\n",
    );
    let stderr = scan_error(&[
        "--notice",
        dir.path().join("notice.toml").to_str().unwrap(),
        "--data",
        dir.path().join("data.csv").to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert!(
        stderr.contains("bad.toml:1:6: rule id `ID001` is already used"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.toml:3:12: unknown severity"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.toml:12:11: invalid regex"), "{stderr}");
    assert!(
        stderr.contains("bad.toml:13:1: unknown key `check.colour`"),
        "{stderr}"
    );
}
