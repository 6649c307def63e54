//! The CI formats through the CLI: SARIF validated against the official
//! 2.1.0 schema (one result per finding, and grouped above the limit) with
//! each result on the record's real line; JUnit parsed back; CSV read back
//! against the JSON report; GitHub annotations; and several reports from one
//! scan with `--output FORMAT:PATH`.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

const COV001_SELECT: &str = "RET001,RET002,ID002,CAT002,COV001";

fn stdout_of(args: &[&str]) -> String {
    let out = regaudit().args(args).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn scan(target: &[&str], format: &str, extra: &[&str]) -> String {
    let mut args = vec!["scan"];
    args.extend_from_slice(target);
    args.extend_from_slice(&["--as-of", AS_OF, "--format", format]);
    args.extend_from_slice(extra);
    stdout_of(&args)
}

fn cov001() -> Vec<String> {
    let dir = fixture("rules").join("COV001");
    vec![
        "--notice".into(),
        dir.join("notice.toml").display().to_string(),
        "--data".into(),
        dir.join("data.csv").display().to_string(),
        "--select".into(),
        COV001_SELECT.into(),
    ]
}

fn json_report(target: &[&str], extra: &[&str]) -> Value {
    serde_json::from_str(&scan(target, "json", extra)).unwrap()
}

#[test]
fn the_schema_rejects_a_broken_sarif_log() {
    // The validator is not a rubber stamp: a level SARIF does not know fails.
    let mut sarif: Value =
        serde_json::from_str(&scan(&["fixtures/harmonia"], "sarif", &[])).unwrap();
    assert_valid_sarif(&sarif);
    sarif["runs"][0]["results"][0]["level"] = "high".into();
    let result = std::panic::catch_unwind(|| assert_valid_sarif(&sarif));
    assert!(result.is_err(), "an invalid level passed the schema");
}

#[test]
fn sarif_is_valid_and_holds_every_finding_with_its_rule() {
    for target in [
        vec!["fixtures/harmonia".to_string()],
        vec!["fixtures/wellflix".to_string()],
        cov001(),
    ] {
        let target: Vec<&str> = target.iter().map(String::as_str).collect();
        let sarif: Value = serde_json::from_str(&scan(&target, "sarif", &[])).unwrap();
        assert_valid_sarif(&sarif);
        let report = json_report(&target, &[]);
        let run = &sarif["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let catalogue: Value = serde_json::from_str(&stdout_of(&["rules", "--json"])).unwrap();
        for rule in rules {
            let id = rule["id"].as_str().unwrap();
            let meta = catalogue
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .unwrap();
            assert_eq!(rule["name"], meta["name"]);
            assert_eq!(rule["shortDescription"]["text"], meta["summary"]);
            assert_eq!(rule["fullDescription"]["text"], meta["doc"]["what"]);
            let help = rule["help"]["text"].as_str().unwrap();
            for part in ["what", "why", "example"] {
                assert!(
                    help.contains(meta["doc"][part].as_str().unwrap()),
                    "{id} {part}"
                );
            }
            assert_eq!(rule["properties"]["legal"], meta["legal"]);
            let level = match meta["severity"].as_str().unwrap() {
                "critical" | "high" => "error",
                "medium" => "warning",
                _ => "note",
            };
            assert_eq!(rule["defaultConfiguration"]["level"], level, "{id}");
        }
        let results = run["results"].as_array().unwrap();
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(results.len(), findings.len());
        assert!(!results.is_empty());
        for (result, finding) in results.iter().zip(findings) {
            assert_eq!(result["ruleId"], finding["rule"]);
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], finding["rule"]);
            assert_eq!(
                result["partialFingerprints"]["regauditFingerprint/v1"],
                finding["fingerprint"]
            );
            let location = &result["locations"][0]["physicalLocation"];
            // Relative paths stay relative; absolute ones are file URIs.
            let file = finding["file"].as_str().unwrap();
            let uri = location["artifactLocation"]["uri"].as_str().unwrap();
            match file.strip_prefix('/') {
                Some(_) => assert_eq!(uri, format!("file://{file}")),
                None => assert_eq!(uri, file),
            }
            let line = location["region"]["startLine"].as_u64().unwrap();
            assert_eq!(line, finding["line"].as_u64().unwrap_or(1));
            if let Some(evidence) = finding["evidence"].as_str() {
                assert!(result["message"]["text"]
                    .as_str()
                    .unwrap()
                    .contains(evidence));
            }
        }
        assert_eq!(run["properties"]["resultsGrouped"], false);
    }
}

#[test]
fn sarif_names_rules_that_could_not_run() {
    let target = cov001();
    let target: Vec<&str> = target.iter().map(String::as_str).collect();
    let sarif: Value = serde_json::from_str(&scan(&target, "sarif", &[])).unwrap();
    let notes = sarif["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["associatedRule"]["id"], "RET001");
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("could not run"));
}

#[test]
fn sarif_groups_results_above_the_limit_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("synth");
    regaudit()
        .args(["synth", "--out", out.to_str().unwrap(), "--rows", "2000"])
        .assert()
        .success();
    let target = [out.to_str().unwrap()];
    let report = json_report(&target, &[]);
    let total = report["summary"]["total"].as_u64().unwrap();
    assert!(total > 100, "{total}");
    let sarif: Value =
        serde_json::from_str(&scan(&target, "sarif", &["--sarif-max-results", "100"])).unwrap();
    assert_valid_sarif(&sarif);
    let run = &sarif["runs"][0];
    assert_eq!(run["properties"]["resultsGrouped"], true);
    assert_eq!(run["properties"]["findings"], total);
    let results = run["results"].as_array().unwrap();
    assert!(
        results.len() <= 100 && results.len() > 1,
        "{}",
        results.len()
    );
    // Every finding is counted in exactly one group: rule, register, column.
    let mut expected = std::collections::BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        let key = (
            f["rule"].as_str().unwrap().to_string(),
            f["column"].as_str().unwrap_or("-").to_string(),
        );
        *expected.entry(key).or_insert(0u64) += 1;
    }
    let mut grouped = std::collections::BTreeMap::new();
    for r in results {
        assert_eq!(r["properties"]["grouped"], true);
        let key = (
            r["ruleId"].as_str().unwrap().to_string(),
            r["properties"]["column"]
                .as_str()
                .unwrap_or("-")
                .to_string(),
        );
        let count = r["properties"]["count"].as_u64().unwrap();
        assert_eq!(r["occurrenceCount"], count);
        assert!(grouped.insert(key, count).is_none());
        assert!(r["partialFingerprints"]["regauditGroup/v1"].is_string());
    }
    assert_eq!(grouped, expected);
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes
        .iter()
        .any(|n| n["message"]["text"].as_str().unwrap().contains("grouped")));
    // Under the limit, the same scan gives one result per finding.
    let whole: Value = serde_json::from_str(&scan(
        &target,
        "sarif",
        &["--sarif-max-results", &total.to_string()],
    ))
    .unwrap();
    assert_eq!(
        whole["runs"][0]["results"].as_array().unwrap().len() as u64,
        total
    );
    assert_eq!(whole["runs"][0]["properties"]["resultsGrouped"], false);
}

/// `(rule, record) -> startLine` of every SARIF result.
fn start_lines(sarif: &Value) -> Vec<(String, String, u64)> {
    let mut lines: Vec<_> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = r["message"]["text"].as_str().unwrap();
            let record = text.split("record ").nth(1).unwrap_or("-");
            let record = record.split([',', ')']).next().unwrap().to_string();
            (
                r["ruleId"].as_str().unwrap().to_string(),
                record,
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    lines.sort();
    lines
}

fn sarif_of(dir: &Path, file: &str, contents: &str) -> Value {
    let notice = write(dir, "notice.toml", NOTICE_EXCLUDING_HETU);
    let data = write(dir, file, contents);
    let sarif: Value = serde_json::from_str(&scan(
        &[
            "--notice",
            notice.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--key",
            "asiakasnumero",
            "--select",
            "ID001",
        ],
        "sarif",
        &[],
    ))
    .unwrap();
    assert_valid_sarif(&sarif);
    sarif
}

#[test]
fn bare_carriage_returns_end_lines_too() {
    // Old Mac exports end lines with a lone CR; a quoted note holds one too.
    let dir = tempfile::tempdir().unwrap();
    let csv =
        "asiakasnumero;lisätiedot\rA-1;ei\rA-2;\"kaksi\rriviä 131052-308T\"\rA-3;131052-308T\r";
    let sarif = sarif_of(dir.path(), "data.csv", csv);
    let expected: Vec<(String, String, u64)> = [("A-2", 3), ("A-3", 5)]
        .iter()
        .map(|(r, l)| ("ID001".to_string(), r.to_string(), *l))
        .collect();
    assert_eq!(start_lines(&sarif), expected);
    // Every row is read: the header's chunk used to hold the whole file.
    let data = dir.path().join("data.csv");
    let report: Value = serde_json::from_str(&scan(
        &["--data", data.to_str().unwrap(), "--select", "ID001"],
        "json",
        &[],
    ))
    .unwrap();
    assert_eq!(report["summary"]["rows_read"], 3);
    assert_eq!(report["summary"]["rows_audited"], 3);
}

#[test]
fn sarif_start_line_is_the_records_line_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // Line 1 the header; A-2's note spans lines 3–5; a blank line 6; A-3 on
    // line 7; two blank lines; A-4 on line 10 with CRLF; A-5's quoted note
    // holds a blank line of its own.
    let csv = "asiakasnumero;lisätiedot\n\
               A-1;hetu 131052-308T\n\
               A-2;\"monirivinen\nhuomautus\n131052-308T\"\n\
               \n\
               A-3;131052-308T\n\
               \n\
               \n\
               A-4;131052-308T\r\n\
               A-5;\"alku\n\nloppu 131052-308T\"\n\
               A-6;ei mitään\n";
    let sarif = sarif_of(dir.path(), "data.csv", csv);
    let expected: Vec<(String, String, u64)> =
        [("A-1", 2), ("A-2", 3), ("A-3", 7), ("A-4", 10), ("A-5", 11)]
            .iter()
            .map(|(r, l)| ("ID001".to_string(), r.to_string(), *l))
            .collect();
    assert_eq!(start_lines(&sarif), expected);
    // The data row stays the row, not the line.
    let rows: Vec<u64> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["properties"]["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [1, 2, 3, 4, 5]);

    let ndjson = "{\"asiakasnumero\": \"A-1\", \"lisätiedot\": \"131052-308T\"}\n\
                  \n\
                  {\"asiakasnumero\": \"A-2\", \"lisätiedot\": \"ei\"}\n\
                  \n\
                  \n\
                  {\"asiakasnumero\": \"A-3\", \"lisätiedot\": \"hetu 131052-308T\"}\n";
    let sarif = sarif_of(dir.path(), "data.ndjson", ndjson);
    let found: Vec<(String, u64)> = start_lines(&sarif)
        .into_iter()
        .map(|(_, record, line)| (record, line))
        .collect();
    assert_eq!(found, [("A-1".to_string(), 1), ("A-3".to_string(), 6)]);

    let json = "[\n  {\"asiakasnumero\": \"A-1\",\n   \"lisätiedot\": \"ei\"},\n\n  \
                {\"asiakasnumero\": \"A-2\",\n   \"lisätiedot\": \"hetu 131052-308T\"}\n]\n";
    let sarif = sarif_of(dir.path(), "data.json", json);
    let found: Vec<(String, u64)> = start_lines(&sarif)
        .into_iter()
        .map(|(_, record, line)| (record, line))
        .collect();
    assert_eq!(found, [("A-2".to_string(), 5)]);
}

#[test]
fn the_json_report_gives_each_finding_its_line() {
    let report = json_report(&["fixtures/harmonia"], &[]);
    for f in report["findings"].as_array().unwrap() {
        // harmonia has a header and no multi-line fields: line = row + 1.
        assert_eq!(f["line"].as_u64().unwrap(), f["row"].as_u64().unwrap() + 1);
    }
    // Event-log findings point into the event log.
    let report = json_report(&["fixtures/wellflix"], &[]);
    let events = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("MKT"))
        .collect::<Vec<_>>();
    assert!(!events.is_empty());
    for f in events {
        assert!(f["file"].as_str().unwrap().ends_with("markkinointi.csv"));
        assert_eq!(f["line"].as_u64().unwrap(), f["row"].as_u64().unwrap() + 1);
    }
}

#[test]
fn junit_has_a_suite_per_register_and_a_case_per_rule() {
    for target in [vec!["fixtures/wellflix".to_string()], cov001()] {
        let target: Vec<&str> = target.iter().map(String::as_str).collect();
        let xml = scan(&target, "junit", &[]);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let report = json_report(&target, &[]);
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        let suites: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("testsuite"))
            .collect();
        assert_eq!(suites.len(), 1);
        let register = report["inputs"][0]["register"].as_str().unwrap();
        assert_eq!(suites[0].attribute("name"), Some(register));
        let cases: Vec<_> = suites[0]
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        let by_rule = report["summary"]["by_rule"].as_object().unwrap();
        let failures = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .count();
        assert_eq!(failures, by_rule.len());
        assert_eq!(
            suites[0].attribute("failures"),
            Some(failures.to_string().as_str())
        );
        assert_eq!(
            root.attribute("tests"),
            Some(cases.len().to_string().as_str())
        );
        for case in &cases {
            let id = case.attribute("name").unwrap().split(' ').next().unwrap();
            let failure = case.children().find(|n| n.has_tag_name("failure"));
            let skipped = case.children().find(|n| n.has_tag_name("skipped"));
            match by_rule.get(id) {
                Some(count) => {
                    let failure = failure.unwrap_or_else(|| panic!("{id} did not fail"));
                    let text = failure.text().unwrap();
                    assert_eq!(text.lines().count() as u64, count.as_u64().unwrap());
                    for f in findings_of(&report, id) {
                        if let Some(evidence) = f["evidence"].as_str() {
                            assert!(text.contains(evidence), "{id}: {evidence}");
                        }
                    }
                }
                None => assert!(failure.is_none(), "{id}"),
            }
            let coverage: Vec<&Value> = report["coverage"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["rule"] == id)
                .collect();
            // A rule without coverage entries (COV001 itself) always runs.
            let ran = coverage.is_empty() || coverage.iter().any(|c| c["status"] == "evaluated");
            if !ran && !by_rule.contains_key(id) {
                let why = skipped
                    .unwrap_or_else(|| panic!("{id} did not run but is not skipped"))
                    .attribute("message")
                    .unwrap();
                let blocked = coverage.iter().any(|c| c["status"] == "not_evaluated");
                assert!(
                    why.starts_with(if blocked {
                        "could not run"
                    } else {
                        "nothing to check"
                    }),
                    "{id}: {why}"
                );
            } else {
                assert!(skipped.is_none(), "{id} ran but is skipped");
            }
        }
    }
}

#[test]
fn csv_rows_are_the_json_findings() {
    let report = json_report(&["fixtures/heltti"], &[]);
    let text = scan(&["fixtures/heltti"], "csv", &[]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let findings = report["findings"].as_array().unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), findings.len());
    // Every finding field, then the two mark columns, empty without a baseline.
    let marks = ["baseline_state", "suppressed_by"];
    assert_eq!(headers[headers.len() - 2..], marks);
    for (row, finding) in rows.iter().zip(findings) {
        let fields = finding.as_object().unwrap();
        assert_eq!(headers.len(), fields.len() + 2, "every field, no more");
        assert!(row.iter().skip(fields.len()).all(str::is_empty));
        for (header, cell) in headers.iter().zip(row.iter()).take(fields.len()) {
            let expected = match &fields[header] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(cell, expected, "{header}");
        }
    }
}

#[test]
fn github_annotations_name_file_line_and_level() {
    let report = json_report(&["fixtures/wellflix"], &[]);
    let text = scan(&["fixtures/wellflix"], "github", &[]);
    let annotations: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(annotations.len(), findings.len());
    for (line, f) in annotations.iter().zip(findings) {
        let command = match f["severity"].as_str().unwrap() {
            "critical" | "high" => "error",
            "medium" => "warning",
            _ => "notice",
        };
        let (head, message) = line[2..].split_once("::").unwrap();
        let (name, properties) = head.split_once(' ').unwrap();
        assert_eq!(name, command);
        assert!(properties.contains(&format!(
            "file={}",
            f["file"]
                .as_str()
                .unwrap()
                .replace(':', "%3A")
                .replace(',', "%2C")
        )));
        match f["line"].as_u64() {
            Some(l) => assert!(properties.contains(&format!(",line={l},"))),
            None => assert!(!properties.contains("line=")),
        }
        assert!(!message.contains('\n'));
        assert!(message.starts_with(
            &f["message"]
                .as_str()
                .unwrap()
                .replace('%', "%25")
                .replace('\n', "%0A")
        ));
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn several_reports_from_one_scan() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    for in_memory in ["1", "1000000"] {
        let out = regaudit()
            .args(["scan", "fixtures/wellflix", "--as-of", AS_OF])
            .args(["--findings-in-memory", in_memory])
            .args(["--output", &format!("json:{}", path("r.json"))])
            .args(["-o", &format!("sarif:{}", path("r.sarif"))])
            .args(["--output", &format!("junit:{}", path("junit.xml"))])
            .args(["--output", &format!("csv:{}", path("r.csv"))])
            .args(["--output", &format!("markdown:{}", path("r.md"))])
            .args(["--output", &format!("github:{}", path("r.github"))])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        // The table still goes to the terminal.
        let table = String::from_utf8(out.stdout).unwrap();
        assert_eq!(table, scan(&["fixtures/wellflix"], "table", &[]));
        for (format, file) in [
            ("json", "r.json"),
            ("sarif", "r.sarif"),
            ("junit", "junit.xml"),
            ("csv", "r.csv"),
            ("markdown", "r.md"),
            ("github", "r.github"),
        ] {
            let written = std::fs::read_to_string(path(file)).unwrap();
            assert_eq!(
                written,
                scan(&["fixtures/wellflix"], format, &[]),
                "{format} {in_memory}"
            );
            #[cfg(unix)]
            assert_eq!(mode(Path::new(&path(file))), 0o600, "{file}");
        }
    }
}

#[test]
fn a_plain_output_path_still_takes_the_format_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let sarif = dir.path().join("report.sarif");
    let out = regaudit()
        .args([
            "scan",
            "fixtures/harmonia",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ])
        .args(["-o", report.to_str().unwrap()])
        .args(["--output", &format!("sarif:{}", sarif.display())])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "the --format report went to the file"
    );
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        scan(&["fixtures/harmonia"], "json", &[])
    );
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_valid_sarif(&sarif);
    // `./json:x` is a file named `json:x`, written with the --format report.
    let named = dir.path().join("json:x");
    regaudit()
        .current_dir(dir.path())
        .args(["scan", &fixture("harmonia").display().to_string()])
        .args(["--as-of", AS_OF, "--format", "csv", "-o", "./json:x"])
        .assert()
        .code(1);
    assert!(std::fs::read_to_string(named)
        .unwrap()
        .starts_with("rule,severity,"));
}

#[test]
fn bad_outputs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt").display().to_string();
    let b = dir.path().join("b.txt").display().to_string();
    let cases: [(Vec<String>, &str); 4] = [
        (
            vec![a.clone(), b.clone()],
            "only one --output without a FORMAT",
        ),
        (
            vec![format!("json:{a}"), format!("sarif:{a}")],
            "named twice",
        ),
        (vec!["json:".into()], "give a file after `json:`"),
        (
            vec![format!(
                "json:{}",
                fixture("harmonia").join("asiakkaat.csv").display()
            )],
            "refusing to overwrite an input",
        ),
    ];
    for (outputs, message) in cases {
        let mut args = vec!["fixtures/harmonia".to_string()];
        for o in &outputs {
            args.push("--output".into());
            args.push(o.clone());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let stderr = scan_error(&args);
        assert!(stderr.contains(message), "{outputs:?}: {stderr}");
    }
    assert!(!Path::new(&a).exists() && !Path::new(&b).exists());
}
