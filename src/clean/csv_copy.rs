//! The clean copy of a CSV export, in the input's own dialect: delimiter,
//! encoding, byte-order mark, line ends and quoting. Cells no edit touches are
//! written as they were read (padding included).

use super::cells::edited;
use super::edits::FileEdits;
use super::encode::EncodeWriter;
use super::CopyTally;
use crate::ingest::DecodedInput;
use std::io::{self, Write};

pub fn write(input: DecodedInput, edits: &FileEdits, out: &mut dyn Write) -> io::Result<CopyTally> {
    let dialect = input.dialect;
    // The reader's own settings, so records (and their numbers) are the ones the scan saw.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(dialect.delimiter)
        .from_reader(input.text);
    let mut encoded = EncodeWriter::new(out, dialect.encoding, dialect.bom);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter)
        .flexible(true)
        .terminator(match dialect.line_end {
            "\r\n" => csv::Terminator::CRLF,
            "\r" => csv::Terminator::Any(b'\r'),
            _ => csv::Terminator::Any(b'\n'),
        })
        .quote_style(if dialect.quote_all {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .from_writer(&mut encoded);
    let kept_columns: Vec<usize> = (0..edits.columns.len())
        .filter(|c| !edits.dropped.contains(c))
        .collect();
    let masked: Vec<Option<crate::columns::Role>> = (0..edits.columns.len())
        .map(|c| edits.masked.contains(&c).then(|| edits.roles[c]))
        .collect();
    let mut tally = CopyTally::default();
    let mut record = csv::ByteRecord::new();
    let mut header_done = false;
    let mut row = 0u64;
    while reader
        .read_byte_record(&mut record)
        .map_err(io::Error::other)?
    {
        if !header_done {
            header_done = true;
            writer.write_record(kept_columns.iter().map(|&c| &record[c]))?;
            continue;
        }
        row += 1;
        tally.rows_read += 1;
        if !edits.keeps_row(row) {
            continue;
        }
        // A row the scan audited has the header's width and is UTF-8.
        let text = std::str::from_utf8(record.as_slice()).map_err(io::Error::other)?;
        let field = |c: usize| record.range(c).and_then(|r| text.get(r)).unwrap_or("");
        let fields: Vec<std::borrow::Cow<str>> = kept_columns
            .iter()
            .map(|&c| {
                let value = edited(field(c), edits.cells.get(&(row, c)), masked[c]);
                tally.cells_changed += u64::from(value != field(c));
                value
            })
            .collect();
        writer.write_record(fields.iter().map(|f| f.as_bytes()))?;
        tally.rows_written += 1;
    }
    writer.flush()?;
    drop(writer);
    encoded.finish()?;
    Ok(tally)
}
