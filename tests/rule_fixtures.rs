//! One fixture per rule (fixtures/rules/<ID>/: clean rows and near misses first,
//! violations after). Each runs with only its rule selected, in four input
//! forms made mechanically from its data.csv — comma CSV, semicolon CSV, JSON
//! and NDJSON — and must give exactly the findings in its expected.txt.

mod common;

use common::*;
use std::path::Path;

/// Writes the data in the given form and returns the file's path.
fn convert(csv_path: &Path, form: &str, dir: &Path) -> std::path::PathBuf {
    let mut reader = csv::Reader::from_path(csv_path).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let objects = || {
        rows.iter().map(|row| {
            let map: serde_json::Map<String, serde_json::Value> = headers
                .iter()
                .zip(row)
                .filter(|(_, v)| !v.is_empty())
                .map(|(h, v)| (h.clone(), serde_json::Value::String(v.clone())))
                .collect();
            serde_json::Value::Object(map)
        })
    };
    match form {
        "comma" => csv_path.to_path_buf(),
        "semicolon" => {
            let path = dir.join("data.csv");
            let mut w = csv::WriterBuilder::new()
                .delimiter(b';')
                .from_path(&path)
                .unwrap();
            w.write_record(&headers).unwrap();
            for row in &rows {
                w.write_record(row).unwrap();
            }
            w.flush().unwrap();
            path
        }
        "json" => {
            let path = dir.join("data.json");
            let all: Vec<serde_json::Value> = objects().collect();
            std::fs::write(&path, serde_json::to_string_pretty(&all).unwrap()).unwrap();
            path
        }
        "ndjson" => {
            let path = dir.join("data.ndjson");
            let lines: Vec<String> = objects().map(|o| o.to_string()).collect();
            std::fs::write(&path, lines.join("\n") + "\n").unwrap();
            path
        }
        other => panic!("unknown form {other}"),
    }
}

/// The rule's id, plus the rules a fixture's `select.txt` enables beside it
/// (COV001 reports on other rules, so they must run).
fn selection(dir: &std::path::Path, id: &str) -> String {
    match std::fs::read_to_string(dir.join("select.txt")) {
        Ok(extra) => format!("{id},{}", extra.trim()),
        Err(_) => id.to_string(),
    }
}

#[test]
fn every_rule_has_a_fixture_with_clean_and_violating_rows() {
    for rule in regaudit::rules::builtin() {
        let dir = fixture("rules").join(&rule.meta.id);
        for file in RULE_FIXTURE_FILES {
            assert!(dir.join(file).exists(), "{}: missing {file}", rule.meta.id);
        }
        let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
        assert!(
            !expected.trim().is_empty(),
            "{}: no violating rows",
            rule.meta.id
        );
        let data_rows = std::fs::read_to_string(dir.join("data.csv"))
            .unwrap()
            .lines()
            .count()
            - 1;
        let subject_rows = if dir.join("events.csv").exists() {
            std::fs::read_to_string(dir.join("events.csv"))
                .unwrap()
                .lines()
                .count()
                - 1
        } else {
            data_rows
        };
        assert!(
            subject_rows > expected.lines().filter(|l| !l.starts_with("0 ")).count(),
            "{}: no clean rows",
            rule.meta.id
        );
    }
}

#[test]
fn every_rule_fires_exactly_on_its_violations_in_every_input_form() {
    let mut failures = Vec::new();
    for rule in regaudit::rules::builtin() {
        let id = rule.meta.id.as_str();
        let dir = fixture("rules").join(id);
        let expected: Vec<String> = std::fs::read_to_string(dir.join("expected.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("{id} {l}"))
            .collect();
        let mut expected_sorted = expected.clone();
        expected_sorted.sort();
        for form in ["comma", "semicolon", "json", "ndjson"] {
            let tmp = tempfile::tempdir().unwrap();
            let data = convert(&dir.join("data.csv"), form, tmp.path());
            let notice = dir.join("notice.toml");
            let mut args: Vec<String> = vec![
                "--notice".into(),
                notice.to_str().unwrap().into(),
                "--data".into(),
                data.to_str().unwrap().into(),
                "--key".into(),
                "asiakasnumero".into(),
                "--select".into(),
                selection(&dir, id),
            ];
            for (flag, file) in [("--events", "events.csv"), ("--bans", "bans.csv")] {
                if dir.join(file).exists() {
                    args.push(flag.into());
                    args.push(dir.join(file).to_str().unwrap().into());
                }
            }
            let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, report) = scan_json(&arg_refs);
            let actual = finding_lines(&report);
            if actual != expected_sorted || code != 1 {
                failures.push(format!(
                    "{id} ({form}): exit {code}, got {actual:?}, expected {expected_sorted:?}"
                ));
            }
            if !report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["rule"] == id)
            {
                failures.push(format!("{id} ({form}): another rule fired"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
