//! Fingerprints that cannot leak and survive next month's export.
//!
//! 1. A brute force: a register keyed by identity codes shows them masked as
//!    `131052-***T`; an attacker holding the report tries the 1,000
//!    candidates against each fingerprint, with every scheme they could
//!    know. Nothing may match. The same attack recovers a code from a
//!    fingerprint made the way regaudit used to make them (unkeyed SHA-256),
//!    so the test can fail.
//! 2. A finding's identity is what it is about: rule, register, record,
//!    column and violating value; not the file's name, the row's position,
//!    other rows or unrelated columns.

mod common;

use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The old scheme: unkeyed SHA-256 of the parts, cut to 16 hex digits.
fn sha256_parts(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for p in parts {
        hasher.update(p.as_bytes());
        hasher.update([0x1f]);
    }
    format!("{:x}", hasher.finalize())[..16].to_string()
}

fn blake3_parts(key: Option<[u8; 32]>, parts: &[&str]) -> String {
    let mut hasher = match key {
        Some(k) => blake3::Hasher::new_keyed(&k),
        None => blake3::Hasher::new(),
    };
    for p in parts {
        hasher.update(p.as_bytes());
        hasher.update(&[0x1f]);
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// Every identity code a masked one (`131052-***T`) leaves open.
fn candidates(masked: &str) -> Vec<String> {
    if masked.len() != 11 || &masked[7..10] != "***" {
        return Vec::new();
    }
    (0..1000)
        .map(|n| format!("{}{n:03}{}", &masked[..7], &masked[10..]))
        .collect()
}

/// The attacker: every candidate under every scheme they might know (the
/// old unkeyed one, unkeyed BLAKE3, BLAKE3 keyed from nothing or from the
/// report's key id), with and without the file name and the value.
fn recovered(finding: &Value, report: &Value) -> Option<String> {
    let record = finding["record"].as_str()?;
    let text = |k: &str| finding[k].as_str().unwrap_or("").to_string();
    let (rule, register, column) = (text("rule"), text("register"), text("column"));
    let file = std::path::Path::new(&text("file"))
        .file_name()?
        .to_string_lossy()
        .to_string();
    let key_id = report["fingerprint_key"].as_str().unwrap_or("");
    let guessed_keys = [
        None,
        Some(blake3::derive_key(
            "regaudit 2026-11 finding fingerprint key",
            b"",
        )),
        Some(blake3::derive_key(
            "regaudit 2026-11 finding fingerprint key",
            key_id.as_bytes(),
        )),
        Some(blake3::derive_key(
            "regaudit 2026-11 finding fingerprint key",
            b"regaudit",
        )),
    ];
    let target = text("fingerprint");
    for code in candidates(record) {
        let identity = format!("key:{code}");
        let layouts: [Vec<&str>; 4] = [
            vec![&rule, &register, &file, &identity, &column, ""],
            vec![&rule, &register, &identity, &column, "", &code],
            vec![&rule, &register, &identity, &column, ""],
            vec![&rule, &register, &file, &identity, &column, "", &code],
        ];
        for parts in &layouts {
            if sha256_parts(parts) == target
                || guessed_keys
                    .iter()
                    .any(|k| blake3_parts(*k, parts) == target)
            {
                return Some(code);
            }
        }
    }
    None
}

fn keyed_by_identity_code() -> Value {
    let csv = "henkilotunnus,nimi,viimeisin_kaynti\n131052-308T,Maija,2026-01-01\n150385-234K,Kalle,2026-02-01\n";
    scan_csv(
        NOTICE_EXCLUDING_HETU,
        "asiakkaat.csv",
        csv,
        &["--key", "henkilotunnus"],
    )
    .1
}

#[test]
fn brute_force_recovers_no_identity_code_from_a_report() {
    let report = keyed_by_identity_code();
    let findings = report["findings"].as_array().unwrap();
    let masked: Vec<&Value> = findings
        .iter()
        .filter(|f| f["record"].as_str().is_some_and(|r| r.contains("***")))
        .collect();
    assert!(
        masked.len() >= 2,
        "the register must show masked keys: {findings:?}"
    );
    for f in &masked {
        assert_eq!(recovered(f, &report), None, "recovered from {f}");
    }
    let text = report.to_string();
    assert!(!text.contains(TEST_KEY), "the key itself is in the report");
    assert!(!text.contains("131052-308T") && !text.contains("150385-234K"));
}

#[test]
fn the_same_brute_force_breaks_an_unkeyed_fingerprint() {
    // A finding fingerprinted the old way, for the attack to find.
    let identity = "key:131052-308T";
    let fingerprint = sha256_parts(&[
        "ID001",
        "asiakkaat",
        "asiakkaat.csv",
        identity,
        "henkilotunnus",
        "",
    ]);
    let finding = serde_json::json!({
        "rule": "ID001", "register": "asiakkaat", "file": "x/asiakkaat.csv",
        "record": "131052-***T", "column": "henkilotunnus", "fingerprint": fingerprint,
    });
    let report = serde_json::json!({ "fingerprint_key": "" });
    assert_eq!(recovered(&finding, &report).as_deref(), Some("131052-308T"));
}

const HEADER: &str = "asiakasnumero,nimi,lisätiedot,viimeisin_kaynti";
const ROWS: [&str; 3] = [
    "A1,Maija,soita ensin,2026-01-01",
    "A2,Kalle,hetu 131052-308T laskulle,2024-01-01",
    "A3,Teemu,,2026-02-01",
];

/// Fingerprints by (rule, record, column) of a scan of `rows` in a file
/// named `file`, for one register named `asiakkaat`.
fn fingerprints(file: &str, rows: &[String]) -> BTreeMap<String, String> {
    let csv = format!("{HEADER}\n{}\n", rows.join("\n"));
    let (_, report) = scan_csv(
        NOTICE_EXCLUDING_HETU,
        file,
        &csv,
        &["--register", "asiakkaat"],
    );
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                format!("{} {} {}", f["rule"], f["record"], f["column"]),
                f["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn rows(edit: impl FnOnce(&mut Vec<String>)) -> Vec<String> {
    let mut rows: Vec<String> = ROWS.iter().map(|r| r.to_string()).collect();
    edit(&mut rows);
    rows
}

#[test]
fn a_findings_identity_survives_what_it_is_not_about() {
    let base = fingerprints("asiakkaat-2026-10.csv", &rows(|_| {}));
    let id001 = "\"ID001\" \"A2\" \"lisätiedot\"";
    let ret001 = "\"RET001\" \"A2\" \"viimeisin_kaynti\"";
    assert!(
        base.contains_key(id001) && base.contains_key(ret001),
        "{base:?}"
    );
    let same = |name: &str, other: BTreeMap<String, String>| {
        for key in [id001, ret001] {
            assert_eq!(base.get(key), other.get(key), "{name} changed {key}");
        }
    };
    same(
        "next month's file name",
        fingerprints("asiakkaat-2026-11.csv", &rows(|_| {})),
    );
    same(
        "reordered rows",
        fingerprints("a.csv", &rows(|r| r.reverse())),
    );
    same(
        "another row added",
        fingerprints(
            "a.csv",
            &rows(|r| r.insert(0, "A0,Anna,,2026-03-01".into())),
        ),
    );
    same(
        "another row removed",
        fingerprints(
            "a.csv",
            &rows(|r| {
                r.remove(0);
            }),
        ),
    );
    same(
        "an unrelated column changed",
        fingerprints(
            "a.csv",
            &rows(|r| r[1] = "A2,Kalle Kokeilija,hetu 131052-308T laskulle,2024-01-01".into()),
        ),
    );
}

#[test]
fn a_findings_identity_changes_with_its_record_or_value() {
    let base = fingerprints("a.csv", &rows(|_| {}));
    let id001 = |record: &str| format!("\"ID001\" \"{record}\" \"lisätiedot\"");
    let other_record = fingerprints("a.csv", &rows(|r| r[1] = r[1].replacen("A2", "A9", 1)));
    assert_ne!(base[&id001("A2")], other_record[&id001("A9")]);
    let other_value = fingerprints(
        "a.csv",
        &rows(|r| r[1] = r[1].replace("131052-308T", "150385-234K")),
    );
    assert_ne!(base[&id001("A2")], other_value[&id001("A2")]);
}

/// `regaudit scan fixtures/harmonia --format json` with the environment `env` sets up.
fn harmonia_json(env: impl FnOnce(&mut assert_cmd::Command)) -> std::process::Output {
    let mut cmd = regaudit();
    env(&mut cmd);
    cmd.args([
        "scan",
        "fixtures/harmonia",
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ])
    .output()
    .unwrap()
}

#[test]
fn fingerprints_follow_the_key() {
    let run = |key: &str| {
        let out = harmonia_json(|cmd| {
            cmd.env("REGAUDIT_FINGERPRINT_KEY", key);
        });
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let (a, b, c) = (
        run("team key one"),
        run("team key one"),
        run("team key two"),
    );
    let prints = |r: &Value| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fingerprint"].to_string())
            .collect()
    };
    assert_eq!(prints(&a), prints(&b));
    assert_eq!(a["fingerprint_key"], b["fingerprint_key"]);
    assert_ne!(prints(&a), prints(&c));
    assert_ne!(a["fingerprint_key"], c["fingerprint_key"]);
}

#[test]
fn without_a_key_a_user_key_file_is_created_private_and_reused() {
    let home = tempfile::tempdir().unwrap();
    let scan = || {
        harmonia_json(|cmd| {
            cmd.env_remove("REGAUDIT_FINGERPRINT_KEY")
                .env_remove("XDG_CONFIG_HOME")
                .env("HOME", home.path());
        })
    };
    let first = scan();
    assert!(String::from_utf8_lossy(&first.stderr).contains("created a fingerprint key"));
    let path = home.path().join(".config/regaudit/fingerprint.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let second = scan();
    assert!(
        second.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(first.stdout, second.stdout);
}
