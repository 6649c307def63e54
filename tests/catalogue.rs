//! The catalogue's meta-tests: what `regaudit rules --json` prints is a public
//! interface (snapshot), the README's rule table is the catalogue, and the
//! template for a new rule is complete and works through the library API.

mod common;

use common::*;
use regaudit::audit::{run_audit, AuditOptions};
use regaudit::notice::load_notice;
use regaudit::register::{DataInput, Register};
use regaudit::rules::{builtin, CheckKind, Rule, RuleMeta};
use regaudit::select::RuleSelection;
use std::collections::HashMap;

#[test]
fn rules_json_is_a_stable_interface() {
    let out = regaudit().args(["rules", "--json"]).output().unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

/// The rows of the README's rule table: (id, name, severity).
fn readme_rule_table() -> Vec<(String, String, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut lines = readme
        .lines()
        .skip_while(|l| !l.starts_with("| id | name | severity |"));
    lines.next();
    lines.next(); // the |---| line
    lines
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<String> = l.split('|').map(|c| c.trim().to_string()).collect();
            (cells[1].clone(), cells[2].clone(), cells[3].clone())
        })
        .collect()
}

#[test]
fn readme_rule_table_equals_the_catalogue() {
    let catalogue: Vec<(String, String, String)> = builtin()
        .into_iter()
        .map(|r| (r.meta.id, r.meta.name, r.meta.severity.to_string()))
        .collect();
    assert_eq!(readme_rule_table(), catalogue);
}

#[test]
fn the_new_rule_template_has_what_the_fixture_test_demands() {
    let template = root().join("templates/new-rule");
    for file in RULE_FIXTURE_FILES {
        assert!(
            template.join("fixture").join(file).exists(),
            "template fixture lacks {file}"
        );
    }
    let path = template.join("XX000.toml");
    let meta = RuleMeta::parse(&path, &std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(meta.id, "XX000");
    assert!(builtin().iter().all(|r| r.meta.id != meta.id));
}

/// The template's check, compiled as a newcomer would paste it.
mod template_check {
    use regaudit::columns::Role;
    use regaudit::mask::ValueKind;
    use regaudit::rules::context::{FileContext, Hit, Row};
    use regaudit::rules::{Coverage, RowCheck};

    include!("../templates/new-rule/check.rs.txt");
}

#[test]
fn a_rule_made_from_the_template_finds_its_fixture_violations() {
    let template = root().join("templates/new-rule");
    let path = template.join("XX000.toml");
    let meta = RuleMeta::parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let rules = vec![Rule {
        meta,
        check: CheckKind::Rows(Box::new(template_check::YourCheck)),
    }];
    let fixture = template.join("fixture");
    let register = Register {
        name: "template".into(),
        notice: load_notice(&fixture.join("notice.toml")).unwrap(),
        data: vec![DataInput::file(fixture.join("data.csv"))],
        key: None,
        columns: Vec::new(),
        events: None,
        bans: None,
    };
    let options = AuditOptions {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        reveal: false,
        selection: RuleSelection::new(Vec::new(), Vec::new(), &["XX000"]).unwrap(),
        severity_overrides: HashMap::new(),
        findings_in_memory: 1000,
        log_records_in_memory: regaudit::audit::DEFAULT_LOG_RECORDS_IN_MEMORY,
        fingerprint_key: regaudit::finding::FingerprintKey::from_secret(b"template test"),
        progress: Default::default(),
    };
    let report = run_audit(&[register], &rules, &options).unwrap();
    assert_eq!(report.rules.len(), 1);
    let found: Vec<String> = report
        .findings
        .into_sorted()
        .unwrap()
        .map(|f| {
            let f = f.unwrap();
            assert_eq!(&*f.rule, "XX000");
            format!("{} {}", f.row, f.column.as_deref().unwrap_or_default())
        })
        .collect();
    let expected = std::fs::read_to_string(fixture.join("expected.txt")).unwrap();
    assert_eq!(found, expected.lines().collect::<Vec<_>>());
}
