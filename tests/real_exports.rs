//! Exports as real systems write them, audited with a notice and no column
//! mapping and no `--key`: the header rows of five real export formats
//! (Shopify customers, Mailchimp audience, Netvisor customer register,
//! Salesforce contacts, a Finnish member register), taken from their public
//! documentation or code (each fixture's README names its source), filled
//! with fictional people. Findings and coverage are checked against each
//! fixture's `expected.txt` and README.

mod common;

use common::*;
use serde_json::Value;

fn scan(dir: &str, data: &str, extra: &[&str]) -> (i32, Value) {
    let base = format!("fixtures/exports/{dir}");
    let notice = format!("{base}/notice.toml");
    let data = format!("{base}/{data}");
    let mut args = vec!["--notice", notice.as_str(), "--data", data.as_str()];
    args.extend_from_slice(extra);
    let (code, report) = scan_json(&args);
    let expected: Vec<String> = std::fs::read_to_string(format!("{base}/expected.txt"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(finding_lines(&report), expected, "{dir}");
    (code, report)
}

/// `(status, reason)` of a rule's coverage entries, in report order.
fn coverage_of(report: &Value, rule: &str) -> Vec<(String, String)> {
    report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["rule"] == rule)
        .map(|c| {
            (
                c["status"].as_str().unwrap().to_string(),
                c["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn messages_of<'a>(report: &'a Value, rule: &str) -> Vec<&'a str> {
    findings_of(report, rule)
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect()
}

fn warnings(report: &Value) -> String {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["warnings"].as_array().unwrap())
        .map(|w| w.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn shopify_customer_export_with_a_marketing_log_and_no_key_flag() {
    let (code, report) = scan(
        "shopify",
        "customers_export.csv",
        &["--events", "fixtures/exports/shopify/events.csv"],
    );
    assert_eq!(code, 1);
    // The event log joined on `Customer ID` without --key, and the customer
    // number is shown as it is.
    let mkt = findings_of(&report, "MKT002");
    assert_eq!(mkt[0]["record"], "'7100000000002");
    assert_eq!(coverage_of(&report, "MKT002")[0].0, "evaluated");
    let blocked = messages_of(&report, "COV001");
    assert!(
        blocked
            .iter()
            .any(|m| m.starts_with("RET001") && m.contains("last_purchase or created")),
        "{blocked:?}"
    );
    assert!(
        blocked
            .iter()
            .any(|m| m.starts_with("MKT001") && m.contains("no ban log")),
        "{blocked:?}"
    );
    assert_eq!(coverage_of(&report, "RET001")[0].0, "not_evaluated");
    assert_eq!(coverage_of(&report, "MKT001")[0].0, "not_evaluated");
    // Vendor headers understood without a mapping.
    let columns = |name: &str| {
        let info = report["inputs"][0]["columns"]
            .as_array()
            .map(|c| c.to_vec());
        info.and_then(|c| c.into_iter().find(|c| c["name"] == name))
    };
    assert!(
        columns("Email").is_none(),
        "columns are shown only with --show-mapping"
    );
}

#[test]
fn shopify_mapping_is_understood_from_vendor_headers() {
    let (_, report) = scan(
        "shopify",
        "customers_export.csv",
        &[
            "--events",
            "fixtures/exports/shopify/events.csv",
            "--show-mapping",
        ],
    );
    let roles: Vec<(String, String)> = report["inputs"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().into(),
                c["role"].as_str().unwrap().into(),
            )
        })
        .collect();
    for (name, role) in [
        ("Customer ID", "key"),
        ("Accepts Email Marketing", "consent"),
        ("Accepts SMS Marketing", "sms_consent"),
        ("Default Address Zip", "postcode"),
        ("Default Address Address1", "address"),
        ("Default Address Country Code", "residence_country"),
        ("Note", "notes"),
        ("Total Spent", "other"),
    ] {
        assert!(
            roles.contains(&(name.into(), role.into())),
            "{name}: {roles:?}"
        );
    }
}

#[test]
fn mailchimp_audience_export_is_kept_from_the_opt_in() {
    let (code, report) = scan("mailchimp", "audience_export.csv", &[]);
    assert_eq!(code, 1);
    assert_eq!(coverage_of(&report, "RET001")[0].0, "evaluated");
    assert_eq!(coverage_of(&report, "LB003")[0].0, "skipped");
    assert!(warnings(&report).contains("no record-key column"));
    // Without a key, findings name rows.
    assert!(findings_of(&report, "RET001")
        .iter()
        .all(|f| f["record"].is_null()));
}

#[test]
fn netvisor_customer_register_has_no_end_of_customership() {
    let (code, report) = scan("netvisor", "asiakkaat.csv", &[]);
    assert_eq!(code, 1);
    let id001 = findings_of(&report, "ID001");
    assert_eq!(
        id001[0]["record"], "C0001236",
        "customer numbers are not masked"
    );
    assert_eq!(id001[0]["evidence"], "131052-***T");
    let blocked = messages_of(&report, "COV001");
    assert!(
        blocked[0].starts_with("RET001") && blocked[0].contains("relationship_end"),
        "{blocked:?}"
    );
    assert!(
        blocked[0].contains("no unmapped column looks like one"),
        "{blocked:?}"
    );
}

#[test]
fn salesforce_contacts_export_uses_api_field_names() {
    let (code, report) = scan("salesforce", "contacts.csv", &[]);
    assert_eq!(code, 1);
    assert!(findings_of(&report, "COV001").is_empty());
    let ret = findings_of(&report, "RET001");
    assert_eq!(ret[0]["record"], "0035e00000AbCdE2");
}

#[test]
fn finnish_member_register_without_an_end_date_or_key() {
    let (code, report) = scan("tietokilta", "sample-import.csv", &[]);
    assert_eq!(code, 1);
    let blocked = messages_of(&report, "COV001");
    assert!(blocked[0].contains("relationship_end"), "{blocked:?}");
    assert!(warnings(&report).contains("no record-key column"));
    assert_eq!(findings_of(&report, "ACC001")[0]["record"], Value::Null);
}

#[test]
fn a_candidate_column_is_named_and_mapping_it_makes_the_rule_run() {
    // RET001's anchor under an unknown header: COV001 names the date column as
    // a candidate; mapping it makes RET001 run instead.
    let csv = "asiakasnumero,nimi,käyntipv\nA1,Maija,2020-01-01\nA2,Kalle,2026-01-01\n";
    let (_, report) = scan_csv(NOTICE_EXCLUDING_HETU, "data.csv", csv, &[]);
    let blocked = messages_of(&report, "COV001");
    assert!(
        blocked[0].contains("`käyntipv` (header unknown; 2 of 2 sampled cells are dates)"),
        "{blocked:?}"
    );
    let mapping = ["--column", "käyntipv=last_service"];
    let (_, report) = scan_csv(NOTICE_EXCLUDING_HETU, "data.csv", csv, &mapping);
    assert!(findings_of(&report, "COV001").is_empty());
    assert_eq!(rows_of(&report, "RET001"), vec![1]);
}
