//! Snapshots of what people and programs read: the demo's table, the JSON
//! report's shape, positioned config diagnostics and `scan --help`. A change
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
