//! The bad-input corpus: every case in fixtures/bad/cases.toml is run through
//! the CLI and must end with its expected exit status and messages, never a
//! panic; where the report is JSON, its row accounting must add up.

mod common;

use common::*;
use serde::Deserialize;
use std::io::Write;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    about: String,
    args: Vec<String>,
    status: i32,
    #[serde(default)]
    stderr: Vec<String>,
    #[serde(default)]
    stdout: Vec<String>,
    rows: Option<[u64; 3]>,
    stdin: Option<String>,
    generate: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    case: Vec<Case>,
}

/// Writes a generated input (too large or too deep to keep in the repository).
fn generate(kind: &str, dir: &std::path::Path) -> std::path::PathBuf {
    match kind {
        "big_field" => {
            let path = dir.join("big_field.csv");
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
            writeln!(f, "asiakasnumero,lisätiedot").unwrap();
            writeln!(f, "A1,lyhyt").unwrap();
            write!(f, "A2,").unwrap();
            let chunk = "pitkä muistiinpano ilman tunnisteita ".repeat(1000);
            let mut written = 0;
            while written < 10 * 1024 * 1024 {
                f.write_all(chunk.as_bytes()).unwrap();
                written += chunk.len();
            }
            writeln!(f).unwrap();
            writeln!(f, "A3,lyhyt").unwrap();
            path
        }
        "deep_json" => {
            let path = dir.join("deep.json");
            let depth = 300;
            let json = format!(
                "[{{\"asiakasnumero\": \"A1\", \"x\": {}1{}}}]",
                "{\"a\": ".repeat(depth),
                "}".repeat(depth)
            );
            std::fs::write(&path, json).unwrap();
            path
        }
        other => panic!("unknown generator {other}"),
    }
}

#[test]
fn every_bad_input_gets_its_expected_answer() {
    let bad = root().join("fixtures/bad");
    let corpus: Corpus =
        toml::from_str(&std::fs::read_to_string(bad.join("cases.toml")).unwrap()).unwrap();
    assert!(
        corpus.case.len() >= 30,
        "the corpus needs at least 30 cases"
    );
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    for case in &corpus.case {
        assert!(
            names.insert(case.name.clone()),
            "duplicate case {}",
            case.name
        );
        let generated = case.generate.as_deref().map(|g| generate(g, tmp.path()));
        let mut args: Vec<String> = case
            .args
            .iter()
            .map(|a| match (a.as_str(), &generated) {
                ("@generated", Some(p)) => p.to_str().unwrap().to_string(),
                _ => a.clone(),
            })
            .collect();
        if args.first().map(String::as_str) == Some("scan") && !args.iter().any(|a| a == "--as-of")
        {
            args.extend(["--as-of".to_string(), AS_OF.to_string()]);
        }
        let mut cmd = assert_cmd::Command::cargo_bin("regaudit").unwrap();
        cmd.current_dir(&bad)
            .args(&args)
            .env("REGAUDIT_FINGERPRINT_KEY", TEST_KEY);
        if let Some(stdin) = &case.stdin {
            cmd.write_stdin(std::fs::read(bad.join(stdin)).unwrap());
        }
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut problems = Vec::new();
        if out.status.code() != Some(case.status) {
            problems.push(format!(
                "exit {:?}, expected {}",
                out.status.code(),
                case.status
            ));
        }
        if stderr.contains("panicked") {
            problems.push("panicked".to_string());
        }
        for s in &case.stderr {
            if !stderr.contains(s.as_str()) {
                problems.push(format!("stderr lacks {s:?}"));
            }
        }
        for s in &case.stdout {
            if !stdout.contains(s.as_str()) {
                problems.push(format!("stdout lacks {s:?}"));
            }
        }
        if args.iter().any(|a| a == "json") && case.status != 2 {
            match serde_json::from_str::<serde_json::Value>(&stdout) {
                Ok(report) => {
                    for input in report["inputs"].as_array().unwrap() {
                        let n = |k: &str| input[k].as_u64().unwrap();
                        if n("rows_read") != n("rows_audited") + n("rows_rejected") {
                            problems.push(format!("rows do not add up in {}", input["path"]));
                        }
                        if n("rows_rejected") != input["rejected"].as_array().unwrap().len() as u64
                        {
                            problems.push("not every rejected row is listed".into());
                        }
                    }
                    if let Some([read, audited, rejected]) = case.rows {
                        let input = &report["inputs"][0];
                        let got = [
                            input["rows_read"].as_u64().unwrap(),
                            input["rows_audited"].as_u64().unwrap(),
                            input["rows_rejected"].as_u64().unwrap(),
                        ];
                        if got != [read, audited, rejected] {
                            problems.push(format!(
                                "rows {got:?}, expected {:?}",
                                [read, audited, rejected]
                            ));
                        }
                    }
                }
                Err(e) => problems.push(format!("stdout is not JSON: {e}")),
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{} ({}): {}\n  stderr: {}",
                case.name,
                case.about,
                problems.join("; "),
                stderr.trim()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
