//! Nothing leaks and nothing changes: every fixture through every output format
//! is checked for raw personal data from its inputs; inputs are byte-identical
//! after a run; reports are identical across thread counts and row order.

mod common;

use common::*;
use regaudit::detect::{email, hetu};
use regaudit::ingest::{InputPath, ReadOptions, RejectedRow, RowSource, RowVisitor};
use regaudit::report::OutputFormat;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const FIXTURES: [&str; 5] = ["harmonia", "helpten", "heltti", "plusterveys", "wellflix"];

fn data_files(name: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(name))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("csv" | "json" | "ndjson")
            )
        })
        .collect();
    files.sort();
    files
}

/// Raw personal data in a file: whole cells of identifying columns, and
/// identity codes and e-mail addresses found anywhere.
fn personal_values(path: &Path) -> BTreeSet<String> {
    let identifying = |header: &str| {
        let h = regaudit::columns::normalize_header(header);
        [
            "nimi",
            "name",
            "sahkoposti",
            "email",
            "puhelin",
            "phone",
            "hetu",
            "henkilotunnus",
        ]
        .iter()
        .any(|k| h.contains(k))
    };
    let mut source = RowSource::open(
        &InputPath::File(path.to_path_buf()),
        &ReadOptions::default(),
    )
    .unwrap();
    struct Collect<F> {
        headers: Vec<String>,
        identifying: F,
        values: BTreeSet<String>,
    }
    impl<F: Fn(&str) -> bool> RowVisitor for Collect<F> {
        fn row(&mut self, _row: u64, cells: &[Option<&str>]) {
            for (i, cell) in cells.iter().enumerate() {
                let Some(cell) = cell else { continue };
                // Short cells ("N", "fi") and flags (a JSON `"sahkoposti": false`
                // opt-in, which SARIF's own `false` would match) are not identifying.
                let flag = matches!(*cell, "true" | "false");
                if (self.identifying)(&self.headers[i]) && cell.chars().count() >= 4 && !flag {
                    self.values.insert(cell.to_string());
                }
                for m in hetu::find_in_text(cell) {
                    self.values.insert(cell[m.start..m.end].to_string());
                }
                for (s, e) in email::find_in_text(cell) {
                    self.values.insert(cell[s..e].to_string());
                }
            }
        }
        fn reject(&mut self, _rejected: RejectedRow) {}
    }
    let mut collect = Collect {
        headers: source.headers.clone(),
        identifying,
        values: BTreeSet::new(),
    };
    source.visit_all(&mut collect).unwrap();
    collect.values
}

fn checksums(name: &str) -> Vec<(PathBuf, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(name))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let digest = Sha256::digest(std::fs::read(&p).unwrap());
            (p, format!("{digest:x}"))
        })
        .collect()
}

/// SARIF carries the rule catalogue's documentation (`tool.driver.rules`),
/// whose made-up examples share first names with the fixtures ("Maija
/// Mallikas"); it holds nothing read from the inputs (tests/formats.rs checks
/// it equals the catalogue), so it is left out of the search.
fn without_rule_docs(format: &str, stdout: &[u8]) -> String {
    let text = String::from_utf8_lossy(stdout).into_owned();
    if format != "sarif" {
        return text;
    }
    let mut sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    for run in sarif["runs"].as_array_mut().unwrap() {
        run["tool"]["driver"]["rules"] = serde_json::Value::Null;
    }
    sarif.to_string()
}

/// The text of the built-in rule files (their docs are public text).
fn rule_catalogue_text() -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(common::root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn no_output_format_leaks_personal_data_and_inputs_stay_unchanged() {
    let fixed_text = rule_catalogue_text() + include_str!("../src/report/html/text.rs");
    for name in FIXTURES {
        let before = checksums(name);
        let secrets: BTreeSet<String> = data_files(name)
            .iter()
            .flat_map(|f| personal_values(f))
            .collect();
        assert!(
            secrets.len() > 10,
            "{name}: too few values to check ({secrets:?})"
        );
        let formats: Vec<String> = OutputFormat::ALL.iter().map(|f| f.name()).collect();
        let runs = formats.iter().flat_map(|format| {
            [
                vec!["--format", format.as_str()],
                vec!["--format", format.as_str(), "--show-mapping"],
            ]
        });
        for args in runs {
            let out = regaudit()
                .args(["scan", &format!("fixtures/{name}"), "--as-of", AS_OF])
                .args(&args)
                .output()
                .unwrap();
            let text = format!(
                "{}{}",
                without_rule_docs(args[1], &out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            for secret in &secrets {
                // The HTML report prints the rule catalogue's docs and its
                // own Finnish and English words, which share words with the
                // fixtures' made-up people (surnames Esimerkki, Rekisteri):
                // such a word is checked everywhere but there.
                if args.contains(&"html") && fixed_text.contains(secret.as_str()) {
                    continue;
                }
                assert!(
                    !text.contains(secret.as_str()),
                    "{name} {args:?} leaks {secret:?}"
                );
            }
        }
        // --reveal is the explicit way to see raw values, and it does show them.
        let revealed = scan_stdout(
            &format!("fixtures/{name}"),
            &["--format", "json", "--reveal"],
        );
        let text = String::from_utf8_lossy(&revealed);
        if name != "harmonia" {
            assert!(
                secrets.iter().any(|s| text.contains(s.as_str())),
                "{name}: --reveal shows nothing raw"
            );
        }
        assert_eq!(checksums(name), before, "{name}: an input changed");
    }
}

#[test]
fn reports_are_identical_for_1_2_and_8_threads() {
    for name in FIXTURES {
        for format in OutputFormat::ALL.iter().map(|f| f.name()) {
            let run = |threads: &str| {
                let args = [
                    "--format",
                    &format,
                    "--threads",
                    threads,
                    "--batch-rows",
                    "3",
                ];
                scan_stdout(&format!("fixtures/{name}"), &args)
            };
            let one = run("1");
            assert_eq!(one, run("2"), "{name} {format}");
            assert_eq!(one, run("8"), "{name} {format}");
        }
    }
}

#[test]
fn spilling_findings_to_disk_changes_nothing() {
    for name in FIXTURES {
        for format in OutputFormat::ALL.iter().map(|f| f.name()) {
            let run = |in_memory: &str| {
                let args = ["--format", &format, "--findings-in-memory", in_memory];
                scan_stdout(&format!("fixtures/{name}"), &args)
            };
            assert_eq!(run("1"), run("1000000"), "{name} {format}");
        }
    }
}

#[test]
fn shuffled_rows_keep_fingerprints_and_finding_order() {
    // wellflix: CSV with a key column and marketing events.
    let src = fixture("wellflix");
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let data = dir.path().join("asiakkaat.csv");
    let text = std::fs::read_to_string(&data).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    // A fixed permutation: reverse, then rotate.
    lines.reverse();
    lines.rotate_left(5);
    std::fs::write(&data, format!("{header}\n{}\n", lines.join("\n"))).unwrap();

    let identity = |report: &serde_json::Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {}",
                    f["rule"], f["record"], f["column"], f["fingerprint"]
                )
            })
            .collect()
    };
    let (_, original) = scan_json(&["fixtures/wellflix"]);
    let (_, shuffled) = scan_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(identity(&original), identity(&shuffled));
}
