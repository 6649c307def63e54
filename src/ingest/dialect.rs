//! An input's dialect as the reader understood it (format, encoding, BOM,
//! delimiter, line ends, quoting), and its text decoded to UTF-8: what a
//! writer needs to produce a copy that reads back the same (`regaudit clean`).

use super::decode::{sniff_delimiter, Sniffed};
use super::{format_from_extension, Encoding, Format, ReadOptions};
use crate::error::InputError;
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub format: Format,
    pub encoding: Encoding,
    /// A UTF-8 byte-order mark before the text (UTF-16 always has one).
    pub bom: bool,
    pub delimiter: u8,
    /// How lines end: `\n`, `\r\n` (as Excel writes them) or a bare `\r`.
    pub line_end: &'static str,
    /// Every field of the header is quoted, so the writer quotes every field.
    pub quote_all: bool,
}

/// A file opened for a faithful copy: its dialect and its text as UTF-8.
pub struct DecodedInput {
    pub dialect: Dialect,
    pub text: Box<dyn Read + Send>,
}

/// Opens `path` as the reader would (same sniffing, same overrides).
pub fn open_decoded(path: &Path, options: &ReadOptions) -> Result<DecodedInput, InputError> {
    let file = std::fs::File::open(path).map_err(|e| InputError::io(path, &e))?;
    let sniffed = Sniffed::read(Box::new(file), path)?;
    let format = options
        .format
        .or_else(|| format_from_extension(path, &sniffed))
        .unwrap_or_else(|| sniffed.guess_format());
    let encoding = match format {
        Format::Csv => sniffed.resolve_encoding(options.encoding),
        Format::Json | Format::Ndjson => Encoding::Utf8,
        // Workbooks, Parquet and databases are read, never rewritten.
        other => {
            return Err(InputError::new(
                path,
                format!(
                    "{other:?} input has no faithful copy: only CSV, JSON and NDJSON exports are copied"
                ),
            ))
        }
    };
    let head = sniffed.head_text(encoding);
    let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(&head));
    let first_line = head.split(['\n', '\r']).next().unwrap_or("");
    let after = &head.as_bytes()[first_line.len()..];
    let line_end = match after {
        [b'\r', b'\n', ..] => "\r\n",
        [b'\r', ..] => "\r",
        _ => "\n",
    };
    let dialect = Dialect {
        format,
        encoding,
        bom: sniffed.has_bom(),
        delimiter,
        line_end,
        quote_all: header_is_all_quoted(first_line, delimiter),
    };
    Ok(DecodedInput {
        dialect,
        text: sniffed.into_utf8_reader(encoding),
    })
}

fn header_is_all_quoted(line: &str, delimiter: u8) -> bool {
    let line = line.trim_start_matches('\u{feff}');
    if line.is_empty() {
        return false;
    }
    let d = delimiter as char;
    line.starts_with('"')
        && line.ends_with('"')
        && line.matches(d).count() == line.matches(&format!("\"{d}\"")).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_is_read_from_the_header() {
        assert!(header_is_all_quoted("\"a\";\"b\";\"c\"", b';'));
        assert!(!header_is_all_quoted("a;\"b\";c", b';'));
        assert!(!header_is_all_quoted("a,b", b','));
    }
}
