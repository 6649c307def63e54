//! Writes UTF-8 text in the encoding the input came in (UTF-8 with or
//! without a BOM, Windows-1252, UTF-16LE with a BOM).

use crate::ingest::Encoding;
use std::io::{self, Write};

pub struct EncodeWriter<'a> {
    out: &'a mut dyn Write,
    encoding: Encoding,
    /// Bytes of a character cut between two writes.
    pending: Vec<u8>,
    started: bool,
    bom: bool,
}

impl<'a> EncodeWriter<'a> {
    pub fn new(out: &'a mut dyn Write, encoding: Encoding, bom: bool) -> Self {
        EncodeWriter {
            out,
            encoding,
            pending: Vec::new(),
            started: false,
            bom,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            match self.encoding {
                Encoding::Utf16 => self.out.write_all(b"\xFF\xFE")?,
                Encoding::Utf8 | Encoding::Auto if self.bom => {
                    self.out.write_all(b"\xEF\xBB\xBF")?
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn emit(&mut self, text: &str) -> io::Result<()> {
        match self.encoding {
            Encoding::Windows1252 => {
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
                self.out.write_all(&bytes)
            }
            Encoding::Utf16 => {
                let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
                self.out.write_all(&bytes)
            }
            Encoding::Utf8 | Encoding::Auto => self.out.write_all(text.as_bytes()),
        }
    }

    /// Writes what is left; an incomplete character at the end is an error.
    pub fn finish(mut self) -> io::Result<()> {
        self.start()?;
        if !self.pending.is_empty() {
            return Err(io::Error::other("text ends inside a character"));
        }
        self.out.flush()
    }
}

impl Write for EncodeWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.start()?;
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => return Err(io::Error::other(e)),
        };
        let rest = self.pending.split_off(valid);
        let text = std::mem::replace(&mut self.pending, rest);
        // Checked just above.
        self.emit(std::str::from_utf8(&text).map_err(io::Error::other)?)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(encoding: Encoding, bom: bool, pieces: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut w = EncodeWriter::new(&mut out, encoding, bom);
        for p in pieces {
            w.write_all(p).unwrap();
        }
        w.finish().unwrap();
        out
    }

    #[test]
    fn a_character_split_between_writes_is_encoded_whole() {
        let a = "ä".as_bytes();
        assert_eq!(
            encode(Encoding::Windows1252, false, &[b"p", &a[..1], &a[1..]]),
            b"p\xE4"
        );
        assert_eq!(encode(Encoding::Utf8, true, &[a]), b"\xEF\xBB\xBF\xC3\xA4");
        assert_eq!(encode(Encoding::Utf16, false, &[b"a"]), b"\xFF\xFEa\x00");
    }
}
