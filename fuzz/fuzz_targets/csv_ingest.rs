#![no_main]
//! CSV ingest: any bytes give rows, rejections or an error, and every row read
//! is either audited or rejected.
use libfuzzer_sys::fuzz_target;
use regaudit::ingest::{Format, ReadOptions, RowSource};

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions {
        format: Some(Format::Csv),
        batch_rows: 7,
        ..ReadOptions::default()
    };
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    let Ok(mut source) = RowSource::from_reader("fuzz.csv".into(), reader, &options) else {
        return;
    };
    let mut last_row = 0;
    while let Ok(Some(batch)) = source.next_batch() {
        assert_eq!(batch.frame.height(), batch.rows.len());
        for row in batch.rows.iter().chain(batch.rejected.iter().map(|r| &r.row)) {
            assert!(*row > last_row || batch.rows.is_empty() || batch.rejected.is_empty());
        }
        last_row = batch.rows.iter().copied().max().unwrap_or(last_row);
    }
});
