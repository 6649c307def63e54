//! Snapshots of what people and programs read: the demo's table, the JSON
//! report's shape, the CSV, Markdown and GitHub-annotation reports,
//! positioned config diagnostics and `scan --help`. A change
//! here is a change of interface: review it (`cargo insta review`).

mod common;

use common::*;

fn stdout_of(args: &[&str]) -> String {
    let out = regaudit().args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn demo_table() {
    insta::assert_snapshot!(stdout_of(&["scan", "fixtures/harmonia", "--as-of", AS_OF]));
}

#[test]
fn json_report_shape() {
    insta::assert_snapshot!(stdout_of(&[
        "scan",
        "fixtures/harmonia",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--show-mapping",
    ]));
}

/// The CI formats a person reads or a CI system parses line by line, on the
/// marketing fixture (register findings and event-log findings).
#[test]
fn csv_report() {
    insta::assert_snapshot!(stdout_of(&[
        "scan",
        "fixtures/wellflix",
        "--as-of",
        AS_OF,
        "--format",
        "csv",
    ]));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(stdout_of(&[
        "scan",
        "fixtures/wellflix",
        "--as-of",
        AS_OF,
        "--format",
        "markdown",
    ]));
}

#[test]
fn markdown_report_with_a_rule_that_could_not_run() {
    insta::assert_snapshot!(stdout_of(&[
        "scan",
        "--notice",
        "fixtures/rules/COV001/notice.toml",
        "--data",
        "fixtures/rules/COV001/data.csv",
        "--select",
        "RET001,RET002,ID002,CAT002,COV001",
        "--as-of",
        AS_OF,
        "--format",
        "markdown",
    ]));
}

#[test]
fn github_annotations() {
    insta::assert_snapshot!(stdout_of(&[
        "scan",
        "fixtures/wellflix",
        "--as-of",
        AS_OF,
        "--format",
        "github",
    ]));
}

#[test]
fn config_diagnostics_are_positioned_and_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "regaudit.toml",
        "[scan]\nfail_on = \"medium\"\nignor = [\"ACC\"]\n\n\
         [registers.r]\nnotice = \"missing.toml\"\ndata = [\"missing.csv\"]\n\
         encoding = \"ebcdic\"\n\n[registers.r.columns]\n\"Puh\" = \"phone_numbr\"\n",
    );
    let out = regaudit()
        .args(["scan", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let dir = dir.path().to_str().unwrap();
    insta::assert_snapshot!(stderr.replace(dir, "[dir]"));
}

#[test]
fn scan_help() {
    insta::assert_snapshot!(stdout_of(&["scan", "--help"]));
}
