//! Registers read where they live: the CSV fixture registers written as
//! Parquet (one file and a folder), XLSX (title row, merged cell, serial
//! dates, trailing blank rows), ODS, SQLite, PostgreSQL and MariaDB; each
//! audit must give the CSV's findings, apart from where they are (file, row,
//! line). The server tests read `REGAUDIT_TEST_POSTGRES_URL` and
//! `REGAUDIT_TEST_MYSQL_URL` (`.ci/databases.sh` starts the servers); without
//! them they skip with a notice, unless `REGAUDIT_REQUIRE_DATABASES=1`.

mod common;

use common::{fixture, regaudit, scan_json, AS_OF};
use regaudit::columns::vocabulary;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The CSV fixture registers compared.
const FIXTURES: [&str; 3] = ["harmonia", "helpten", "wellflix"];

struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    key: String,
}

/// A fixture's register export, as text cells.
fn load_table(name: &str) -> Table {
    let bytes = std::fs::read(fixture(name).join("asiakkaat.csv")).unwrap();
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
    };
    let first = text.lines().next().unwrap();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    Table {
        headers,
        rows,
        key: config_value(name, "key").unwrap(),
    }
}

/// A `name = "value"` line of the fixture's config.
fn config_value(name: &str, key: &str) -> Option<String> {
    let config = std::fs::read_to_string(fixture(name).join("regaudit.toml")).unwrap();
    config.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The fixture's config with `data` replaced by `data_lines` (no CSV read
/// options; the key dropped when `keep_key` is false) and paths made absolute.
fn config_for(name: &str, data_lines: &str, keep_key: bool, dir: &Path) -> PathBuf {
    let original = std::fs::read_to_string(fixture(name).join("regaudit.toml")).unwrap();
    let mut out = String::new();
    for line in original.lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        match key {
            "data" => out.push_str(data_lines),
            "format" | "delimiter" | "encoding" => continue,
            "key" if !keep_key => continue,
            "notice" | "events" | "bans" => {
                let value = config_value(name, key).unwrap();
                let path = fixture(name).join(value);
                out.push_str(&format!("{key} = {:?}", path.to_str().unwrap()));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    let path = dir.join("regaudit.toml");
    std::fs::write(&path, out).unwrap();
    path
}

/// Findings without their place in the input, sorted.
fn placeless_findings(report: &Value) -> Vec<String> {
    let mut findings: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let object = f.as_object_mut().unwrap();
            for place in ["file", "row", "line"] {
                object.remove(place);
            }
            f.to_string()
        })
        .collect();
    findings.sort();
    findings
}

fn csv_findings(name: &str) -> Vec<String> {
    let (code, report) = scan_json(&[fixture(name).to_str().unwrap()]);
    assert_eq!(code, 1, "{name}: the fixture has findings");
    placeless_findings(&report)
}

/// Scans `config` and checks it gives the CSV fixture's findings and reads
/// every row; returns the report.
fn assert_same_as_csv(name: &str, source: &str, config: &Path) -> Value {
    let (code, report) = scan_json(&[config.to_str().unwrap()]);
    assert_eq!(code, 1, "{name} as {source}: {report:#}");
    let expected = csv_findings(name);
    let got = placeless_findings(&report);
    assert!(!expected.is_empty());
    assert_eq!(
        got, expected,
        "{name} as {source}: findings differ from the CSV's"
    );
    let table = load_table(name);
    let input = &report["inputs"][0];
    assert_eq!(
        input["rows_read"],
        table.rows.len(),
        "{name} as {source}: {input:#}"
    );
    assert_eq!(input["rows_rejected"], 0, "{name} as {source}: {input:#}");
    report
}

fn is_date_column(header: &str) -> bool {
    vocabulary()
        .role_for_header(header)
        .is_some_and(|r| r.is_date())
}

fn date_of(cell: &str) -> Option<chrono::NaiveDate> {
    regaudit::values::parse_date(cell)
}

// ---------------------------------------------------------------- Parquet

fn write_parquet(path: &Path, headers: &[String], rows: &[Vec<String>], group_rows: usize) {
    use parquet::basic::{ConvertedType, Repetition, Type as Physical};
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::types::Type;
    let fields = headers
        .iter()
        .map(|h| {
            Arc::new(
                Type::primitive_type_builder(h, Physical::BYTE_ARRAY)
                    .with_repetition(Repetition::OPTIONAL)
                    .with_converted_type(ConvertedType::UTF8)
                    .build()
                    .unwrap(),
            )
        })
        .collect();
    let schema = Type::group_type_builder("register")
        .with_fields(fields)
        .build()
        .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let props = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(file, Arc::new(schema), props).unwrap();
    for group in rows.chunks(group_rows.max(1)) {
        let mut row_group = writer.next_row_group().unwrap();
        let mut column = 0;
        while let Some(mut writer) = row_group.next_column().unwrap() {
            let cells: Vec<&String> = group.iter().map(|r| &r[column]).collect();
            let values: Vec<ByteArray> = cells
                .iter()
                .filter(|c| !c.is_empty())
                .map(|c| ByteArray::from(c.as_str()))
                .collect();
            let levels: Vec<i16> = cells.iter().map(|c| i16::from(!c.is_empty())).collect();
            writer
                .typed::<ByteArrayType>()
                .write_batch(&values, Some(&levels), None)
                .unwrap();
            writer.close().unwrap();
            column += 1;
        }
        row_group.close().unwrap();
    }
    writer.close().unwrap();
}

#[test]
fn parquet_files_and_folders_give_the_csv_findings() {
    for name in FIXTURES {
        let table = load_table(name);
        let dir = tempfile::tempdir().unwrap();
        // Row groups of 2 rows: the reader crosses row-group boundaries.
        let file = dir.path().join("rekisteri.parquet");
        write_parquet(&file, &table.headers, &table.rows, 2);
        let config = config_for(
            name,
            &format!("data = {:?}", file.to_str().unwrap()),
            true,
            dir.path(),
        );
        assert_same_as_csv(name, "a Parquet file", &config);

        // A folder of two files, read in name order.
        let folder = dir.path().join("osat");
        std::fs::create_dir(&folder).unwrap();
        let half = table.rows.len() / 2;
        write_parquet(
            &folder.join("part-0.parquet"),
            &table.headers,
            &table.rows[..half],
            3,
        );
        write_parquet(
            &folder.join("part-1.parquet"),
            &table.headers,
            &table.rows[half..],
            3,
        );
        let config = config_for(
            name,
            &format!("data = {:?}", folder.to_str().unwrap()),
            true,
            dir.path(),
        );
        let report = assert_same_as_csv(name, "a folder of Parquet files", &config);
        assert_eq!(report["inputs"][0]["format"], "parquet");
    }
}

#[test]
fn parquet_typed_values_read_as_a_csv_export_shows_them() {
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    let schema = parse_message_type(
        "message m { REQUIRED INT64 id; OPTIONAL INT32 born (DATE); \
         OPTIONAL DOUBLE amount; OPTIONAL BYTE_ARRAY name (UTF8); }",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typed.parquet");
    let file = std::fs::File::create(&path).unwrap();
    let props = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(file, Arc::new(schema), props).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let mut c = group.next_column().unwrap().unwrap();
    c.typed::<Int64Type>()
        .write_batch(&[7, 8], None, None)
        .unwrap();
    c.close().unwrap();
    let mut c = group.next_column().unwrap().unwrap();
    // 20_000 days after 1970-01-01 is 2024-10-04.
    c.typed::<Int32Type>()
        .write_batch(&[20_000], Some(&[1, 0]), None)
        .unwrap();
    c.close().unwrap();
    let mut c = group.next_column().unwrap().unwrap();
    c.typed::<DoubleType>()
        .write_batch(&[100.0, 2.5], Some(&[1, 1]), None)
        .unwrap();
    c.close().unwrap();
    let mut c = group.next_column().unwrap().unwrap();
    c.typed::<ByteArrayType>()
        .write_batch(&[ByteArray::from("Maija")], Some(&[0, 1]), None)
        .unwrap();
    c.close().unwrap();
    group.close().unwrap();
    writer.close().unwrap();

    let rows = read_rows(&regaudit::ingest::InputPath::File(path), Default::default());
    assert_eq!(
        rows,
        vec![
            vec![
                Some("7".into()),
                Some("2024-10-04".into()),
                Some("100".into()),
                None
            ],
            vec![
                Some("8".into()),
                None,
                Some("2.5".into()),
                Some("Maija".into())
            ],
        ]
    );
}

#[test]
fn reports_from_every_file_source_are_the_same_for_any_threads_and_batch_size() {
    let table = load_table("harmonia");
    let dir = tempfile::tempdir().unwrap();
    let parquet = dir.path().join("rekisteri.parquet");
    write_parquet(&parquet, &table.headers, &table.rows, 2);
    let xlsx = dir.path().join("rekisteri.xlsx");
    write_xlsx(&xlsx, &table);
    let db = dir.path().join("crm.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&create_table(&table, "asiakkaat", '"', "TEXT"))
        .unwrap();
    for insert in insert_rows(&table, "asiakkaat", '"') {
        conn.execute_batch(&insert).unwrap();
    }
    drop(conn);
    let sqlite = database_data(&format!("sqlite://{}", db.display()), "asiakkaat");
    for data in [
        format!("data = {:?}", parquet.to_str().unwrap()),
        format!("data = {:?}\nsheet = \"Asiakkaat\"", xlsx.to_str().unwrap()),
        sqlite,
    ] {
        let config = config_for("harmonia", &data, true, dir.path());
        let config = config.to_str().unwrap();
        let run = |extra: &[&str]| {
            let out = regaudit()
                .args(["scan", config, "--format", "json", "--as-of", AS_OF])
                .args(extra)
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        let one = run(&["--threads", "1", "--batch-rows", "1"]);
        assert!(one.contains("\"rule\""), "{data}: no findings");
        assert_eq!(run(&["--threads", "8", "--batch-rows", "3"]), one, "{data}");
        assert_eq!(run(&[]), one, "{data}");
    }
}

/// Every row of an input as text cells, through the library's one reader.
fn read_rows(
    input: &regaudit::ingest::InputPath,
    options: regaudit::ingest::ReadOptions,
) -> Vec<Vec<Option<String>>> {
    use regaudit::ingest::{RejectedRow, RowSource, RowVisitor};
    struct Collect(Vec<Vec<Option<String>>>);
    impl RowVisitor for Collect {
        fn row(&mut self, _row: u64, cells: &[Option<&str>]) {
            self.0
                .push(cells.iter().map(|c| c.map(str::to_string)).collect());
        }
        fn reject(&mut self, rejected: RejectedRow) {
            panic!("rejected: {rejected:?}");
        }
    }
    let mut source = RowSource::open(input, &options).unwrap();
    let mut collect = Collect(Vec::new());
    source.visit_all(&mut collect).unwrap();
    collect.0
}

// ---------------------------------------------------------------- Workbooks

/// The register as Finnish Excel users keep it: a merged title row, a blank
/// row, the header on row 3; dates as Excel dates (serial numbers formatted
/// `d.m.yyyy`), every other date-column date as a bare serial number; blank
/// (whitespace) rows after the data.
fn write_xlsx(path: &Path, table: &Table) -> usize {
    let mut dates = 0;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Asiakkaat").unwrap();
    sheet
        .merge_range(
            0,
            0,
            0,
            3,
            "Asiakasrekisteri (vienti 30.11.2026)",
            &Format::new(),
        )
        .unwrap();
    for (c, header) in table.headers.iter().enumerate() {
        sheet.write_string(2, c as u16, header).unwrap();
    }
    let date_format = Format::new().set_num_format("d.m.yyyy");
    for (r, row) in table.rows.iter().enumerate() {
        let sheet_row = 3 + r as u32;
        for (c, cell) in row.iter().enumerate() {
            let column = c as u16;
            if cell.is_empty() {
                continue;
            }
            match date_of(cell).filter(|_| is_date_column(&table.headers[c])) {
                Some(date) => {
                    dates += 1;
                    let excel = ExcelDateTime::parse_from_str(&date.to_string()).unwrap();
                    if r % 2 == 0 {
                        sheet
                            .write_datetime_with_format(sheet_row, column, &excel, &date_format)
                            .unwrap();
                    } else {
                        sheet
                            .write_number(sheet_row, column, excel.to_excel())
                            .unwrap();
                    }
                }
                None => {
                    sheet.write_string(sheet_row, column, cell).unwrap();
                }
            }
        }
    }
    let after = 3 + table.rows.len() as u32;
    sheet.write_string(after, 0, " ").unwrap();
    sheet.write_string(after + 3, 2, "  ").unwrap();
    book.save(path).unwrap();
    dates
}

#[test]
fn xlsx_workbooks_give_the_csv_findings_on_the_sheets_rows() {
    for name in FIXTURES {
        let table = load_table(name);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("rekisteri.xlsx");
        let dates = write_xlsx(&file, &table);
        assert!(dates > 1, "{name}: no date written as an Excel date");
        let data = format!("data = {:?}\nsheet = \"Asiakkaat\"", file.to_str().unwrap());
        let config = config_for(name, &data, true, dir.path());
        let report = assert_same_as_csv(name, "an XLSX workbook", &config);
        let input = &report["inputs"][0];
        assert_eq!(input["format"], "xlsx");
        assert!(input["path"]
            .as_str()
            .unwrap()
            .ends_with("rekisteri.xlsx#Asiakkaat"));
        // The header is on the sheet's row 3: data row N is sheet row N + 3.
        for finding in report["findings"].as_array().unwrap() {
            if finding["row"].as_u64().is_some_and(|r| r > 0) && finding["file"] == input["path"] {
                assert_eq!(
                    finding["line"].as_u64(),
                    Some(finding["row"].as_u64().unwrap() + 3)
                );
            }
        }
    }
}

#[test]
fn every_non_empty_sheet_is_read_without_a_chosen_sheet() {
    use rust_xlsxwriter::Workbook;
    let table = load_table("harmonia");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kirja.xlsx");
    let mut book = Workbook::new();
    // Two sheets with rows and an empty one between them.
    for name in ["Asiakkaat", "Tyhjä", "Vanhat"] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        if name == "Tyhjä" {
            continue;
        }
        for (c, header) in table.headers.iter().enumerate() {
            sheet.write_string(0, c as u16, header).unwrap();
        }
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(1 + r as u32, c as u16, cell).unwrap();
            }
        }
    }
    book.save(&file).unwrap();
    let notice = fixture("harmonia").join("notice.toml");
    let (code, report) = scan_json(&[
        "--notice",
        notice.to_str().unwrap(),
        "--data",
        file.to_str().unwrap(),
        "--key",
        "asiakasnumero",
    ]);
    assert_eq!(code, 1);
    let paths: Vec<&str> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[0].ends_with("kirja.xlsx#Asiakkaat") && paths[1].ends_with("kirja.xlsx#Vanhat"));
    // Each sheet has the fixture's findings; `--sheet` reads one of them.
    let per_sheet = csv_findings("harmonia").len();
    assert_eq!(report["findings"].as_array().unwrap().len(), 2 * per_sheet);
    let (_, one) = scan_json(&[
        "--notice",
        notice.to_str().unwrap(),
        "--data",
        file.to_str().unwrap(),
        "--key",
        "asiakasnumero",
        "--sheet",
        "Vanhat",
    ]);
    assert_eq!(one["inputs"].as_array().unwrap().len(), 1);
    assert_eq!(one["findings"].as_array().unwrap().len(), per_sheet);
    let stderr = common::scan_error(&[
        "--notice",
        notice.to_str().unwrap(),
        "--data",
        file.to_str().unwrap(),
        "--sheet",
        "Puuttuu",
    ]);
    assert!(stderr.contains("no sheet `Puuttuu`"), "{stderr}");
}

#[test]
fn a_value_right_of_the_header_rejects_its_row_on_the_sheets_line() {
    use rust_xlsxwriter::Workbook;
    let table = load_table("harmonia");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kirja.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, header) in table.headers.iter().enumerate() {
        sheet.write_string(0, c as u16, header).unwrap();
    }
    for (r, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(1 + r as u32, c as u16, cell).unwrap();
        }
    }
    // A note typed beside the table on the sheet's row 3 (the second data row).
    let beside = table.headers.len() as u16 + 1;
    sheet.write_string(2, beside, "soita takaisin").unwrap();
    book.save(&file).unwrap();
    let notice = fixture("harmonia").join("notice.toml");
    let (_, report) = scan_json(&[
        "--notice",
        notice.to_str().unwrap(),
        "--data",
        file.to_str().unwrap(),
    ]);
    let input = &report["inputs"][0];
    assert_eq!(input["rows_read"], table.rows.len(), "{input:#}");
    assert_eq!(input["rows_rejected"], 1, "{input:#}");
    let rejected = &input["rejected"][0];
    assert_eq!(rejected["row"], 2);
    assert_eq!(rejected["line"], 3);
    let reason = rejected["reason"].as_str().unwrap();
    assert!(
        reason.contains("right of the last header column"),
        "{reason}"
    );
    assert!(!reason.contains("soita"), "the value is shown: {reason}");
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal OpenDocument spreadsheet: a title spread over four columns,
/// the header, then the rows; date-column dates as ODS date cells.
fn write_ods(path: &Path, table: &Table) {
    use std::io::Write;
    let cell = |text: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
            xml_escape(text)
        )
    };
    let mut body = String::from(
        "<table:table-row><table:table-cell table:number-columns-spanned=\"4\" \
         office:value-type=\"string\"><text:p>Jäsenrekisteri</text:p></table:table-cell>\
         <table:covered-table-cell table:number-columns-repeated=\"3\"/></table:table-row>",
    );
    body.push_str("<table:table-row>");
    for header in &table.headers {
        body.push_str(&cell(header));
    }
    body.push_str("</table:table-row>");
    for row in &table.rows {
        body.push_str("<table:table-row>");
        for (c, text) in row.iter().enumerate() {
            match date_of(text).filter(|_| is_date_column(&table.headers[c])) {
                _ if text.is_empty() => body.push_str("<table:table-cell/>"),
                Some(date) => body.push_str(&format!(
                    "<table:table-cell office:value-type=\"date\" office:date-value=\"{date}\">\
                     <text:p>{}</text:p></table:table-cell>",
                    xml_escape(text)
                )),
                None => body.push_str(&cell(text)),
            }
        }
        body.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"Jäsenet\">{body}\
         </table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
        </manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

#[test]
fn ods_workbooks_give_the_csv_findings() {
    for name in FIXTURES {
        let table = load_table(name);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("rekisteri.ods");
        write_ods(&file, &table);
        let config = config_for(
            name,
            &format!("data = {:?}", file.to_str().unwrap()),
            true,
            dir.path(),
        );
        let report = assert_same_as_csv(name, "an ODS workbook", &config);
        assert_eq!(report["inputs"][0]["format"], "ods");
        assert!(report["inputs"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("rekisteri.ods#Jäsenet"));
    }
}

// ---------------------------------------------------------------- SQL

/// `CREATE TABLE` and `INSERT` statements for a fixture, with `quote` as the
/// identifier quote; the key column is the primary key.
fn create_table(table: &Table, name: &str, quote: char, key_type: &str) -> String {
    let columns: Vec<String> = table
        .headers
        .iter()
        .map(|h| {
            let kind = if *h == table.key { key_type } else { "TEXT" };
            format!("{quote}{h}{quote} {kind}")
        })
        .collect();
    format!(
        "CREATE TABLE {quote}{name}{quote} ({}, PRIMARY KEY ({quote}{}{quote}))",
        columns.join(", "),
        table.key
    )
}

fn sql_literal(cell: &str) -> String {
    if cell.is_empty() {
        "NULL".to_string()
    } else {
        format!("'{}'", cell.replace('\'', "''"))
    }
}

/// Inserts in reverse order: the reader must not depend on insertion order.
fn insert_rows(table: &Table, name: &str, quote: char) -> Vec<String> {
    table
        .rows
        .iter()
        .rev()
        .map(|row| {
            let values: Vec<String> = row.iter().map(|c| sql_literal(c)).collect();
            format!(
                "INSERT INTO {quote}{name}{quote} VALUES ({})",
                values.join(", ")
            )
        })
        .collect()
}

/// The data lines of a config reading `table` of `url`, without a `key`:
/// the table's primary key is the record key.
fn database_data(url: &str, table: &str) -> String {
    format!("data = {url:?}\ntable = {table:?}")
}

#[test]
fn sqlite_tables_and_queries_give_the_csv_findings() {
    for name in FIXTURES {
        let table = load_table(name);
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("crm.sqlite");
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(&create_table(&table, "asiakkaat", '"', "TEXT"))
            .unwrap();
        for insert in insert_rows(&table, "asiakkaat", '"') {
            conn.execute_batch(&insert).unwrap();
        }
        drop(conn);
        let before = std::fs::read(&db).unwrap();
        let url = format!("sqlite://{}", db.display());
        let config = config_for(name, &database_data(&url, "asiakkaat"), false, dir.path());
        let report = assert_same_as_csv(name, "an SQLite table", &config);
        assert_eq!(report["inputs"][0]["format"], "sqlite");
        assert!(report["inputs"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("crm.sqlite#asiakkaat"));
        // A query, with the key named in the config (a query has no primary key).
        let data = format!(
            "data = {url:?}\nquery = \"SELECT * FROM asiakkaat ORDER BY 1\"\nkey = {:?}",
            table.key
        );
        let config = config_for(name, &data, false, dir.path());
        assert_same_as_csv(name, "an SQLite query", &config);
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "the database was written"
        );
    }
}

#[test]
fn a_tables_primary_key_is_the_record_key() {
    // The key column renamed to a header no synonym knows: only the primary
    // key can make it the record key.
    let mut table = load_table("harmonia");
    let key_at = table.headers.iter().position(|h| *h == table.key).unwrap();
    table.headers[key_at] = "x".to_string();
    table.key = "x".to_string();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&create_table(&table, "with_key", '"', "TEXT"))
        .unwrap();
    let without_key =
        create_table(&table, "without_key", '"', "TEXT").replace(", PRIMARY KEY (\"x\")", "");
    conn.execute_batch(&without_key).unwrap();
    for insert in insert_rows(&table, "with_key", '"') {
        conn.execute_batch(&insert).unwrap();
    }
    for insert in insert_rows(&table, "without_key", '"') {
        conn.execute_batch(&insert).unwrap();
    }
    drop(conn);
    let url = format!("sqlite://{}", db.display());
    let config = config_for(
        "harmonia",
        &database_data(&url, "with_key"),
        false,
        dir.path(),
    );
    assert_same_as_csv(
        "harmonia",
        "an SQLite table keyed by its primary key",
        &config,
    );
    // Without the primary key the findings name no records: they differ.
    let config = config_for(
        "harmonia",
        &database_data(&url, "without_key"),
        false,
        dir.path(),
    );
    let (_, report) = scan_json(&[config.to_str().unwrap()]);
    assert_ne!(placeless_findings(&report), csv_findings("harmonia"));
}

#[test]
fn sqlite_values_read_as_a_csv_export_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, amount REAL, note TEXT, b BLOB);
         INSERT INTO t VALUES (2, 2.5, NULL, x'00ff');
         INSERT INTO t VALUES (1, 100.0, '  Maija ', NULL);",
    )
    .unwrap();
    drop(conn);
    let source = regaudit::ingest::sql::DatabaseSource::new(
        &format!("sqlite://{}", db.display()),
        Some("t"),
        None,
        Path::new("."),
    )
    .unwrap();
    let rows = read_rows(
        &regaudit::ingest::InputPath::Database(source),
        Default::default(),
    );
    // Primary-key order; whole reals without `.0`; blobs as hex; NULL blank.
    assert_eq!(
        rows,
        vec![
            vec![
                Some("1".into()),
                Some("100".into()),
                Some("Maija".into()),
                None
            ],
            vec![
                Some("2".into()),
                Some("2.5".into()),
                None,
                Some("00ff".into())
            ],
        ]
    );
}

/// A server URL for the tests, or `None` (with a notice) when it is not set;
/// a failure when `REGAUDIT_REQUIRE_DATABASES=1` (CI) says it must be.
fn server_url(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("REGAUDIT_REQUIRE_DATABASES").as_deref() != Ok("1"),
                "{variable} is not set, and REGAUDIT_REQUIRE_DATABASES=1 requires it (.ci/databases.sh starts the servers)"
            );
            eprintln!("skipped: {variable} is not set (.ci/databases.sh starts a server)");
            None
        }
    }
}

#[test]
fn postgres_tables_give_the_csv_findings() {
    let Some(url) = server_url("REGAUDIT_TEST_POSTGRES_URL") else {
        return;
    };
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    for name in FIXTURES {
        let table = load_table(name);
        let relation = format!("src_{name}");
        client
            .batch_execute(&format!("DROP TABLE IF EXISTS \"{relation}\""))
            .unwrap();
        client
            .batch_execute(&create_table(&table, &relation, '"', "TEXT"))
            .unwrap();
        for insert in insert_rows(&table, &relation, '"') {
            client.batch_execute(&insert).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let config = config_for(name, &database_data(&url, &relation), false, dir.path());
        let report = assert_same_as_csv(name, "a PostgreSQL table", &config);
        let input = &report["inputs"][0];
        assert_eq!(input["format"], "postgres");
        assert!(input["path"]
            .as_str()
            .unwrap()
            .ends_with(&format!("#{relation}")));
        // A small batch size: the cursor is fetched many times.
        let (_, batched) = scan_json(&[config.to_str().unwrap(), "--batch-rows", "2"]);
        assert_eq!(placeless_findings(&batched), csv_findings(name));
    }
}

#[test]
fn mariadb_tables_give_the_csv_findings() {
    let Some(url) = server_url("REGAUDIT_TEST_MYSQL_URL") else {
        return;
    };
    use mysql::prelude::Queryable;
    let mut conn = mysql::Conn::new(mysql::Opts::from_url(&url).unwrap()).unwrap();
    for name in FIXTURES {
        let table = load_table(name);
        let relation = format!("src_{name}");
        conn.query_drop(format!("DROP TABLE IF EXISTS `{relation}`"))
            .unwrap();
        conn.query_drop(format!(
            "{} DEFAULT CHARSET = utf8mb4",
            create_table(&table, &relation, '`', "VARCHAR(64)")
        ))
        .unwrap();
        for insert in insert_rows(&table, &relation, '`') {
            conn.query_drop(insert).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let config = config_for(name, &database_data(&url, &relation), false, dir.path());
        let report = assert_same_as_csv(name, "a MariaDB table", &config);
        assert_eq!(report["inputs"][0]["format"], "mysql");
    }
}

// ---------------------------------------------------------------- Credentials

const SECRET: &str = "Sal4isuus-9q7Z";

/// Output of a failing scan of `data`: it must exit 2, name the source
/// redacted, and never show the password.
fn assert_failure_hides_password(data: &str, env: &[(&str, &str)]) {
    let notice = fixture("harmonia").join("notice.toml");
    let mut cmd = regaudit();
    cmd.args(["scan", "--notice", notice.to_str().unwrap(), "--data", data])
        .args(["--table", "asiakkaat", "--as-of", AS_OF, "--verbose"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(!text.contains(SECRET), "the password leaked: {text}");
    assert!(
        text.contains("asiakkaat"),
        "the source is not named: {text}"
    );
}

#[test]
fn failing_connections_never_show_the_password() {
    // Port 1: nothing listens, the connection is refused.
    for scheme in ["postgres", "mysql"] {
        assert_failure_hides_password(
            &format!("{scheme}://regaudit:{SECRET}@127.0.0.1:1/crm"),
            &[],
        );
        for variable in ["REGAUDIT_DB_PASSWORD", "PGPASSWORD", "MYSQL_PWD"] {
            assert_failure_hides_password(
                &format!("{scheme}://regaudit@127.0.0.1:1/crm"),
                &[(variable, SECRET)],
            );
        }
    }
    // A real server refusing the password.
    for variable in ["REGAUDIT_TEST_POSTGRES_URL", "REGAUDIT_TEST_MYSQL_URL"] {
        let Some(url) = server_url(variable) else {
            continue;
        };
        let (scheme, rest) = url.split_once("://").unwrap();
        let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
        assert_failure_hides_password(&format!("{scheme}://regaudit:{SECRET}@{host}"), &[]);
    }
}

#[test]
fn no_report_format_shows_the_database_password() {
    let Some(url) = server_url("REGAUDIT_TEST_POSTGRES_URL") else {
        return;
    };
    let password = password_of(&url);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let table = load_table("harmonia");
    client
        .batch_execute("DROP TABLE IF EXISTS \"leak_harmonia\"")
        .unwrap();
    client
        .batch_execute(&create_table(&table, "leak_harmonia", '"', "TEXT"))
        .unwrap();
    for insert in insert_rows(&table, "leak_harmonia", '"') {
        client.batch_execute(&insert).unwrap();
    }
    let notice = fixture("harmonia").join("notice.toml");
    let dir = tempfile::tempdir().unwrap();
    for format in regaudit::report::OutputFormat::ALL.iter().map(|f| f.name()) {
        let out_file = dir.path().join(format!("report.{format}"));
        let out = regaudit()
            .args(["scan", "--notice", notice.to_str().unwrap(), "--data", &url])
            .args(["--table", "leak_harmonia", "--as-of", AS_OF, "--verbose"])
            .args(["--format", &format])
            .args(["--output", &format!("{format}:{}", out_file.display())])
            .output()
            .unwrap();
        let written = std::fs::read(&out_file).unwrap_or_default();
        let text = format!(
            "{}{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&written)
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {text}");
        assert!(!written.is_empty(), "{format}: no report written");
        assert!(!text.contains(&password), "{format}: the password leaked");
        assert!(
            text.contains("leak_harmonia"),
            "{format}: the table is not named"
        );
    }
}

/// The password of a `postgres://user:password@…` URL.
fn password_of(url: &str) -> String {
    let config: postgres::Config = url.parse().unwrap();
    let password = config
        .get_password()
        .expect("the test URL carries a password");
    String::from_utf8(password.to_vec()).unwrap()
}

/// Writes `REGAUDIT_BENCH_CSV` as the XLSX workbook `REGAUDIT_BENCH_XLSX`
/// (one sheet, text cells) for `benches/sources.sh`.
#[test]
#[ignore = "run by benches/sources.sh"]
fn write_bench_workbook() {
    use rust_xlsxwriter::Workbook;
    let csv = std::env::var("REGAUDIT_BENCH_CSV").unwrap();
    let out = std::env::var("REGAUDIT_BENCH_XLSX").unwrap();
    let mut reader = csv::Reader::from_path(csv).unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Asiakkaat").unwrap();
    for (c, header) in reader.headers().unwrap().iter().enumerate() {
        sheet.write_string(0, c as u16, header).unwrap();
    }
    for (r, record) in reader.records().enumerate() {
        for (c, cell) in record.unwrap().iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(1 + r as u32, c as u16, cell).unwrap();
            }
        }
    }
    book.save(out).unwrap();
}
