//! `regaudit discover` and `regaudit init` through the CLI: the profile of
//! every fixture register, no raw personal value in it, the drafts and the
//! scaffold loading in `scan`, and bad input exiting 2.

mod common;

use common::*;
use regaudit::detect::{email, hetu};
use regaudit::ingest::{InputPath, ReadOptions, RejectedRow, RowSource, RowVisitor};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Every fixture register's data files, with the roles of their key columns.
const PROFILES: &[(&str, &[(&str, &str)])] = &[
    (
        "fixtures/harmonia/asiakkaat.csv",
        &[
            ("asiakasnumero", "key"),
            ("sähköposti", "email"),
            ("puhelin", "phone"),
            ("viimeisin_palvelutapahtuma", "last_service"),
            ("lisätiedot", "notes"),
        ],
    ),
    (
        "fixtures/helpten/asiakkaat.csv",
        &[
            ("asiakasnumero", "key"),
            ("henkilötunnus", "identity_code"),
            ("syntymäaika", "birth_date"),
            ("y-tunnus", "business_id"),
            ("tilinumero", "iban"),
            ("markkinointilupa", "consent"),
        ],
    ),
    (
        "fixtures/heltti/jasenet.json",
        &[
            ("jasennumero", "key"),
            ("hetu", "identity_code"),
            ("yhteystiedot.sahkoposti", "email"),
            ("terveystiedot", "health"),
            ("kirjautumis_ip", "ip_address"),
        ],
    ),
    (
        "fixtures/plusterveys/yhteyshenkilot.ndjson",
        &[
            ("asiakasnro", "key"),
            ("y_tunnus", "business_id"),
            ("sahkoposti", "email"),
            ("syntymapaiva", "birth_date"),
        ],
    ),
    (
        "fixtures/wellflix/asiakkaat.csv",
        &[
            ("customer_id", "key"),
            ("billing_email", "email"),
            ("ip_address", "ip_address"),
            ("date_of_birth", "birth_date"),
            ("notes", "notes"),
        ],
    ),
    (
        "fixtures/exports/mailchimp/audience_export.csv",
        &[("Email Address", "email"), ("OPTIN_IP", "ip_address")],
    ),
    (
        "fixtures/exports/netvisor/asiakkaat.csv",
        &[("Asiakaskoodi", "key"), ("Postinumero", "postcode")],
    ),
    (
        "fixtures/exports/salesforce/contacts.csv",
        &[("Birthdate", "birth_date"), ("Email__c", "email")],
    ),
    (
        "fixtures/exports/shopify/customers_export.csv",
        &[("Customer ID", "key"), ("Email", "email")],
    ),
    (
        "fixtures/exports/tietokilta/sample-import.csv",
        &[("email", "email"), ("membershipStartDate", "created")],
    ),
];

fn discover(args: &[&str]) -> (i32, String, String) {
    let out = regaudit().arg("discover").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn profile(file: &str) -> Value {
    let (code, stdout, stderr) = discover(&[file, "--format", "json"]);
    assert_eq!(code, 0, "{file}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn column<'a>(profile: &'a Value, name: &str) -> &'a Value {
    profile["files"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn discover_maps_the_key_columns_of_every_fixture_register() {
    for (file, expected) in PROFILES {
        let p = profile(file);
        assert!(p["files"][0]["rows"].as_u64().unwrap() > 0, "{file}");
        for (name, role) in *expected {
            assert_eq!(column(&p, name)["role"], *role, "{file}: {name}");
        }
    }
}

#[test]
fn discover_counts_the_evidence() {
    let p = profile("fixtures/helpten/asiakkaat.csv");
    let codes = &column(&p, "henkilötunnus")["evidence"]["identity_codes"];
    assert_eq!(
        (codes["valid"].as_u64(), codes["invalid"].as_u64()),
        (Some(5), Some(1))
    );
    let p = profile("fixtures/harmonia/asiakkaat.csv");
    let notes = column(&p, "lisätiedot");
    assert_eq!(notes["evidence"]["identity_codes_in_text"], 1);
    assert!(notes["evidence"]["free_text"].as_u64().unwrap() > 0);
    let emails = &column(&p, "sähköposti")["evidence"]["emails"];
    assert_eq!(
        (emails["valid"].as_u64(), emails["invalid"].as_u64()),
        (Some(6), Some(1))
    );
    assert_eq!(column(&p, "puhelin")["evidence"]["free_text"], 0);
    let p = profile("fixtures/heltti/jasenet.json");
    assert!(
        column(&p, "terveystiedot")["evidence"]["health_words"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert!(
        column(&p, "kirjautumis_ip")["evidence"]["ip_addresses"]
            .as_u64()
            .unwrap()
            > 0
    );
    let rows = p["files"][0]["rows"].as_u64().unwrap();
    let lisatiedot = column(&p, "lisatiedot");
    let empty = lisatiedot["evidence"]["empty"].as_u64().unwrap();
    assert_eq!(
        lisatiedot["share_empty"].as_f64().unwrap(),
        ((empty as f64 / rows as f64) * 1000.0).round() / 1000.0
    );
}

/// Raw personal data in a file: whole cells of identifying columns, and
/// identity codes and e-mail addresses found anywhere (as in privacy_determinism.rs).
fn personal_values(path: &Path) -> BTreeSet<String> {
    struct Collect {
        identifying: Vec<bool>,
        values: BTreeSet<String>,
    }
    impl RowVisitor for Collect {
        fn row(&mut self, _row: u64, cells: &[Option<&str>]) {
            for (i, cell) in cells.iter().enumerate() {
                let Some(cell) = cell else { continue };
                // Yes/no flags ("false") in a column like `HasOptedOutOfEmail` identify no one.
                if self.identifying[i]
                    && cell.chars().count() >= 4
                    && regaudit::values::parse_bool(cell).is_none()
                {
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
    let mut source = RowSource::open(
        &InputPath::File(path.to_path_buf()),
        &ReadOptions::default(),
    )
    .unwrap();
    let identifying = source
        .headers
        .iter()
        .map(|h| {
            let h = regaudit::columns::normalize_header(h);
            [
                "nimi",
                "name",
                "sahkoposti",
                "email",
                "puhelin",
                "phone",
                "hetu",
                "henkilotunnus",
                "lisatiedot",
                "notes",
            ]
            .iter()
            .any(|k| h.contains(k))
        })
        .collect();
    let mut collect = Collect {
        identifying,
        values: BTreeSet::new(),
    };
    source.visit_all(&mut collect).unwrap();
    collect.values
}

#[test]
fn discover_prints_no_raw_personal_value_unless_revealed() {
    for (file, _) in PROFILES {
        let values = personal_values(&root().join(file));
        assert!(!values.is_empty(), "{file}");
        for format in ["table", "json"] {
            let (code, stdout, _) = discover(&[file, "--format", format]);
            assert_eq!(code, 0);
            for value in &values {
                assert!(
                    !stdout.contains(value.as_str()),
                    "{file} ({format}) leaks {value:?}"
                );
            }
        }
        // The check can fail: revealed examples do hold raw values.
        let (_, revealed, _) = discover(&[file, "--reveal"]);
        assert!(
            values.iter().any(|v| revealed.contains(v.as_str())),
            "{file}"
        );
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn scan_dir(dir: &Path) -> Value {
    let (code, report) = scan_json(&[dir.to_str().unwrap()]);
    assert!(
        code == 0 || code == 1,
        "scan {} exited {code}",
        dir.display()
    );
    report
}

#[test]
fn drafts_load_in_scan_as_written_for_every_fixture_register() {
    for (file, _) in PROFILES {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("draft");
        let (code, _, stderr) = discover(&[file, "--write", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{file}: {stderr}");
        for name in ["regaudit.toml", "notice.toml"] {
            assert_eq!(mode(&out.join(name)), 0o600, "{name}");
        }
        let notice = std::fs::read_to_string(out.join("notice.toml")).unwrap();
        assert!(notice.contains("# TODO confirm against the real notice"));
        let report = scan_dir(&out);
        assert!(
            report["inputs"][0]["rows_read"].as_u64().unwrap() > 0,
            "{file}: {report}"
        );
        // What the data hold is declared, so no column is an undeclared category.
        assert!(
            findings_of(&report, "CAT001").is_empty(),
            "{file}: {:?}",
            findings_of(&report, "CAT001")
        );
    }
}

#[test]
fn write_refuses_to_overwrite_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("notice.toml"), "mine").unwrap();
    let (code, _, stderr) = discover(&["fixtures/harmonia/asiakkaat.csv", "--write", out]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("notice.toml") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(!dir.path().join("regaudit.toml").exists(), "all or nothing");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notice.toml")).unwrap(),
        "mine"
    );
    let (code, _, _) = discover(&["fixtures/harmonia/asiakkaat.csv", "--write", out, "--force"]);
    assert_eq!(code, 0);
    scan_dir(dir.path());
}

#[test]
fn init_scaffolds_files_that_load_in_scan() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("fixtures/harmonia/asiakkaat.csv");
    let out = regaudit()
        .args([
            "init",
            dir.path().to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["regaudit.toml", "notice.toml"] {
        assert_eq!(mode(&dir.path().join(name)), 0o600);
    }
    let report = scan_dir(dir.path());
    assert_eq!(report["inputs"][0]["rows_read"], 7);

    // Without --data the placeholder is DIR/export.csv: put an export there and scan.
    let bare = tempfile::tempdir().unwrap();
    let out = regaudit()
        .args(["init", bare.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let config = std::fs::read_to_string(bare.path().join("regaudit.toml")).unwrap();
    assert!(config.contains("data = [\"export.csv\"]"), "{config}");
    std::fs::copy(&data, bare.path().join("export.csv")).unwrap();
    scan_dir(bare.path());
    // A second init does not overwrite.
    let out = regaudit()
        .args(["init", bare.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    for file in [
        "fixtures/no-such-file.csv",
        "fixtures/bad/json/bare_number.json",
        "fixtures/bad/csv/empty.csv",
        "fixtures/harmonia",
    ] {
        let (code, stdout, stderr) = discover(&[file]);
        assert_eq!(code, 2, "{file}: {stdout}{stderr}");
        assert!(stderr.contains(file), "{file}: {stderr}");
    }
    let (code, _, _) = discover(&[]);
    assert_eq!(code, 2);
}
