//! `regaudit clean` through the CLI: the dry run writes nothing, the copy is
//! in the input's own dialect, a scan of the copy finds none of the findings
//! that were cleaned, every row is accounted for, the input is never
//! touched and the change log holds no value.

mod common;

use common::{fixture, regaudit, AS_OF};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Runs `regaudit clean ARGS --format json --as-of AS_OF`; (exit code, summary, stderr).
fn clean(args: &[&str]) -> (i32, Value, String) {
    let out = regaudit()
        .arg("clean")
        .args(args)
        .args(["--format", "json", "--as-of", AS_OF])
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let summary = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, summary, stderr)
}

/// A notice that excludes identity codes and declares `declared`.
fn notice_excluding_codes(dir: &Path, declared: &str) -> String {
    let path = dir.join("notice.toml");
    std::fs::write(
        &path,
        format!(
            "[notice]\ncontroller = \"Esimerkki Oy\"\nregister = \"Asiakkaat\"\nlanguage = \"fi\"\n\
             [categories]\ndeclared = [{declared}]\n\
             excluded = [\"user.government_id.national_identification_number\"]\n"
        ),
    )
    .unwrap();
    s(&path)
}

/// `clean --notice N --data INPUT --out OUT EXTRA…`.
fn clean_into(notice: &str, input: &Path, out: &Path, extra: &[&str]) -> (i32, Value, String) {
    let (data, out) = (s(input), s(out));
    let mut args = vec!["--notice", notice, "--data", &data, "--out", &out];
    args.extend_from_slice(extra);
    clean(&args)
}

fn scan(args: &[&str]) -> Value {
    let out = regaudit()
        .arg("scan")
        .args(args)
        .args(["--format", "json", "--as-of", AS_OF, "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn change_log(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.deserialize().map(|r| r.unwrap()).collect()
}

fn checksum(path: &Path) -> Vec<u8> {
    // The bytes themselves: small fixtures, and any change shows.
    std::fs::read(path).unwrap()
}

/// Every row read is written or left out for a reason.
fn assert_rows_accounted(summary: &Value) {
    for f in summary["files"].as_array().unwrap() {
        let left_out: u64 = f["rows_left_out"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(
            f["rows_read"].as_u64().unwrap(),
            f["rows_written"].as_u64().unwrap() + left_out,
            "{f}"
        );
    }
}

/// A copy of a fixture folder in a temporary folder (clean never writes
/// into the repository, and the tests must not either).
fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture(name);
    for entry in std::fs::read_dir(&from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let path = dir.path().to_path_buf();
    (dir, path)
}

#[test]
fn the_dry_run_says_what_would_change_and_writes_nothing() {
    let (_keep, dir) = copy_fixture("harmonia");
    let before: BTreeSet<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let input = dir.join("asiakkaat.csv");
    let bytes = checksum(&input);
    let (code, summary, stderr) = clean(&[&s(&dir)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("dry run"), "{stderr}");
    assert_eq!(summary["dry_run"], Value::Bool(true));
    let file = &summary["files"][0];
    assert_eq!(file["rows_read"], 7);
    // Two records are past their retention deadline (RET001).
    assert_eq!(file["rows_left_out"]["RET001"], 2);
    assert_eq!(file["rows_written"], 5);
    assert_eq!(file["output"], Value::Null);
    assert_rows_accounted(&summary);
    let after: BTreeSet<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after, "a dry run writes no file");
    assert_eq!(bytes, checksum(&input));
}

#[test]
fn a_scan_of_the_copy_finds_none_of_the_cleaned_findings() {
    let (_keep, dir) = copy_fixture("harmonia");
    let input = dir.join("asiakkaat.csv");
    let bytes = checksum(&input);
    let before = scan(&[&s(&dir)]);
    let encoding_before = before["inputs"][0]["encoding"].clone();
    let out = tempfile::tempdir().unwrap();
    let (code, summary, stderr) = clean(&[&s(&dir), "--out", &s(out.path())]);
    assert_eq!(code, 0, "{stderr}");
    assert_rows_accounted(&summary);
    assert_eq!(bytes, checksum(&input), "the input is never written");
    let copy = out.path().join("asiakkaat.csv");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in [&copy, &out.path().join("changes.csv")] {
            let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", f.display());
        }
    }
    let changes = change_log(&out.path().join("changes.csv"));
    let cleaned: BTreeSet<&str> = changes.iter().map(|c| c["fingerprint"].as_str()).collect();
    assert!(!cleaned.is_empty());
    // The same register and notice over the copy.
    let after = scan(&[
        "--notice",
        &s(&dir.join("notice.toml")),
        "--data",
        &s(&copy),
        "--register",
        "harmonia",
        "--key",
        "asiakasnumero",
    ]);
    let now = common::fingerprint_rules(&after);
    for fp in &cleaned {
        assert!(
            !now.contains_key(*fp),
            "cleaned finding {fp} is still in the copy"
        );
    }
    // Findings whose rule keeps them (ACC001) are still there, with the same identity.
    let before = common::fingerprint_rules(&before);
    let kept: Vec<&String> = before
        .iter()
        .filter(|(_, rule)| rule.as_str() == "ACC001")
        .map(|(fp, _)| fp)
        .collect();
    assert!(!kept.is_empty());
    for fp in kept {
        assert!(now.contains_key(fp), "kept finding {fp} lost");
    }
    // The copy is read in the same dialect: semicolons, UTF-8 with its BOM.
    let input_report = &after["inputs"][0];
    assert_eq!(input_report["delimiter"], ";");
    assert_eq!(input_report["encoding"], encoding_before);
    assert_eq!(after["summary"]["rows_read"], 5);
}

#[test]
fn the_copy_keeps_the_dialect_windows_1252_crlf_and_quoting() {
    let dir = tempfile::tempdir().unwrap();
    let notice = notice_excluding_codes(dir.path(), "\"user.name\", \"user.contact\", \"user.unique_id\", \"user.privacy_preferences\", \"user.content\"");
    let rows = [
        "\"jäsennumero\";\"nimi\";\"henkilötunnus\";\"lisätiedot\"",
        "\"J-1\";\"Äijälä Matti\";\"150385-234K\";\"Maksoi käteisellä\"",
        "\"J-2\";\"Öhman Sara\";\"\";\"Hetu 010203A234K annettu puhelimessa\"",
        "\"J-3\";\"Åberg Liisa\";\"\";\"\"",
    ];
    let text = rows.join("\r\n") + "\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    let input = dir.path().join("jasenet.csv");
    std::fs::write(&input, &bytes).unwrap();
    let out = dir.path().join("clean");
    let (code, summary, stderr) =
        clean(&["--notice", &notice, "--data", &s(&input), "--out", &s(&out)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read(&input).unwrap(),
        bytes.to_vec(),
        "input untouched"
    );
    let file = &summary["files"][0];
    assert_eq!(
        file["columns_dropped"],
        serde_json::json!(["henkilötunnus"])
    );
    let copy = std::fs::read(out.join("jasenet.csv")).unwrap();
    assert!(!copy.windows(2).any(|w| w == [0xC3, 0xA4]), "not UTF-8");
    let (decoded, _, had_errors) = encoding_rs::WINDOWS_1252.decode(&copy);
    assert!(!had_errors);
    assert_eq!(
        decoded,
        "\"jäsennumero\";\"nimi\";\"lisätiedot\"\r\n\
         \"J-1\";\"Äijälä Matti\";\"Maksoi käteisellä\"\r\n\
         \"J-2\";\"Öhman Sara\";\"Hetu [removed] annettu puhelimessa\"\r\n\
         \"J-3\";\"Åberg Liisa\";\"\"\r\n"
    );
    let after = scan(&[
        "--notice",
        &notice,
        "--data",
        &s(&out.join("jasenet.csv")),
        "--register",
        "jasenet",
    ]);
    assert_eq!(after["inputs"][0]["encoding"], "windows-1252");
    assert!(
        !after["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "ID001"),
        "{after}"
    );
}

#[test]
fn ndjson_copies_drop_nested_fields_and_leave_out_rejected_lines() {
    let dir = tempfile::tempdir().unwrap();
    let notice = notice_excluding_codes(dir.path(), "\"user.name\", \"user.contact\", \"user.unique_id\", \"user.privacy_preferences\", \"user.content\"");
    let lines = [
        r#"{"id":"A-1","name":"Maija Mallikas","person":{"hetu":"150385-234K","city":"Turku"},"active":true}"#,
        r#"{"id":"A-2","name":"Kalle Kokeilija","person":{"hetu":null,"city":"Oulu"},"active":false}"#,
        r#"{"id":"A-3", broken"#,
        "",
        r#"{"id":"A-4","name":"Teemu Testaaja","person":{"city":"Vaasa"},"active":true}"#,
    ];
    let input = dir.path().join("asiakkaat.ndjson");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("clean");
    let changes = dir.path().join("changes.json");
    let (code, summary, stderr) = clean_into(&notice, &input, &out, &["--changes", &s(&changes)]);
    assert_eq!(code, 0, "{stderr}");
    assert_rows_accounted(&summary);
    let file = &summary["files"][0];
    assert_eq!(file["rows_read"], 4);
    assert_eq!(file["rows_left_out"]["rejected"], 1);
    let copy = std::fs::read_to_string(out.join("asiakkaat.ndjson")).unwrap();
    let objects: Vec<Value> = copy
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 3);
    assert_eq!(
        objects[0],
        serde_json::json!({"id":"A-1","name":"Maija Mallikas","person":{"city":"Turku"},"active":true})
    );
    // Key order is kept.
    assert!(copy
        .lines()
        .next()
        .unwrap()
        .starts_with(r#"{"id":"A-1","name""#));
    let log: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&changes).unwrap()).unwrap();
    assert!(log
        .iter()
        .any(|c| c["action"] == "left-out-rejected" && c["row"] == 3));
    assert!(log
        .iter()
        .any(|c| c["action"] == "drop-column" && c["rule"] == "ID001"));
}

#[test]
fn the_change_log_holds_no_personal_value() {
    let (_keep, dir) = copy_fixture("harmonia");
    let out = tempfile::tempdir().unwrap();
    let (code, _, stderr) = clean(&[&s(&dir), "--out", &s(out.path())]);
    assert_eq!(code, 0, "{stderr}");
    let log = std::fs::read_to_string(out.path().join("changes.csv")).unwrap();
    let data = std::fs::read_to_string(dir.join("asiakkaat.csv")).unwrap();
    let mut lines = data.lines();
    let header = lines.next().unwrap();
    for line in lines {
        for (i, value) in line.split(';').enumerate() {
            // The record key and column names may appear; no other value may.
            if i == 0 || value.len() < 4 || header.contains(value) {
                continue;
            }
            assert!(
                !log.contains(value),
                "the change log quotes `{value}`:\n{log}"
            );
        }
    }
}

#[test]
fn actions_come_from_the_config_and_the_command_line() {
    let (_keep, dir) = copy_fixture("harmonia");
    let config = dir.join("regaudit.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[clean.actions]\nRET001 = \"keep\"\n"),
    )
    .unwrap();
    let (code, summary, stderr) = clean(&[&s(&dir)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        summary["files"][0]["rows_written"], 7,
        "RET001 kept by the config"
    );
    assert_eq!(summary["files"][0]["findings_kept"]["RET001"], 2);
    let (_, summary, _) = clean(&[&s(&dir), "--action", "RET001=remove-record"]);
    assert_eq!(summary["files"][0]["rows_written"], 5, "the flag wins");

    let (code, _, stderr) = clean(&[&s(&dir), "--action", "RET001=drop-column"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("RET001 cannot `drop-column`"), "{stderr}");
    std::fs::write(
        &config,
        format!("{text}\n[clean.actions]\nACC001 = \"remove-record\"\n"),
    )
    .unwrap();
    let (code, _, stderr) = clean(&[&s(&dir)]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("[clean.actions]") && stderr.contains("ACC001"),
        "{stderr}"
    );
}

#[test]
fn clean_never_overwrites_its_input() {
    let (_keep, dir) = copy_fixture("harmonia");
    let input = dir.join("asiakkaat.csv");
    let bytes = checksum(&input);
    let (code, _, stderr) = clean(&[&s(&dir), "--out", &s(&dir)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("refusing to overwrite an input file"),
        "{stderr}"
    );
    assert_eq!(bytes, checksum(&input));
}

#[test]
fn a_generated_register_cleans_to_a_copy_without_its_cleaned_findings() {
    let dir = tempfile::tempdir().unwrap();
    let register = dir.path().join("register");
    regaudit()
        .args([
            "synth",
            "--out",
            &s(&register),
            "--rows",
            "3000",
            "--seed",
            "7",
        ])
        .assert()
        .success();
    let out = dir.path().join("clean");
    let (code, summary, stderr) = clean(&[&s(&register), "--out", &s(&out)]);
    assert_eq!(code, 0, "{stderr}");
    assert_rows_accounted(&summary);
    let file = &summary["files"][0];
    assert!(
        file["rows_left_out"]["RET001"].as_u64().unwrap() > 0,
        "{file}"
    );
    let changes = change_log(&out.join("changes.csv"));
    // The copy under the same register name, without the marketing logs.
    let after = scan(&[
        "--notice",
        &s(&register.join("notice.toml")),
        "--data",
        &s(&out.join("register.csv")),
        "--register",
        "synth",
        "--key",
        "asiakasnumero",
    ]);
    let now = common::fingerprint_rules(&after);
    let mut by_action: HashMap<&str, usize> = HashMap::new();
    for c in &changes {
        *by_action.entry(c["action"].as_str()).or_default() += 1;
        assert!(!now.contains_key(&c["fingerprint"]), "{c:?} still found");
    }
    assert!(
        by_action["remove-record"] > 0 && by_action["reset-flag"] > 0,
        "{by_action:?}"
    );
    assert_eq!(
        after["summary"]["rows_read"].as_u64(),
        file["rows_written"].as_u64()
    );
}

#[test]
fn an_excluded_column_can_be_masked_instead_of_dropped_and_health_notes_blanked() {
    let dir = tempfile::tempdir().unwrap();
    let notice = notice_excluding_codes(
        dir.path(),
        "\"user.name\", \"user.unique_id\", \"user.content\"",
    );
    let input = dir.path().join("asiakkaat.csv");
    std::fs::write(
        &input,
        "asiakasnumero,nimi,henkilötunnus,lisätiedot\n\
         A-1,Maija Mallikas,150385-234K,Toivoo iltapäiväaikoja\n\
         A-2,Kalle Kokeilija,,Sairastaa diabetesta\n",
    )
    .unwrap();
    let out = dir.path().join("clean");
    let (code, summary, stderr) =
        clean_into(&notice, &input, &out, &["--action", "ID001=mask-column"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        summary["files"][0]["columns_masked"],
        serde_json::json!(["henkilötunnus"])
    );
    let copy = std::fs::read_to_string(out.join("asiakkaat.csv")).unwrap();
    assert_eq!(
        copy,
        "asiakasnumero,nimi,henkilötunnus,lisätiedot\n\
         A-1,Maija Mallikas,150385-***K,Toivoo iltapäiväaikoja\n\
         A-2,Kalle Kokeilija,,\n"
    );
    let after = scan(&[
        "--notice",
        &notice,
        "--data",
        &s(&out.join("asiakkaat.csv")),
        "--register",
        "asiakkaat",
    ]);
    let rules: BTreeSet<&str> = after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.contains("ID001") && !rules.contains("CAT002"),
        "{rules:?}"
    );
}
