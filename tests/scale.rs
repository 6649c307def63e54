//! A generated 100k-row register (regaudit synth): the same findings for any
//! thread count and batch size, and the generator is deterministic.

mod common;

use common::*;
use sha2::{Digest, Sha256};

fn synth(dir: &std::path::Path, rows: &str, seed: &str) {
    regaudit()
        .args(["synth", "--out"])
        .arg(dir)
        .args(["--rows", rows, "--seed", seed])
        .assert()
        .success();
}

fn digest(path: &std::path::Path) -> String {
    format!("{:x}", Sha256::digest(std::fs::read(path).unwrap()))
}

#[test]
fn generator_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    synth(a.path(), "2000", "7");
    synth(b.path(), "2000", "7");
    for file in ["register.csv", "events.csv", "bans.csv"] {
        assert_eq!(
            digest(&a.path().join(file)),
            digest(&b.path().join(file)),
            "{file}"
        );
    }
    let c = tempfile::tempdir().unwrap();
    synth(c.path(), "2000", "8");
    assert_ne!(
        digest(&a.path().join("register.csv")),
        digest(&c.path().join("register.csv"))
    );
}

#[test]
fn generated_100k_register_gives_the_same_report_for_any_threads_and_batches() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "100000", "1");
    let target = dir.path().to_str().unwrap();
    let run = |threads: &str, batch: &str| scan_json_bytes(target, threads, batch);
    let first = regaudit()
        .args([
            "scan",
            target,
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--threads",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(1));
    let reference = first.stdout;
    let report: serde_json::Value = serde_json::from_slice(&reference).unwrap();
    // Every rule the generator plants a violation for fires, and no row is lost.
    let by_rule = report["summary"]["by_rule"].as_object().unwrap();
    for rule in [
        "ID002", "ID003", "CAT002", "LB001", "LB002", "LB003", "RET001", "RET002", "MKT001",
        "MKT002", "TRF001", "ACC001",
    ] {
        assert!(
            by_rule.get(rule).and_then(|v| v.as_u64()).unwrap_or(0) > 0,
            "{rule} never fired"
        );
    }
    assert_eq!(report["inputs"][0]["rows_read"], 100_000);
    assert_eq!(report["inputs"][0]["rows_rejected"], 0);
    assert!(reference == run("4", "65536"), "4 threads differ");
    assert!(reference == run("4", "1000"), "batches of 1000 differ");
    assert!(reference == run("2", "77777"), "odd batch size differs");
}

/// The marketing join keeps at most `--log-records-in-memory` records of each
/// log in memory and joins a few parts of the keys at a time: spilling after
/// every record, or never, gives the same report byte for byte.
#[test]
fn spilling_the_marketing_logs_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    synth(dir.path(), "20000", "3");
    let target = dir.path().to_str().unwrap();
    let scan = |threads: &str, in_memory: &str| {
        regaudit()
            .args(["scan", target, "--as-of", AS_OF, "--format", "json"])
            .args(["--threads", threads, "--log-records-in-memory", in_memory])
            .output()
            .unwrap()
            .stdout
    };
    let reference = scan("1", "100000000");
    let report: serde_json::Value = serde_json::from_slice(&reference).unwrap();
    for rule in ["MKT001", "MKT002"] {
        assert!(
            report["summary"]["by_rule"][rule].as_u64().unwrap_or(0) > 0,
            "{rule} never fired"
        );
    }
    for (threads, in_memory) in [("1", "1"), ("4", "1"), ("2", "777"), ("4", "100000")] {
        assert!(
            scan(threads, in_memory) == reference,
            "--threads {threads} --log-records-in-memory {in_memory} differs"
        );
    }
}

/// A record stated in two data files: the later file's row decides the
/// profile, however the profiles spill.
#[test]
fn the_later_files_row_gives_a_records_marketing_profile() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("notice.toml"),
        std::fs::read_to_string(fixture("wellflix").join("notice.toml")).unwrap(),
    )
    .unwrap();
    let header = "customer_id,customer_type,accepts_marketing,do_not_market\n";
    std::fs::write(
        p.join("a.csv"),
        format!("{header}K1,person,yes,no\nK2,person,no,no\nK3,person,yes,no\n"),
    )
    .unwrap();
    std::fs::write(
        p.join("b.csv"),
        format!("{header}K1,person,no,no\nK2,person,yes,no\n"),
    )
    .unwrap();
    std::fs::write(
        p.join("events.csv"),
        "customer_id,channel,sent_at\nK1,email,2026-09-14\nK2,email,2026-09-15\nK3,email,2026-09-16\nK9,email,2026-09-17\n",
    )
    .unwrap();
    std::fs::write(
        p.join("regaudit.toml"),
        "[registers.shop]\nnotice = \"notice.toml\"\ndata = [\"a.csv\", \"b.csv\"]\n\
         key = \"customer_id\"\nevents = \"events.csv\"\n",
    )
    .unwrap();
    for in_memory in ["1", "100000"] {
        let out = regaudit()
            .args([
                "scan",
                p.to_str().unwrap(),
                "--as-of",
                AS_OF,
                "--format",
                "json",
            ])
            .args(["--select", "MKT002", "--log-records-in-memory", in_memory])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let records: Vec<&str> = findings_of(&report, "MKT002")
            .iter()
            .map(|f| f["record"].as_str().unwrap())
            .collect();
        assert_eq!(records, ["K1"], "--log-records-in-memory {in_memory}");
        let events = report["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"].as_str().unwrap().ends_with("events.csv"))
            .unwrap();
        // K9 is not in the register: its event is rejected, and said so.
        assert_eq!(events["rows_rejected"], 1, "{events:#}");
    }
}
