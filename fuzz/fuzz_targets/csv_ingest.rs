#![no_main]
//! CSV ingest: any bytes give rows, rejections or an error; every row read is
//! either audited or rejected, numbered 1, 2, …; and cutting the input into
//! chunks of any size changes nothing.
use libfuzzer_sys::fuzz_target;
use regaudit::ingest::{Format, ReadOptions, RejectedRow, RowSource, RowVisitor};

#[derive(Default, PartialEq, Debug)]
struct Rows(Vec<(u64, Result<Vec<Option<String>>, (Option<u64>, String)>)>);

impl RowVisitor for Rows {
    fn row(&mut self, row: u64, cells: &[Option<&str>]) {
        let cells = cells.iter().map(|c| c.map(str::to_string)).collect();
        self.0.push((row, Ok(cells)));
    }
    fn reject(&mut self, r: RejectedRow) {
        self.0.push((r.row, Err((r.line, r.reason))));
    }
}

fn read(data: &[u8], batch_rows: usize) -> Option<Rows> {
    let options = ReadOptions {
        format: Some(Format::Csv),
        batch_rows,
        ..ReadOptions::default()
    };
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    let mut source = RowSource::from_reader("fuzz.csv".into(), reader, &options).ok()?;
    let mut rows = Rows::default();
    source.visit_all(&mut rows).ok()?;
    Some(rows)
}

fuzz_target!(|data: &[u8]| {
    let whole = read(data, usize::MAX);
    if let Some(rows) = &whole {
        for (i, (row, _)) in rows.0.iter().enumerate() {
            assert_eq!(*row, i as u64 + 1);
        }
    }
    for batch_rows in [1, 2, 7] {
        assert_eq!(read(data, batch_rows), whole, "batch_rows {batch_rows}");
    }
});
