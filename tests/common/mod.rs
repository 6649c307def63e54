//! Helpers shared by the CLI tests: run the binary, read its JSON report.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const AS_OF: &str = "2026-11-22";

/// What every rule's fixture folder (and the new-rule template) holds.
pub const RULE_FIXTURE_FILES: [&str; 4] = ["notice.toml", "data.csv", "expected.txt", "README.md"];

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// The fingerprint key the tests run with, so reports are reproducible.
pub const TEST_KEY: &str = "regaudit test suite key";

/// The variables that stand for flags (README, *Environment variables*):
/// cleared so a developer's or CI's settings never change a test.
pub const FLAG_VARIABLES: [&str; 11] = [
    "REGAUDIT_FAIL_ON",
    "REGAUDIT_FORMAT",
    "REGAUDIT_AS_OF",
    "REGAUDIT_BASELINE",
    "REGAUDIT_EXIT_ZERO",
    "REGAUDIT_THREADS",
    "REGAUDIT_QUIET",
    "REGAUDIT_VERBOSE",
    "REGAUDIT_COLOR",
    "NO_COLOR",
    "REGAUDIT_TEST_PANIC",
];

pub fn regaudit() -> Command {
    let mut cmd = Command::cargo_bin("regaudit").unwrap();
    cmd.current_dir(root());
    for var in FLAG_VARIABLES {
        cmd.env_remove(var);
    }
    cmd.env("REGAUDIT_FINGERPRINT_KEY", TEST_KEY);
    cmd
}

/// Runs `regaudit ARGS --format json --as-of AS_OF` and returns (exit code, report).
pub fn scan_json(args: &[&str]) -> (i32, Value) {
    let out = regaudit()
        .arg("scan")
        .args(args)
        .args(["--format", "json", "--as-of", AS_OF])
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); exit {code}\nstdout:\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, report)
}

/// Runs a scan that must fail with status 2 and returns its stderr.
pub fn scan_error(args: &[&str]) -> String {
    let out = regaudit()
        .arg("scan")
        .args(args)
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2\nstdout:\n{}\nstderr:\n{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

/// `RULE row column` for each finding, sorted: the compact form expected files use.
pub fn finding_lines(report: &Value) -> Vec<String> {
    let mut lines: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["rule"].as_str().unwrap(),
                f["row"],
                f["column"].as_str().unwrap_or("-")
            )
        })
        .collect();
    lines.sort();
    lines
}

pub fn rules_fired(report: &Value) -> Vec<String> {
    let mut rules: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

/// Scans one CSV file written from `csv` under the name `file` against a
/// notice written from `notice`, with `extra` arguments; returns (exit code, report).
pub fn scan_csv(notice: &str, file: &str, csv: &str, extra: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let notice = write(dir.path(), "notice.toml", notice);
    let data = write(dir.path(), file, csv);
    let mut args = vec![
        "--notice",
        notice.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    scan_json(&args)
}

/// Whether a labelled item belongs to the held-out part of a measurement set
/// (30 %): FNV-1a 32-bit of its name, a split that never changes with the platform.
pub fn held_out(name: &str) -> bool {
    let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    hash % 10 >= 7
}

/// Writes `contents` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// A minimal notice for ad-hoc tests: identity codes excluded, 24 months from last service.
pub const NOTICE_EXCLUDING_HETU: &str = r#"
[notice]
controller = "Testi Oy"
register = "Testirekisteri"

[[purposes]]
name = "Asiakassuhde"
legal_basis = "contract"

[categories]
declared = ["user.name", "user.contact", "user.unique_id", "user.content", "user.behavior"]
excluded = ["user.government_id.national_identification_number"]

[retention]
from = "last_service"
period = "24 months"
"#;

/// The findings of one rule, in report order.
pub fn findings_of<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// The sorted data rows one rule fired on.
pub fn rows_of(report: &Value, rule: &str) -> Vec<u64> {
    let mut rows: Vec<u64> = findings_of(report, rule)
        .iter()
        .map(|f| f["row"].as_u64().unwrap())
        .collect();
    rows.sort_unstable();
    rows
}

/// Runs `regaudit scan TARGET --as-of AS_OF ARGS` and returns its standard output.
pub fn scan_stdout(target: &str, args: &[&str]) -> Vec<u8> {
    regaudit()
        .args(["scan", target, "--as-of", AS_OF])
        .args(args)
        .output()
        .unwrap()
        .stdout
}

/// The JSON report of `regaudit scan TARGET` with a given thread count and batch size.
pub fn scan_json_bytes(target: &str, threads: &str, batch: &str) -> Vec<u8> {
    let args = [
        "--format",
        "json",
        "--threads",
        threads,
        "--batch-rows",
        batch,
    ];
    scan_stdout(target, &args)
}

/// Validates `sarif` against the official SARIF 2.1.0 schema (draft-04),
/// formats included.
pub fn assert_valid_sarif(sarif: &Value) {
    let path = root().join("../shared/schemas/sarif-schema-2.1.0.json");
    let path = if path.exists() {
        path
    } else {
        PathBuf::from("/work/shared/schemas/sarif-schema-2.1.0.json")
    };
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource("file:///sarif-schema-2.1.0.json", schema)
        .unwrap();
    let index = compiler
        .compile("file:///sarif-schema-2.1.0.json", &mut schemas)
        .unwrap();
    if let Err(e) = schemas.validate(sarif, index) {
        panic!("SARIF does not validate: {e:#}");
    }
}

/// Each finding's fingerprint with its rule.
pub fn fingerprint_rules(report: &Value) -> std::collections::BTreeMap<String, String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["fingerprint"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
