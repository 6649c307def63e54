//! What users of linters expect, through the CLI: the config found from the
//! current folder up, `--config`, `--quiet` and `--verbose`, `--color`,
//! environment variables for the flags CI sets, a one-line summary on stderr
//! when the report goes to a file, `--exit-zero`, completions, the man page,
//! and a panic that exits 2 with a request for a bug report.

mod common;

use common::*;
use std::path::Path;

/// A copy of the harmonia fixture in a temporary folder with a subfolder.
fn harmonia_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["regaudit.toml", "notice.toml", "asiakkaat.csv"] {
        std::fs::copy(fixture("harmonia").join(name), dir.path().join(name)).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("exports/2026-11")).unwrap();
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    regaudit().current_dir(dir).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

#[test]
fn scan_without_arguments_finds_the_config_here_or_in_a_parent() {
    let dir = harmonia_copy();
    let here = run_in(dir.path(), &["scan", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(here.status.code(), Some(1), "{}", text(&here.stderr));
    let below = run_in(
        &dir.path().join("exports/2026-11"),
        &["scan", "--as-of", AS_OF, "--format", "json"],
    );
    assert_eq!(below.status.code(), Some(1), "{}", text(&below.stderr));
    let a: serde_json::Value = serde_json::from_slice(&here.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&below.stdout).unwrap();
    assert_eq!(a["summary"], b["summary"]);
    assert_eq!(a["findings"][0]["file"], "asiakkaat.csv");
    assert_eq!(b["findings"][0]["file"], "../../asiakkaat.csv");
    // --verbose says which config it found.
    let verbose = run_in(
        &dir.path().join("exports/2026-11"),
        &["scan", "--as-of", AS_OF, "--verbose"],
    );
    let stderr = text(&verbose.stderr);
    assert!(stderr.contains("config ../../regaudit.toml"), "{stderr}");
    assert!(stderr.contains("rules enabled"), "{stderr}");
    assert!(stderr.contains("fingerprint key"), "{stderr}");

    // Nowhere to be found: a usage error that says what to do.
    let empty = tempfile::tempdir().unwrap();
    let none = run_in(empty.path(), &["scan"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none.stderr).contains("no regaudit.toml in this folder or any parent"));
}

#[test]
fn config_flag_names_the_config_file() {
    let dir = harmonia_copy();
    let config = dir.path().join("regaudit.toml");
    let out = regaudit()
        .args([
            "scan",
            "--as-of",
            AS_OF,
            "--config",
            config.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("ID001"));
    // It conflicts with a positional target.
    let out = regaudit()
        .args([
            "scan",
            "fixtures/harmonia",
            "--config",
            config.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_report_written_to_a_file_leaves_a_one_line_summary_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let out = regaudit()
        .args([
            "scan",
            "fixtures/harmonia",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ])
        .args(["--output", report.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "regaudit: 9 findings (0 critical, 3 high, 3 medium, 3 low, 0 info); report written to"
        ),
        "{stderr}"
    );
    assert!(stderr.trim_end().ends_with("exit 1"), "{stderr}");
    // --quiet: nothing.
    let out = regaudit()
        .args(["scan", "fixtures/harmonia", "--as-of", AS_OF, "--quiet"])
        .args(["--output", report.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn exit_zero_passes_findings_but_not_errors() {
    let out = regaudit()
        .args(["scan", "fixtures/harmonia", "--as-of", AS_OF, "--exit-zero"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("9 findings"));
    let out = regaudit()
        .args(["scan", "fixtures/nope", "--exit-zero"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn environment_variables_set_the_flags_ci_uses() {
    let out = regaudit()
        .env("REGAUDIT_FAIL_ON", "never")
        .env("REGAUDIT_FORMAT", "json")
        .env("REGAUDIT_AS_OF", AS_OF)
        .args(["scan", "fixtures/harmonia"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["as_of"], AS_OF);
    // A flag beats the variable.
    let out = regaudit()
        .env("REGAUDIT_FAIL_ON", "never")
        .args(["scan", "fixtures/harmonia", "--fail-on", "high"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = regaudit()
        .env("REGAUDIT_EXIT_ZERO", "true")
        .args(["scan", "fixtures/harmonia"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = regaudit()
        .env("REGAUDIT_EXIT_ZERO", "false")
        .args(["scan", "fixtures/harmonia"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The help names the variables.
    let help = text(&regaudit().args(["scan", "--help"]).output().unwrap().stdout);
    for var in [
        "REGAUDIT_FAIL_ON",
        "REGAUDIT_FORMAT",
        "REGAUDIT_BASELINE",
        "REGAUDIT_COLOR",
    ] {
        assert!(help.contains(var), "{var} missing from scan --help");
    }
}

#[test]
fn color_is_used_only_when_asked_or_on_a_terminal() {
    let scan = |args: &[&str], no_color: bool| {
        let mut cmd = regaudit();
        cmd.args(["scan", "fixtures/harmonia", "--as-of", AS_OF])
            .args(args);
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        text(&cmd.output().unwrap().stdout)
    };
    assert!(scan(&["--color", "always"], false).contains("\u{1b}["));
    // --color always is an explicit request: it beats NO_COLOR.
    assert!(scan(&["--color", "always"], true).contains("\u{1b}["));
    assert!(!scan(&["--color", "never"], false).contains("\u{1b}["));
    // auto: not a terminal here, so no colour.
    assert!(!scan(&[], false).contains("\u{1b}["));
    // Colour never reaches a report file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.txt");
    regaudit()
        .args([
            "scan",
            "fixtures/harmonia",
            "--as-of",
            AS_OF,
            "--color",
            "always",
        ])
        .args(["--output", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!std::fs::read_to_string(&file).unwrap().contains("\u{1b}["));
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = regaudit().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        assert!(script.contains("write-baseline"), "{shell}");
        assert!(script.contains("compare"), "{shell}");
    }
    let out = regaudit().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(page.contains(".TH regaudit"), "{page}");
    assert!(page.contains("compare"), "{page}");
    let out = regaudit().args(["man", "scan"]).output().unwrap();
    let page = text(&out.stdout);
    assert!(page.contains(".TH regaudit-scan"), "{page}");
    assert!(page.contains("write\\-baseline"), "{page}");
    assert!(page.contains("REGAUDIT_FAIL_ON"), "{page}");
    let out = regaudit().args(["man", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_panic_exits_2_with_a_request_for_a_bug_report() {
    // REGAUDIT_TEST_PANIC is test-only: debug builds panic on purpose.
    let out = regaudit()
        .env("REGAUDIT_TEST_PANIC", "1")
        .args(["scan", "fixtures/harmonia"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "never Rust's 101");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("internal error"), "{stderr}");
    assert!(stderr.contains("bug report"), "{stderr}");
    assert!(
        !stderr.contains("deliberate panic"),
        "the payload is not shown: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
}
