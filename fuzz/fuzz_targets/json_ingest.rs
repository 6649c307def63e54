#![no_main]
//! JSON and NDJSON ingest never panic on any input.
use libfuzzer_sys::fuzz_target;
use regaudit::ingest::{Format, ReadOptions, RowSource};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Json, Format::Ndjson] {
        let options = ReadOptions {
            format: Some(format),
            batch_rows: 5,
            ..ReadOptions::default()
        };
        let reader = Box::new(std::io::Cursor::new(data.to_vec()));
        if let Ok(mut source) = RowSource::from_reader("fuzz.json".into(), reader, &options) {
            while let Ok(Some(batch)) = source.next_batch() {
                assert_eq!(batch.frame.height(), batch.rows.len());
            }
        }
    }
});
