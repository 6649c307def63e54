//! The first bytes of an input: enough to sniff format, encoding and delimiter
//! without reading the whole file (which may be standard input).

use super::{Encoding, Format};
use crate::error::InputError;
use std::io::{Cursor, Read};
use std::path::Path;

const SNIFF_BYTES: usize = 1 << 20;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) struct Sniffed {
    pub head: Vec<u8>,
    rest: Box<dyn Read + Send>,
}

impl Sniffed {
    pub fn read(mut reader: Box<dyn Read + Send>, path: &Path) -> Result<Sniffed, InputError> {
        let mut head = Vec::with_capacity(64 * 1024);
        (&mut reader)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(|e| InputError::io(path, &e))?;
        Ok(Sniffed { head, rest: reader })
    }

    pub fn has_bom(&self) -> bool {
        self.head.starts_with(UTF8_BOM)
    }

    /// `[` → JSON array, `{` → NDJSON, anything else → CSV.
    pub fn guess_format(&self) -> Format {
        let body = self.head.strip_prefix(UTF8_BOM).unwrap_or(&self.head);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') => Format::Json,
            Some(b'{') => Format::Ndjson,
            _ => Format::Csv,
        }
    }

    /// Decides the encoding: an explicit choice wins; otherwise a BOM or valid
    /// UTF-8 in the first megabyte means UTF-8, anything else Windows-1252.
    pub fn resolve_encoding(&self, requested: Encoding) -> Encoding {
        match requested {
            Encoding::Auto if self.has_utf16_bom() => Encoding::Utf16,
            Encoding::Auto if self.has_bom() => Encoding::Utf8,
            Encoding::Auto => match std::str::from_utf8(&self.head) {
                Ok(_) => Encoding::Utf8,
                // A multi-byte character cut at the end of the sniffed block is still UTF-8.
                Err(e) if e.error_len().is_none() => Encoding::Utf8,
                // Valid UTF-8 letters beside the bad byte: a UTF-8 file with a damaged row.
                Err(_) if has_utf8_multibyte(&self.head) => Encoding::Utf8,
                Err(_) => Encoding::Windows1252,
            },
            other => other,
        }
    }

    pub fn has_utf16_bom(&self) -> bool {
        self.head.starts_with(b"\xFF\xFE") || self.head.starts_with(b"\xFE\xFF")
    }

    /// The whole input as a UTF-8 byte stream with any BOM removed.
    pub fn into_utf8_reader(self, encoding: Encoding) -> Box<dyn Read + Send> {
        if encoding == Encoding::Utf16 {
            // encoding_rs_io reads the UTF-16 BOM and transcodes to UTF-8.
            let joined = Cursor::new(self.head).chain(self.rest);
            return Box::new(encoding_rs_io::DecodeReaderBytesBuilder::new().build(joined));
        }
        let head = match self.head.strip_prefix(UTF8_BOM) {
            Some(rest) => rest.to_vec(),
            None => self.head,
        };
        let joined = Cursor::new(head).chain(self.rest);
        match encoding {
            Encoding::Windows1252 => Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding_rs::WINDOWS_1252))
                    .build(joined),
            ),
            _ => Box::new(joined),
        }
    }

    /// The head decoded for sniffing (lossy; only structure matters here).
    pub fn head_text(&self, encoding: Encoding) -> String {
        let body = self.head.strip_prefix(UTF8_BOM).unwrap_or(&self.head);
        match encoding {
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252.decode(body).0.into_owned(),
            Encoding::Utf16 => {
                let (text, _, _) = encoding_rs::UTF_16LE.decode(&self.head);
                text.into_owned()
            }
            _ => String::from_utf8_lossy(body).into_owned(),
        }
    }
}

/// Whether `bytes` hold at least one well-formed multi-byte UTF-8 character.
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    bytes
        .windows(2)
        .any(|w| (0xC2..=0xDF).contains(&w[0]) && (0x80..=0xBF).contains(&w[1]))
}

pub(crate) fn encoding_name(encoding: Encoding, bom: bool) -> &'static str {
    match (encoding, bom) {
        (Encoding::Windows1252, _) => "windows-1252",
        (Encoding::Utf16, _) => "utf-16",
        (_, true) => "utf-8 (BOM)",
        _ => "utf-8",
    }
}

/// Picks the delimiter that splits the first lines most consistently:
/// comma, semicolon or tab, counted outside quotes.
pub(crate) fn sniff_delimiter(head: &str) -> u8 {
    let lines: Vec<&str> = head
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let Some(first) = lines.first() else {
        return b',';
    };
    let mut best = (b',', 0usize, false);
    for candidate in [b',', b';', b'\t'] {
        let count = count_outside_quotes(first, candidate);
        if count == 0 {
            continue;
        }
        let consistent = lines
            .iter()
            .skip(1)
            .all(|l| count_outside_quotes(l, candidate) == count);
        // Prefer a delimiter that is consistent across lines, then the more frequent one.
        if (consistent, count) > (best.2, best.1) {
            best = (candidate, count, consistent);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("\"x;y\",b\n1,2\n"), b',');
        assert_eq!(sniff_delimiter("single\n1\n"), b',');
    }
}
