//! Property test of the CSV reader through the library API: cutting any input
//! into chunks of any size gives the same rows, rejections and lines as reading
//! it whole, and rows are numbered 1, 2, … (the fuzz target `csv_ingest`
//! checks the same on arbitrary bytes).

use proptest::prelude::*;
use regaudit::ingest::{Format, ReadOptions, RejectedRow, RowSource, RowVisitor};

type Seen = Vec<(u64, Result<Vec<Option<String>>, (Option<u64>, String)>)>;

#[derive(Default)]
struct Collect(Seen);

impl RowVisitor for Collect {
    fn row(&mut self, row: u64, cells: &[Option<&str>]) {
        let cells = cells.iter().map(|c| c.map(str::to_string)).collect();
        self.0.push((row, Ok(cells)));
    }
    fn reject(&mut self, r: RejectedRow) {
        self.0.push((r.row, Err((r.line, r.reason))));
    }
}

fn read(bytes: &[u8], batch_rows: usize) -> Option<Seen> {
    let options = ReadOptions {
        format: Some(Format::Csv),
        delimiter: Some(b','),
        batch_rows,
        ..ReadOptions::default()
    };
    let reader = Box::new(std::io::Cursor::new(bytes.to_vec()));
    let mut source = RowSource::from_reader("p.csv".into(), reader, &options).ok()?;
    let mut rows = Collect::default();
    source.visit_all(&mut rows).ok()?;
    Some(rows.0)
}

/// CSV-ish text: fields, delimiters, quotes (doubled, stray, unclosed), CRLF,
/// bare CR and blank lines.
fn csvish() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "a",
        "bc",
        "ä",
        ",",
        ",",
        "\"",
        "\"\"",
        "\n",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\"x\ny\"",
        "131052-308T",
    ]);
    prop::collection::vec(piece, 0..60).prop_map(|pieces| format!("h1,h2\n{}", pieces.concat()))
}

/// Found by the `csv_ingest` fuzz target: a record after bare-`\r` blank lines
/// was numbered a line too early when the file was read in one chunk.
#[test]
fn lines_after_bare_carriage_returns_agree() {
    let input: &[u8] = &[
        44, 10, 252, 44, 96, 119, 13, 13, 13, 13, 34, 13, 13, 13, 0, 0, 47, 211, 211, 248, 255, 44,
        255, 200, 10, 103, 44, 96, 119, 13, 13, 13, 13, 34, 13, 13, 13, 5, 0, 47, 211, 252, 13, 13,
        13, 10, 252,
    ];
    let whole = read(input, usize::MAX).unwrap();
    assert_eq!(whole.len(), 4);
    // The last row starts on line 20: a bare `\r` ends a line, as the CSV
    // parser reads it (it used to count `\n` alone, which put it on line 4).
    assert!(
        matches!(whole[3], (4, Err((Some(20), _)))),
        "{:?}",
        whole[3]
    );
    assert_eq!(read(input, 1).unwrap(), whole);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn chunking_never_changes_what_is_read(text in csvish(), batch in 1usize..6) {
        let whole = read(text.as_bytes(), usize::MAX);
        if let Some(rows) = &whole {
            for (i, (row, _)) in rows.iter().enumerate() {
                prop_assert_eq!(*row, i as u64 + 1);
            }
        }
        prop_assert_eq!(read(text.as_bytes(), batch), whole);
    }
}
