//! CSV input is cut into chunks of whole records that are parsed on different
//! threads. Quoted fields spanning lines, doubled quotes, stray quotes, CRLF
//! and blank lines must come out the same for any chunk size and thread count,
//! with rejected rows on their true lines.

mod common;

use common::*;
use serde_json::Value;

/// Data rows 1–9 of the file below, with the line each starts on.
/// `@` stands for a byte that is not valid UTF-8.
const TRICKY: &str = "asiakasnumero,nimi,lisätiedot\r\n\
A1,Maija Mallikas,\"Soitettu, hetu 131052-308T\r\nkysyi lisää\"\r\n\
A2,Kalle Kokeilija,\"Sanoi \"\"ei kiitos\"\"\"\r\n\
\r\n\
A3,5\" levyke,tavallinen\r\n\
A4,Teemu Testaaja,\"kolme\nriviä\nmuistiinpanoa, 010101-123N\"\r\n\
A5,vain kaksi\r\n\
A6,Anna Asiakas,\"\"\r\n\
A7,Erkki @,rikki\r\n\
A8,Olli Opiskelija,\"ok\"\r\n\
A9,Liisa Loppu,viimeinen rivi ilman rivinvaihtoa";

fn scan(dir: &std::path::Path, threads: &str, batch: &str) -> Vec<u8> {
    let data = dir.join("data.csv");
    let notice = dir.join("notice.toml");
    regaudit()
        .arg("scan")
        .arg("--notice")
        .arg(&notice)
        .arg("--data")
        .arg(&data)
        .args([
            "--key",
            "asiakasnumero",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ])
        .args(["--threads", threads, "--batch-rows", batch])
        .output()
        .unwrap()
        .stdout
}

#[test]
fn chunk_size_and_threads_never_change_rows_lines_or_findings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notice.toml", NOTICE_EXCLUDING_HETU);
    let bytes: Vec<u8> = TRICKY
        .bytes()
        .map(|b| if b == b'@' { 0xe4 } else { b })
        .collect();
    write(dir.path(), "data.csv", bytes);
    let reference = scan(dir.path(), "1", "100000");
    let report: Value = serde_json::from_slice(&reference).unwrap();
    let input = &report["inputs"][0];
    assert_eq!(input["rows_read"], 9, "{input:#}");
    assert_eq!(input["rows_audited"], 7);
    // Row 5 (A5) is ragged, on line 10; row 7 (A7) holds invalid UTF-8, on line 12.
    let rejected: Vec<(u64, u64)> = input["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(rejected, vec![(5, 10), (7, 12)]);
    // The identity codes inside the multi-line notes of A1 and A4 are found.
    let records: Vec<&str> = findings_of(&report, "ID001")
        .iter()
        .map(|f| f["record"].as_str().unwrap())
        .collect();
    assert_eq!(records, vec!["A1", "A4"]);
    for (threads, batch) in [("1", "1"), ("4", "1"), ("2", "2"), ("4", "3"), ("2", "5")] {
        assert!(
            scan(dir.path(), threads, batch) == reference,
            "--threads {threads} --batch-rows {batch} differs"
        );
    }
}
