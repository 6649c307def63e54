//! The ready-made pipelines in `examples/` run: every `regaudit …` command of
//! the CI examples (with the job's REGAUDIT_* variables) and the whole
//! pre-merge script, in a copy of the harmonia fixture whose baseline holds
//! today's findings. Each passes on the export as it is and fails (exit 1)
//! once a new high finding is added.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository as the examples expect it: regaudit.toml, the notice, the
/// export, and a baseline of the export's findings.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["regaudit.toml", "notice.toml", "asiakkaat.csv"] {
        std::fs::copy(fixture("harmonia").join(name), dir.path().join(name)).unwrap();
    }
    let out = regaudit()
        .current_dir(dir.path())
        .args(["scan", "--as-of", AS_OF, "--quiet"])
        .args(["--write-baseline", "regaudit-baseline.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    dir
}

/// Adds a customer whose notes hold an identity code: a new ID001 (high).
fn add_new_high_finding(dir: &Path) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("asiakkaat.csv"))
        .unwrap();
    let text = std::fs::read_to_string(dir.join("asiakkaat.csv")).unwrap();
    if !text.ends_with('\n') {
        writeln!(file).unwrap();
    }
    writeln!(
        file,
        "H-1099;Uusi;Asiakas;uusi@example.fi;040 123 4599;00100;Emfit-unimonitori;ei;1.11.2026;hetu 010199-123Y"
    )
    .unwrap();
}

fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(name)).unwrap()
}

/// The `regaudit …` command lines of a CI file (`run: regaudit …`, `- regaudit …`).
fn regaudit_commands(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_start())
        .map(|l| l.strip_prefix("- ").unwrap_or(l))
        .map(|l| l.strip_prefix("run: ").unwrap_or(l))
        .filter(|l| l.starts_with("regaudit "))
        .map(str::to_string)
        .collect()
}

/// The job's own REGAUDIT_* and NO_COLOR variables (not secrets).
fn job_variables(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.trim().split_once(": "))
        .filter(|(k, v)| (k.starts_with("REGAUDIT_") || *k == "NO_COLOR") && !v.contains('$'))
        .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
        .collect()
}

/// A shell whose PATH finds the regaudit under test, with the test key and date.
fn shell(dir: &Path, variables: &[(String, String)]) -> Command {
    let bin: PathBuf = assert_cmd::cargo::cargo_bin("regaudit");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("sh");
    for var in FLAG_VARIABLES {
        cmd.env_remove(var);
    }
    cmd.current_dir(dir)
        .env("PATH", path)
        .env("REGAUDIT_FINGERPRINT_KEY", TEST_KEY)
        .env("REGAUDIT_AS_OF", AS_OF)
        .envs(variables.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    cmd
}

fn run_ci_example(name: &str, expect_outputs: &[&str]) {
    let text = example(name);
    let commands = regaudit_commands(&text);
    assert!(!commands.is_empty(), "{name} has no regaudit command");
    let variables = job_variables(&text);
    for (new_finding, expected) in [(false, 0), (true, 1)] {
        let dir = repository();
        if new_finding {
            add_new_high_finding(dir.path());
        }
        for command in &commands {
            let out = shell(dir.path(), &variables)
                .args(["-c", command])
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(expected),
                "{name}: `{command}` with a new finding: {new_finding}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        for output in expect_outputs {
            let report: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(dir.path().join(output)).unwrap())
                    .unwrap();
            assert_eq!(report["baseline"]["new"], u64::from(new_finding));
        }
    }
}

#[test]
fn the_github_actions_workflow_fails_on_new_high_findings_only() {
    run_ci_example("github-actions.yml", &["regaudit.json"]);
}

#[test]
fn the_ci_examples_write_sarif_junit_and_markdown() {
    let dir = repository();
    add_new_high_finding(dir.path());
    for name in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = example(name);
        for command in regaudit_commands(&text) {
            shell(dir.path(), &job_variables(&text))
                .args(["-c", &command])
                .output()
                .unwrap();
        }
    }
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("regaudit.sarif")).unwrap())
            .unwrap();
    let new = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["baselineState"] == "new")
        .count();
    assert_eq!(new, 1);
    let junit = std::fs::read_to_string(dir.path().join("regaudit-junit.xml")).unwrap();
    assert!(junit.contains("<testsuite"), "{junit}");
    let comment = std::fs::read_to_string(dir.path().join("regaudit-comment.md")).unwrap();
    assert!(comment.contains("**1 new**"), "{comment}");
}

#[test]
fn the_gitlab_job_fails_on_new_high_findings_only() {
    let text = example("gitlab-ci.yml");
    assert!(job_variables(&text).contains(&("REGAUDIT_FAIL_ON".into(), "high".into())));
    run_ci_example("gitlab-ci.yml", &["regaudit.json"]);
}

#[test]
fn the_pre_merge_script_passes_known_findings_and_stops_new_ones() {
    let script = root().join("examples/pre-merge.sh");
    let dir = repository();
    // main's report, for the trend.
    let out = regaudit()
        .current_dir(dir.path())
        .args(["scan", "--as-of", AS_OF, "--quiet", "--format", "json"])
        .args(["--output", "main.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let vars = [("MAIN_REPORT".to_string(), "main.json".to_string())];
    let out = shell(dir.path(), &vars).arg(&script).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Total: 0 new, 0 fixed, 9 unchanged"),
        "{stdout}"
    );

    add_new_high_finding(dir.path());
    let out = shell(dir.path(), &vars).arg(&script).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Total: 1 new, 0 fixed, 9 unchanged"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("new findings at or above high"), "{stderr}");

    // A broken config: status 2, said so.
    std::fs::write(dir.path().join("regaudit.toml"), "[registers.x]\n").unwrap();
    let out = shell(dir.path(), &vars).arg(&script).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not audit"));
}
