//! Bad inputs get a clear answer: exit 2 with file, line and column, or a
//! counted, listed rejection; never a panic, never a silent drop.

mod common;

use common::*;

fn notice(dir: &std::path::Path) -> String {
    write(dir, "notice.toml", NOTICE_EXCLUDING_HETU)
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn missing_data_file_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    let stderr = scan_error(&["--notice", &n, "--data", "no/such/export.csv"]);
    assert!(
        stderr.contains("no/such/export.csv: file not found"),
        "{stderr}"
    );
}

#[test]
fn config_pointing_at_missing_files_lists_them_all() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "regaudit.toml",
        "[registers.a]\nnotice = \"nope.toml\"\ndata = [\"x.csv\", \"y.csv\"]\n",
    );
    let stderr = scan_error(&[dir.path().to_str().unwrap()]);
    assert!(
        stderr.contains("regaudit.toml:2:10: file not found"),
        "{stderr}"
    );
    assert!(
        stderr.contains("regaudit.toml:3:9: file not found"),
        "{stderr}"
    );
    assert!(
        stderr.contains("regaudit.toml:3:18: file not found"),
        "{stderr}"
    );
}

#[test]
fn malformed_csv_row_is_rejected_and_counted_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    let data = write(
        dir.path(),
        "data.csv",
        "asiakasnumero,nimi,lisätiedot\nA1,Maija,ok\nA2,Kalle,liikaa,kenttiä\nA3,Teemu,ok\n",
    );
    let (code, report) = scan_json(&["--notice", &n, "--data", data.to_str().unwrap()]);
    // The notice keeps records from last_service, which this file lacks: COV001.
    assert_eq!(rules_fired(&report), vec!["COV001"]);
    assert_eq!(code, 1);
    let input = &report["inputs"][0];
    assert_eq!(input["rows_read"], 3);
    assert_eq!(input["rows_audited"], 2);
    assert_eq!(input["rows_rejected"], 1);
    assert_eq!(input["rejected"][0]["row"], 2);
    assert_eq!(input["rejected"][0]["line"], 3);
    assert_eq!(input["rejected"][0]["reason"], "expected 3 fields, found 4");
}

#[test]
fn unknown_notice_keys_typos_and_wrong_types_are_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "notice.toml",
        "[notice]\ncontroller = \"Testi Oy\"\nregister = 5\nregistr = \"x\"\n\n[categories]\ndeclared = [\"user.contact.emial\"]\n\n[retention]\nfrom = \"last_service\"\nperiod = \"forever\"\n",
    );
    let data = write(dir.path(), "data.csv", "a\n1\n");
    let stderr = scan_error(&[
        "--notice",
        bad.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    for expected in [
        "notice.toml:3:12: `notice.register` must be a string, found integer",
        "notice.toml:4:1: unknown key `notice.registr` (did you mean `register`?)",
        "notice.toml:7:13: unknown data category `user.contact.emial` (did you mean `user.contact.email`?)",
        "notice.toml:11:10: `retention.period` `forever` is not a period",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in\n{stderr}");
    }
}

#[test]
fn unparseable_date_is_a_finding_not_a_drop() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    let data = write(
        dir.path(),
        "data.csv",
        "asiakasnumero,viimeisin_palvelutapahtuma\nA1,31.2.2024\nA2,2024-13-01\nA3,1.1.2026\n",
    );
    let (code, report) = scan_json(&["--notice", &n, "--data", data.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(
        finding_lines(&report),
        vec![
            "ACC001 1 viimeisin_palvelutapahtuma",
            "ACC001 2 viimeisin_palvelutapahtuma"
        ]
    );
    assert_eq!(report["inputs"][0]["rows_audited"], 3);
}

#[test]
fn windows_1252_file_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    // "Lisätiedot" and "hetu 131052-308T, äidin puhelin" in Windows-1252 (ä = 0xE4).
    let mut bytes =
        b"asiakasnumero;Lis\xe4tiedot\r\nA1;hetu 131052-308T, \xe4idin puhelin\r\nA2;ok\r\n"
            .to_vec();
    bytes.extend_from_slice(b"A3;P\xe4\xe4kaupunki\r\n");
    let data = write(dir.path(), "excel.csv", bytes);
    let (code, report) = scan_json(&["--notice", &n, "--data", data.to_str().unwrap(), "--reveal"]);
    assert_eq!(code, 1);
    assert_eq!(report["inputs"][0]["encoding"], "windows-1252");
    assert_eq!(report["inputs"][0]["delimiter"], ";");
    assert_eq!(
        finding_lines(&report),
        vec!["COV001 0 -", "ID001 1 Lisätiedot"]
    );
}

#[test]
fn semicolon_file_with_bom_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    let data = write(
        dir.path(),
        "bom.csv",
        "\u{feff}asiakasnumero;hetu\nA1;131052-308T\n",
    );
    let (_, report) = scan_json(&[
        "--notice",
        &n,
        "--data",
        data.to_str().unwrap(),
        "--show-mapping",
    ]);
    assert_eq!(report["inputs"][0]["encoding"], "utf-8 (BOM)");
    // The BOM does not stick to the first header: it is still recognised as the key.
    assert_eq!(report["inputs"][0]["columns"][0]["name"], "asiakasnumero");
    assert_eq!(report["inputs"][0]["columns"][0]["role"], "key");
    assert_eq!(finding_lines(&report), vec!["COV001 0 -", "ID001 1 hetu"]);
}

#[test]
fn json_that_is_neither_array_nor_ndjson_is_an_error_with_position() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    let data = write(dir.path(), "data.json", "[{\"a\": 1},\n {\"a\": }]\n");
    let stderr = scan_error(&["--notice", &n, "--data", data.to_str().unwrap()]);
    assert!(stderr.contains("data.json:2:8: invalid JSON"), "{stderr}");
}

#[test]
fn ndjson_with_one_broken_line_rejects_that_line() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    let data = write(
        dir.path(),
        "data.ndjson",
        "{\"asiakasnumero\": \"A1\", \"yhteys\": {\"hetu\": \"131052-308T\"}}\n{\"asiakasnumero\": \"A2\",\n{\"asiakasnumero\": \"A3\"}\n",
    );
    let (code, report) = scan_json(&["--notice", &n, "--data", data.to_str().unwrap()]);
    assert_eq!(code, 1);
    let input = &report["inputs"][0];
    assert_eq!(input["format"], "ndjson");
    assert_eq!(
        (input["rows_read"].as_u64(), input["rows_rejected"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(input["rejected"][0]["line"], 2);
    // Nested objects become dotted columns.
    assert_eq!(
        finding_lines(&report),
        vec!["COV001 0 -", "ID001 1 yhteys.hetu"]
    );
}

#[test]
fn missing_key_column_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    let data = write(dir.path(), "data.csv", "id,nimi\n1,Maija\n");
    let stderr = scan_error(&[
        "--notice",
        &n,
        "--data",
        data.to_str().unwrap(),
        "--key",
        "asiakasnumero",
    ]);
    assert!(
        stderr.contains("data.csv:1:1: key column `asiakasnumero` is not in the header"),
        "{stderr}"
    );
}

#[test]
fn data_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    let out = regaudit()
        .args([
            "scan", "--notice", &n, "--data", "-", "--format", "json", "--as-of", AS_OF,
        ])
        .write_stdin("asiakasnumero,lisätiedot\nA1,hetu 131052-308T\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["inputs"][0]["path"], "<stdin>");
    assert_eq!(
        finding_lines(&report),
        vec!["COV001 0 -", "ID001 1 lisätiedot"]
    );
}

#[test]
fn a_directory_given_as_data_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    let stderr = scan_error(&["--notice", &n, "--data", dir.path().to_str().unwrap()]);
    assert!(stderr.contains("is a directory"), "{stderr}");
}

#[test]
fn empty_file_is_an_error_and_header_only_is_zero_rows() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    let empty = write(dir.path(), "empty.csv", "");
    let stderr = scan_error(&["--notice", &n, "--data", empty.to_str().unwrap()]);
    assert!(stderr.contains("empty.csv: empty file"), "{stderr}");
    let header_only = write(dir.path(), "header.csv", "asiakasnumero,nimi\n");
    let (code, report) = scan_json(&["--notice", &n, "--data", header_only.to_str().unwrap()]);
    // No rows, no findings about rows; only that retention cannot be checked (COV001).
    assert_eq!(rules_fired(&report), vec!["COV001"]);
    assert_eq!(code, 1);
    assert_eq!(report["inputs"][0]["rows_read"], 0);
}

#[test]
fn a_rejected_row_quoted_in_a_reason_is_masked() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    // Row 2 holds an identity code, an e-mail and a raw 0xFF byte (not UTF-8).
    let mut bytes = "asiakasnumero,lisätiedot\nA1,ok\nA2,hetu 131052-308T maija@example.fi "
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"\xff\xfe\n");
    let data = write(dir.path(), "data.csv", bytes);
    let out = regaudit()
        .args([
            "scan",
            "--notice",
            &n,
            "--data",
            data.to_str().unwrap(),
            "--as-of",
            AS_OF,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not valid UTF-8"), "{text}");
    assert!(text.contains("131052-***T"), "{text}");
    assert!(!text.contains("131052-308T"), "{text}");
    assert!(!text.contains("maija@"), "{text}");
}

#[test]
fn bytes_valid_only_across_a_field_boundary_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let n = notice(dir.path());
    // "ä" is C3 A4; split by the delimiter, neither field is valid UTF-8 alone.
    let data = write(
        dir.path(),
        "split.csv",
        b"asiakasnumero;lis\xc3\xa4tiedot\nA1;x\xc3;\xa4y\nA2;ok\n",
    );
    let (_, report) = scan_json(&["--notice", &n, "--data", data.to_str().unwrap()]);
    assert_eq!(report["inputs"][0]["rows_rejected"], 1);
    assert_eq!(report["inputs"][0]["rows_audited"], 1);
}
