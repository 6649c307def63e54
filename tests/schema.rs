//! The published JSON schemas: the committed files are the ones generated
//! from the report types (regenerate with `REGAUDIT_BLESS=1 cargo test --test
//! schema`), and real reports and baselines — with every optional section —
//! validate against them.

mod common;

use common::*;
use serde_json::Value;

fn check_committed(file: &str, generated: String) {
    let path = root().join(file);
    if std::env::var_os("REGAUDIT_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{file} differs from the schema generated from the types; review and run REGAUDIT_BLESS=1 cargo test --test schema"
    );
}

#[test]
fn committed_schemas_are_generated_from_the_types() {
    check_committed(
        "schema/report.schema.json",
        regaudit::report::schema::report_schema(),
    );
    check_committed(
        "schema/baseline.schema.json",
        regaudit::report::schema::baseline_schema(),
    );
}

fn validate(schema_file: &str, instance: &Value) -> Result<(), String> {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(schema_file)).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = format!("file:///regaudit/{schema_file}");
    compiler.add_resource(&url, schema).unwrap();
    let index = compiler.compile(&url, &mut schemas).unwrap();
    schemas
        .validate(instance, index)
        .map_err(|e| format!("{e:#}"))
}

#[test]
fn real_reports_and_baselines_validate_against_the_schemas() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["notice.toml", "asiakkaat.csv"] {
        std::fs::copy(fixture("harmonia").join(name), dir.path().join(name)).unwrap();
    }
    let config = std::fs::read_to_string(fixture("harmonia/regaudit.toml")).unwrap()
        + "\n[[allow]]\nrule = \"ACC001\"\nreason = \"legacy postcodes, fixed in the CRM\"\nowner = \"crm team\"\nexpires = 2027-01-01\n\n[[allow]]\nrecord = \"nobody\"\nreason = \"unused\"\n";
    write(dir.path(), "regaudit.toml", config);
    let baseline = dir.path().join("baseline.json");
    let scan = |extra: &[&str]| -> Value {
        let out = regaudit()
            .arg("scan")
            .arg(dir.path())
            .args(["--format", "json", "--as-of", AS_OF, "--show-mapping"])
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let plain = scan(&["--write-baseline", baseline.to_str().unwrap()]);
    assert_eq!(plain["schema_version"], "1.2");
    validate("schema/report.schema.json", &plain).unwrap();
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    validate("schema/baseline.schema.json", &recorded).unwrap();

    let compared = scan(&["--baseline", baseline.to_str().unwrap()]);
    assert!(compared["baseline"].is_object() && compared["allowlist"].is_object());
    assert!(compared["findings"][0]["baseline_state"].is_string());
    validate("schema/report.schema.json", &compared).unwrap();
    // The schema can fail: a report with a misspelt severity does not validate.
    let mut broken = compared.clone();
    broken["findings"][0]["severity"] = "severe".into();
    assert!(validate("schema/report.schema.json", &broken).is_err());
    let mut broken = compared;
    broken["summary"]
        .as_object_mut()
        .unwrap()
        .remove("rows_read");
    assert!(validate("schema/report.schema.json", &broken).is_err());
}
