//! End-to-end tests of `regaudit scan` through the CLI: invocation forms,
//! report fields, exit statuses, masking, mapping and determinism.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn demo_prints_findings_and_exits_1() {
    regaudit()
        .args(["scan", "fixtures/harmonia", "--as-of", AS_OF])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ID001"))
        .stdout(predicate::str::contains("RET001"))
        .stdout(predicate::str::contains("Summary:"));
}

#[test]
fn config_file_path_and_folder_are_equivalent() {
    let (code_dir, by_dir) = scan_json(&["fixtures/harmonia"]);
    let (code_file, by_file) = scan_json(&["fixtures/harmonia/regaudit.toml"]);
    assert_eq!(code_dir, 1);
    assert_eq!(code_file, 1);
    assert_eq!(by_dir, by_file);
}

#[test]
fn json_report_has_findings_summary_and_inputs() {
    let (_, report) = scan_json(&["fixtures/harmonia"]);
    let finding = &report["findings"][0];
    for field in [
        "rule",
        "severity",
        "register",
        "file",
        "row",
        "record",
        "column",
        "message",
        "evidence",
        "fingerprint",
    ] {
        assert!(
            finding.get(field).is_some(),
            "finding lacks {field}: {finding}"
        );
    }
    let input = &report["inputs"][0];
    assert_eq!(input["path"], "fixtures/harmonia/asiakkaat.csv");
    assert_eq!(input["rows_read"], 7);
    assert_eq!(input["rows_audited"], 7);
    assert_eq!(input["rows_rejected"], 0);
    assert_eq!(input["delimiter"], ";");
    assert_eq!(input["encoding"], "utf-8 (BOM)");
    let summary = &report["summary"];
    assert_eq!(
        summary["total"],
        report["findings"].as_array().unwrap().len()
    );
    assert_eq!(summary["by_rule"]["RET001"], 2);
    assert_eq!(summary["by_severity"]["high"], 3);
}

#[test]
fn id001_finds_the_code_in_notes_but_not_the_near_miss() {
    let (_, report) = scan_json(&["fixtures/harmonia"]);
    let id001 = findings_of(&report, "ID001");
    assert_eq!(id001.len(), 1, "{id001:?}");
    assert_eq!(id001[0]["row"], 3);
    assert_eq!(id001[0]["record"], "H-1003");
    assert_eq!(id001[0]["evidence"], "150385-***K");
}

#[test]
fn retention_deadline_day_boundary() {
    let (_, report) = scan_json(&["fixtures/harmonia"]);
    let rows = rows_of(&report, "RET001");
    // Row 4's last visit was 23.11.2024: its deadline is tomorrow, so it is clean.
    assert_eq!(rows, vec![2, 5]);
    // A later audit date makes row 4 overdue too.
    let (_, later) = {
        let out = regaudit()
            .args([
                "scan",
                "fixtures/harmonia",
                "--format",
                "json",
                "--as-of",
                "2026-11-24",
            ])
            .output()
            .unwrap();
        (
            out.status.code(),
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        )
    };
    let later_rows = rows_of(&later, "RET001");
    assert_eq!(later_rows, vec![2, 4, 5]);
}

#[test]
fn config_less_scan_with_notice_and_data() {
    let (code, report) = scan_json(&[
        "--notice",
        "fixtures/harmonia/notice.toml",
        "--data",
        "fixtures/harmonia/asiakkaat.csv",
        "--key",
        "asiakasnumero",
    ]);
    let (_, with_config) = scan_json(&["fixtures/harmonia"]);
    assert_eq!(code, 1);
    assert_eq!(finding_lines(&report), finding_lines(&with_config));
    assert_eq!(report["findings"][0]["register"], "asiakkaat");
}

#[test]
fn fail_on_threshold_sets_the_exit_status() {
    let run = |level: &str| {
        regaudit()
            .args([
                "scan",
                "fixtures/harmonia",
                "--as-of",
                AS_OF,
                "--fail-on",
                level,
            ])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run("never"), Some(0));
    assert_eq!(run("critical"), Some(0));
    assert_eq!(run("high"), Some(1));
    assert_eq!(run("info"), Some(1));
    assert_eq!(run("severe"), Some(2));
}

#[test]
fn evidence_is_masked_unless_reveal() {
    let masked = scan_stdout("fixtures/harmonia", &["--format", "json"]);
    let text = String::from_utf8(masked).unwrap();
    assert!(!text.contains("150385-234K"), "identity code leaked");
    assert!(!text.contains("ville.vallaton"), "e-mail leaked");
    let revealed = scan_stdout("fixtures/harmonia", &["--format", "json", "--reveal"]);
    let text = String::from_utf8(revealed).unwrap();
    assert!(text.contains("150385-234K"));
}

#[test]
fn output_file_is_private_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    regaudit()
        .args([
            "scan",
            "fixtures/harmonia",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--output",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(report["summary"]["total"], 9);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn output_never_overwrites_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "data.csv", "id,nimi\n1,Maija\n");
    let notice = write(dir.path(), "notice.toml", NOTICE_EXCLUDING_HETU);
    let before = std::fs::read(&data).unwrap();
    let stderr = scan_error(&[
        "--notice",
        notice.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--output",
        data.to_str().unwrap(),
    ]);
    assert!(
        stderr.contains("refusing to overwrite an input"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&data).unwrap(), before);
}

#[test]
fn show_mapping_reports_roles_and_how_they_were_found() {
    let dir = tempfile::tempdir().unwrap();
    let notice = write(dir.path(), "notice.toml", NOTICE_EXCLUDING_HETU);
    // `tunniste` is no known header: its content (identity codes) decides its role.
    let data = write(
        dir.path(),
        "data.csv",
        "Asiakasnumero,Sähköposti,tunniste,väri\nA1,maija@example.fi,131052-308T,sininen\nA2,kalle@example.fi,150385-234K,punainen\n",
    );
    let (_, report) = scan_json(&[
        "--notice",
        notice.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--show-mapping",
    ]);
    let columns = report["inputs"][0]["columns"].as_array().unwrap();
    let role = |name: &str| {
        let c = columns.iter().find(|c| c["name"] == name).unwrap();
        (
            c["role"].as_str().unwrap().to_string(),
            c["source"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(role("Asiakasnumero"), ("key".into(), "header".into()));
    assert_eq!(role("Sähköposti"), ("email".into(), "header".into()));
    assert_eq!(role("tunniste"), ("identity_code".into(), "content".into()));
    assert_eq!(role("väri"), ("other".into(), "none".into()));
    // The identity codes found by content are ID001 findings (the notice excludes
    // them); retention from last_service cannot be checked here (COV001).
    assert_eq!(rules_fired(&report), vec!["COV001", "ID001"]);

    regaudit()
        .args(["scan", "--notice"])
        .arg(&notice)
        .arg("--data")
        .arg(&data)
        .args(["--show-mapping", "--as-of", AS_OF])
        .assert()
        .stdout(predicate::str::contains("Column mapping"))
        .stdout(predicate::str::contains("identity_code"));
}

#[test]
fn config_mapping_overrides_headers() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notice.toml", NOTICE_EXCLUDING_HETU);
    write(
        dir.path(),
        "data.csv",
        "nro;huom;käynti\n1;hetu 131052-308T;1.1.2020\n2;ok;1.1.2026\n",
    );
    write(
        dir.path(),
        "regaudit.toml",
        "[registers.testi]\nnotice = \"notice.toml\"\ndata = \"data.csv\"\nkey = \"nro\"\n[registers.testi.columns]\nhuom = \"notes\"\n\"käynti\" = \"last_service\"\n",
    );
    let (code, report) = scan_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(
        finding_lines(&report),
        vec!["ID001 1 huom", "RET001 1 käynti"]
    );
}

#[test]
fn output_is_identical_across_thread_counts_and_batch_sizes() {
    let run = |threads: &str, batch: &str| scan_json_bytes("fixtures/harmonia", threads, batch);
    let one = run("1", "65536");
    assert_eq!(one, run("4", "65536"));
    assert_eq!(one, run("2", "2"));
    assert_eq!(one, run("8", "1"));
}

#[test]
fn fingerprints_do_not_depend_on_row_order() {
    let dir = tempfile::tempdir().unwrap();
    let notice = write(dir.path(), "notice.toml", NOTICE_EXCLUDING_HETU);
    let rows = [
        "A1;Maija;hetu 131052-308T;1.1.2020",
        "A2;Kalle;;1.1.2026",
        "A3;Teemu;150385-234K;2.2.2021",
    ];
    let header = "asiakasnumero;nimi;lisätiedot;viimeisin_palvelutapahtuma\n";
    let forward = write(
        dir.path(),
        "f.csv",
        format!("{header}{}\n", rows.join("\n")),
    );
    let mut reversed_rows = rows;
    reversed_rows.reverse();
    let backward = write(
        dir.path(),
        "b.csv",
        format!("{header}{}\n", reversed_rows.join("\n")),
    );
    let prints = |data: &std::path::Path| {
        let (_, report) = scan_json(&[
            "--notice",
            notice.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--key",
            "asiakasnumero",
        ]);
        let mut v: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {}", f["record"], f["fingerprint"]))
            .collect();
        v.sort();
        v
    };
    let f = prints(&forward);
    assert_eq!(f.len(), 4);
    // Same register name (file stem differs), so compare record+fingerprint sets via a
    // register-independent run: both files are scanned as register "data".
    let same_name_dir = tempfile::tempdir().unwrap();
    let a = write(
        same_name_dir.path(),
        "data.csv",
        std::fs::read(&forward).unwrap(),
    );
    let fa = prints(&a);
    let b = write(
        same_name_dir.path(),
        "data.csv",
        std::fs::read(&backward).unwrap(),
    );
    let fb = prints(&b);
    assert_eq!(fa, fb);
}

#[test]
fn rules_and_explain_print_the_catalogue() {
    regaudit()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("ID001"))
        .stdout(predicate::str::contains("retention-overdue"));
    regaudit()
        .args(["explain", "RET001"])
        .assert()
        .success()
        .stdout(predicate::str::contains("What it does"))
        .stdout(predicate::str::contains("Why it matters"))
        .stdout(predicate::str::contains("Example"))
        .stdout(predicate::str::contains("GDPR Art. 5(1)(e)"));
    regaudit().args(["explain", "XYZ999"]).assert().code(2);
}

#[test]
fn select_and_ignore_choose_rules() {
    let (_, only_ret) = scan_json(&["fixtures/harmonia", "--select", "RET"]);
    assert_eq!(rules_fired(&only_ret), vec!["RET001"]);
    let (_, no_acc) = scan_json(&["fixtures/harmonia", "--ignore", "ACC001"]);
    assert_eq!(rules_fired(&no_acc), vec!["ID001", "LB003", "RET001"]);
    let (_, overridden) = scan_json(&["fixtures/harmonia", "--severity", "ACC001=medium"]);
    assert!(findings_of(&overridden, "ACC001")
        .iter()
        .all(|f| f["severity"] == "medium"));
    scan_error(&["fixtures/harmonia", "--select", "NOPE"]);
}

#[test]
fn scan_defaults_in_the_config_apply_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["notice.toml", "asiakkaat.csv"] {
        std::fs::copy(fixture("harmonia").join(file), dir.path().join(file)).unwrap();
    }
    write(
        dir.path(),
        "regaudit.toml",
        "[scan]\nfail_on = \"critical\"\nignore = [\"ACC\"]\nseverity = { LB003 = \"high\" }\n\n[registers.harmonia]\nnotice = \"notice.toml\"\ndata = \"asiakkaat.csv\"\nkey = \"asiakasnumero\"\n",
    );
    let (code, report) = scan_json(&[dir.path().to_str().unwrap()]);
    // fail_on = critical: no critical findings, so exit 0.
    assert_eq!(code, 0);
    assert_eq!(rules_fired(&report), vec!["ID001", "LB003", "RET001"]);
    assert!(findings_of(&report, "LB003")
        .iter()
        .all(|f| f["severity"] == "high"));
    // The command line wins over the config.
    let (code, _) = scan_json(&[dir.path().to_str().unwrap(), "--fail-on", "high"]);
    assert_eq!(code, 1);
}
