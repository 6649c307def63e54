//! `regaudit plan` and `regaudit report` through the CLI, without an engine:
//! what a plan holds (and never holds), how refused rules show, and how a
//! findings table is read back. The engines themselves: tests/sql_engines.rs.

mod common;

use common::{fixture, regaudit, AS_OF};
use serde_json::Value;
use std::path::Path;

fn plan(out: &Path, engine: &str, extra: &[&str]) -> std::process::Output {
    regaudit()
        .args(["plan", "--engine", engine, "--out-dir"])
        .arg(out)
        .arg(fixture("harmonia"))
        .args(["--as-of", AS_OF])
        .args(extra)
        .output()
        .unwrap()
}

fn manifest(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn a_plan_holds_sql_manifest_and_runner_and_no_personal_value() {
    for (engine, runner) in [("duckdb", "run_duckdb.py"), ("spark", "run_spark.py")] {
        let dir = tempfile::tempdir().unwrap();
        let output = plan(dir.path(), engine, &[]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        for name in ["plan.sql", "manifest.json", runner] {
            let path = dir.path().join(name);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o600, "{name}");
            }
            // The plan carries the mapping, never the sample's values.
            let text = std::fs::read_to_string(&path).unwrap();
            // (Not names: the rules' documentation quotes Maija Mallikas.)
            for raw in [
                "150385-234",
                "Neurosonic",
                "Firstbeat",
                "040 123 4503",
                "teemu.testaaja@",
            ] {
                assert!(!text.contains(raw), "{engine} {name} holds `{raw}`");
            }
        }
        let m = manifest(dir.path());
        assert_eq!(m["engine"], engine);
        assert_eq!(m["as_of"], AS_OF);
        assert_eq!(m["scheme"], "regaudit-sql-plan/1");
        assert_eq!(m["semantics_hash"].as_str().unwrap().len(), 64);
        let source = &m["sources"][0];
        assert_eq!(source["key"], "asiakasnumero");
        assert!(source["columns"].as_array().unwrap().len() > 5);
        let sql = std::fs::read_to_string(dir.path().join("plan.sql")).unwrap();
        assert!(!sql.contains("\\b"), "no engine word boundary");
        assert!(!sql.to_lowercase().contains("udf"));
    }
}

/// A custom rule whose pattern is outside the portable subset: refused.
fn refused_rule(dir: &Path) -> std::path::PathBuf {
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(
        rules.join("ORG020.toml"),
        "id = \"ORG020\"\nname = \"custom-ORG020\"\nseverity = \"medium\"\nlegal = [\"Policy\"]\n\
         summary = \"A custom check.\"\n[doc]\nwhat = \"w\"\nwhy = \"y\"\nexample = \"e\"\n[check]\n\
         kind = \"pattern\"\npattern = '\\bx\\b'\nroles = [\"notes\"]\n",
    )
    .unwrap();
    rules
}

#[test]
fn rules_without_sql_are_refused_in_coverage_and_as_cov001() {
    let dir = tempfile::tempdir().unwrap();
    let rules = refused_rule(dir.path());
    let output = plan(dir.path(), "duckdb", &["--rules", rules.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ORG020: refused for duckdb"), "{stderr}");
    let m = manifest(dir.path());
    let rules = m["rules"].as_array().unwrap();
    let entry = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(entry("ID001")["compiled"], true);
    assert_eq!(entry("TRF001")["compiled"], true);
    for id in ["CAT001", "LB003", "LB004", "RET001", "RET002", "ACC001"] {
        assert_eq!(entry(id)["compiled"], true, "{id}");
    }
    assert_eq!(entry("ORG020")["compiled"], false);
    assert!(entry("ORG020")["refused"]
        .as_str()
        .unwrap()
        .contains("uses `\\b`"));
    for id in ["CAT002", "MKT001", "MKT002"] {
        assert_eq!(entry(id)["compiled"], true, "{id}");
    }
    let coverage = m["coverage"].as_array().unwrap();
    let ret = coverage.iter().find(|c| c["rule"] == "ORG020").unwrap();
    assert_eq!(ret["status"], "not_evaluated");
    assert!(ret["reason"]
        .as_str()
        .unwrap()
        .starts_with("not compiled to SQL for duckdb"));
    let statics = m["static_findings"].as_array().unwrap();
    assert!(statics
        .iter()
        .any(|f| f["rule"] == "COV001" && f["message"].as_str().unwrap().starts_with("ORG020")));

    // An empty findings table still reports the refused rules, and fails on them.
    let table = dir.path().join("findings.csv");
    std::fs::write(&table, "rule,severity,register,file,row,record,column,message,evidence,detail,identity_hash,value_hash\n").unwrap();
    let out = regaudit()
        .args(["report", "--findings"])
        .arg(&table)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_rule = &report["summary"]["by_rule"];
    assert_eq!(by_rule["COV001"].as_u64().unwrap() as usize, statics.len());
    assert!(report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["rule"] == "ORG020" && c["status"] == "not_evaluated"));
}

/// Custom rules compile by kind, pattern rules with any validator or none; a
/// pattern rule whose regular expression is outside the portable subset is
/// refused with a reason that names the rule and says why.
#[test]
fn custom_rules_compile_or_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    for (id, check) in [
        ("ORG010", "kind = \"required\"\nroles = [\"email\"]"),
        (
            "ORG011",
            "kind = \"pattern\"\npattern = \"FI[0-9]{16}\"\nvalidator = \"iban\"\nroles = [\"notes\"]",
        ),
        (
            "ORG012",
            "kind = \"pattern\"\npattern = \"\\\\b[0-9]{6}-[0-9]{3}[0-9A-Y]\\\\b\"\nvalidator = \"identity_code\"\nroles = [\"notes\"]",
        ),
        (
            "ORG013",
            "kind = \"pattern\"\npattern = \"[0-9]{6}-[0-9]{3}[0-9A-Y]\"\nvalidator = \"identity_code\"\nroles = [\"notes\"]",
        ),
        (
            "ORG014",
            "kind = \"pattern\"\npattern = \"[0-9]{7}\\\\-[0-9]\"\nroles = [\"notes\"]",
        ),
    ] {
        std::fs::write(
            rules.join(format!("{id}.toml")),
            format!(
                "id = \"{id}\"\nname = \"custom-{id}\"\nseverity = \"medium\"\nlegal = [\"Policy\"]\n\
                 summary = \"A custom check.\"\n[doc]\nwhat = \"w\"\nwhy = \"y\"\nexample = \"e\"\n[check]\n{check}\n"
            ),
        )
        .unwrap();
    }
    let out = dir.path().join("plan");
    let output = plan(
        &out,
        "spark",
        &["--rules", rules.to_str().unwrap(), "--select", "ORG,COV"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let m = manifest(&out);
    let entry = |id: &str| {
        m["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    for id in ["ORG010", "ORG011", "ORG013", "ORG014"] {
        assert_eq!(entry(id)["compiled"], true, "{id}");
    }
    let boundary = entry("ORG012")["refused"].as_str().unwrap().to_string();
    assert!(
        boundary.contains("custom rule ORG012") && boundary.contains("uses `\\b`"),
        "{boundary}"
    );
    assert!(stderr.contains("ORG012: refused for spark"), "{stderr}");
    assert!(m["static_findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "COV001" && f["message"].as_str().unwrap().starts_with("ORG012")));
}

/// A findings table as an engine writes it (here by hand, as CSV).
fn table_row(rule: &str, severity: &str, key_hash: &str, value_hash: &str) -> String {
    format!("{rule},{severity},harmonia,fixtures/harmonia/asiakkaat.csv,3,H-1003,lisätiedot,identity code inside column text,150385-***K,0,{key_hash},{value_hash}\n")
}

#[test]
fn report_reads_a_findings_table_with_the_exit_status_and_keyed_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    let output = plan(dir.path(), "duckdb", &["--select", "ID,TRF,COV"]);
    assert!(output.status.success());
    let header = "rule,severity,register,file,row,record,column,message,evidence,detail,identity_hash,value_hash\n";
    let table = dir.path().join("findings.csv");
    std::fs::write(
        &table,
        format!(
            "{header}{}{}",
            table_row("ID001", "high", "aa", "bb"),
            table_row("ID001", "high", "aa", "cc")
        ),
    )
    .unwrap();
    let report = |extra: &[&str], key: &str| {
        let out = regaudit()
            .env("REGAUDIT_FINGERPRINT_KEY", key)
            .args(["report", "--findings"])
            .arg(&table)
            .args(["--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (
            out.status.code(),
            report,
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, first, _) = report(&[], common::TEST_KEY);
    assert_eq!(code, Some(1));
    let findings = first["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0]["record"], "H-1003");
    assert_eq!(findings[0]["row"], 3);
    let fp = |r: &Value, i: usize| {
        r["findings"][i]["fingerprint"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_ne!(
        fp(&first, 0),
        fp(&first, 1),
        "the value hash tells findings apart"
    );
    let (_, again, _) = report(&[], common::TEST_KEY);
    assert_eq!(fp(&first, 0), fp(&again, 0));
    let (_, other_key, _) = report(&[], "another key");
    assert_ne!(fp(&first, 0), fp(&other_key, 0), "fingerprints are keyed");
    assert_eq!(
        report(&["--fail-on", "critical"], common::TEST_KEY).0,
        Some(0)
    );
    // Every format renders it.
    for format in [
        "table", "sarif", "junit", "csv", "markdown", "github", "html",
    ] {
        let out = regaudit()
            .args(["report", "--findings"])
            .arg(&table)
            .args(["--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(!out.stdout.is_empty(), "{format}");
    }

    // A rule the plan does not know, or a bad severity: exit 2 naming the table.
    std::fs::write(
        &table,
        format!("{header}{}", table_row("RET001", "high", "aa", "bb")),
    )
    .unwrap();
    let (code, _, stderr) = report(&[], common::TEST_KEY);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("findings.csv") && stderr.contains("RET001"),
        "{stderr}"
    );
    std::fs::write(
        &table,
        format!("{header}{}", table_row("ID001", "severe", "aa", "bb")),
    )
    .unwrap();
    let (code, _, stderr) = report(&[], common::TEST_KEY);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("unknown severity"), "{stderr}");
}

#[test]
fn a_table_in_the_engine_is_mapped_from_a_sample() {
    let dir = tempfile::tempdir().unwrap();
    let sample = fixture("harmonia").join("asiakkaat.csv");
    let out = regaudit()
        .args(["plan", "--engine", "spark", "--out-dir"])
        .arg(dir.path())
        .arg("--notice")
        .arg(fixture("harmonia").join("notice.toml"))
        .args([
            "--register",
            "customers",
            "--key",
            "asiakasnumero",
            "--engine-table",
            "crm.customers",
            "--data",
        ])
        .arg(&sample)
        .args(["--as-of", AS_OF, "--select", "ID,COV"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest(dir.path());
    let source = &m["sources"][0];
    assert_eq!(source["table"], "crm.customers");
    assert_eq!(source["is_path"], false);
    assert_eq!(source["file"], "crm.customers");
    let roles: Vec<&str> = source["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["role"].as_str().unwrap())
        .collect();
    assert!(roles.contains(&"notes"), "{roles:?}");
}
