//! Every fixture register is audited as it is and its findings are compared with
//! `fixtures/<name>/expected.txt` (one `RULE row column` line per finding; see
//! the fixture's EXPECTED.md for why each row fires or not). To accept a reviewed
//! change of findings, run with REGAUDIT_BLESS=1.

mod common;

use common::*;

fn fixture_registers() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            e.path()
                .join("regaudit.toml")
                .exists()
                .then(|| e.file_name().to_string_lossy().to_string())
        })
        .collect();
    names.sort();
    names
}

#[test]
fn there_is_one_fixture_register_per_notice() {
    assert_eq!(
        fixture_registers(),
        vec!["harmonia", "helpten", "heltti", "plusterveys", "wellflix"]
    );
}

#[test]
fn fixtures_produce_their_expected_findings() {
    let bless = std::env::var_os("REGAUDIT_BLESS").is_some();
    let mut failures = Vec::new();
    for name in fixture_registers() {
        let (code, report) = scan_json(&[&format!("fixtures/{name}")]);
        let actual = finding_lines(&report);
        assert_eq!(
            code,
            if actual.is_empty() { 0 } else { 1 },
            "{name}: exit status"
        );
        for input in report["inputs"].as_array().unwrap() {
            assert_eq!(
                input["rows_read"].as_u64().unwrap(),
                input["rows_audited"].as_u64().unwrap() + input["rows_rejected"].as_u64().unwrap(),
                "{name}: row accounting"
            );
        }
        let expected_path = fixture(&name).join("expected.txt");
        if bless {
            std::fs::write(&expected_path, actual.join("\n") + "\n").unwrap();
            continue;
        }
        let expected: Vec<String> = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} is missing", expected_path.display()))
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        if actual != expected {
            let missing: Vec<_> = expected.iter().filter(|l| !actual.contains(l)).collect();
            let extra: Vec<_> = actual.iter().filter(|l| !expected.contains(l)).collect();
            failures.push(format!("{name}: missing {missing:?}, unexpected {extra:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
