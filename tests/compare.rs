//! `regaudit compare OLD.json NEW.json` through the CLI: findings matched by
//! fingerprint, counted new, fixed and unchanged by rule and register.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const HEADER: &str = "asiakasnumero,nimi,lisätiedot,viimeisin_kaynti";

/// Scans `rows` as register `asiakkaat` (file `name`) into a JSON report file.
fn report(dir: &Path, name: &str, rows: &[&str]) -> PathBuf {
    let notice = write(dir, "notice.toml", NOTICE_EXCLUDING_HETU);
    let data = write(dir, name, format!("{HEADER}\n{}\n", rows.join("\n")));
    let out = dir.join(format!("{name}.json"));
    let status = regaudit()
        .arg("scan")
        .args(["--notice", notice.to_str().unwrap()])
        .args(["--data", data.to_str().unwrap()])
        .args(["--register", "asiakkaat", "--key", "asiakasnumero"])
        .args(["--format", "json", "--as-of", AS_OF, "--quiet"])
        .args(["--output", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    out
}

#[test]
fn compare_counts_new_fixed_and_unchanged_by_rule_and_register() {
    let dir = tempfile::tempdir().unwrap();
    let october = report(
        dir.path(),
        "asiakkaat-2026-10.csv",
        &[
            "A1,Maija,soita ensin,2026-01-01",
            "A2,Kalle,hetu 131052-308T laskulle,2024-01-01",
            "A3,Teemu,hetu 150385-234K,2026-02-01",
        ],
    );
    // November: A2 is gone (ID001 and RET001 fixed), A3 stays (ID001
    // unchanged, although the rows moved), A4 is new (ID001 and RET001 new).
    let november = report(
        dir.path(),
        "asiakkaat-2026-11.csv",
        &[
            "A4,Liisa,hetu 010199-123Y,2023-01-01",
            "A3,Teemu,hetu 150385-234K,2026-02-01",
            "A1,Maija,soita ensin,2026-01-01",
        ],
    );
    let out = regaudit()
        .arg("compare")
        .arg(&october)
        .arg(&november)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows: Vec<String> = json["by_rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} new={} fixed={} unchanged={}",
                r["register"].as_str().unwrap(),
                r["rule"].as_str().unwrap(),
                r["new"],
                r["fixed"],
                r["unchanged"]
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "asiakkaat ID001 new=1 fixed=1 unchanged=1",
            "asiakkaat RET001 new=1 fixed=1 unchanged=0",
        ]
    );
    assert_eq!(json["total"]["new"], 2);
    assert_eq!(json["total"]["fixed"], 2);
    assert_eq!(json["total"]["unchanged"], 1);

    let out = regaudit()
        .arg("compare")
        .arg(&october)
        .arg(&november)
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("Total: 2 new, 2 fixed, 1 unchanged"),
        "{table}"
    );
    assert!(table.contains("RET001"), "{table}");
    // Counts only: no record, evidence or value.
    for value in ["A2", "131052", "Kalle"] {
        assert!(!table.contains(value) && !String::from_utf8_lossy(&out.stderr).contains(value));
    }
}

#[test]
fn compare_refuses_reports_made_with_different_keys_and_non_reports() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.json",
        r#"{"fingerprint_key": "aaaaaaaaaaaa", "findings": []}"#,
    );
    let b = write(
        dir.path(),
        "b.json",
        r#"{"fingerprint_key": "bbbbbbbbbbbb", "findings": []}"#,
    );
    let out = regaudit().arg("compare").arg(&a).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("same key"));
    let junk = write(dir.path(), "junk.json", "[1, 2]");
    let out = regaudit()
        .arg("compare")
        .arg(&a)
        .arg(&junk)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("junk.json:1:"));
}
