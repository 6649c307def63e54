//! Cuts a CSV byte stream into chunks of whole records, so chunks can be
//! parsed on different threads. The only state that crosses a cut is whether
//! the scan is inside a quoted field, and that is decided by quotes alone: a
//! `"` opens a quoted field only at the start of a field (as the csv crate
//! reads it), `""` inside one is an escaped quote, and any other `"` closes it.
//! Records end at `\n` outside quotes; a file using bare `\r` line ends is
//! still read correctly, as one chunk.

use std::io::Read;

/// Bytes read from the input at a time. Small enough that the part of the last
/// block after a cut, which is copied, stays a small share of a chunk.
const READ_BLOCK: usize = 128 << 10;
/// A chunk is cut at the last record end once it holds this many bytes.
const MAX_CHUNK_BYTES: usize = 16 << 20;

/// Whole records, cut from the stream in order.
pub(crate) struct RawChunk {
    pub bytes: Vec<u8>,
    /// 1-based line of the file where the chunk starts.
    pub first_line: u64,
    /// The input ended inside a quoted field: the chunk's last record holds an
    /// unclosed quote that swallowed the lines after it.
    pub unclosed_quote: bool,
}

pub(crate) struct Splitter<R> {
    input: R,
    /// Bytes read but not yet handed out; `buf[..scanned]` has been scanned.
    buf: Vec<u8>,
    scanned: usize,
    in_quote: bool,
    delimiter: u8,
    /// Record ends found in `buf[..scanned]`, and where the last one is.
    records: usize,
    last_cut: Option<usize>,
    line: u64,
    eof: bool,
}

impl<R: Read> Splitter<R> {
    pub fn new(input: R, delimiter: u8) -> Self {
        Splitter {
            input,
            buf: Vec::new(),
            scanned: 0,
            in_quote: false,
            delimiter,
            records: 0,
            last_cut: None,
            line: 1,
            eof: false,
        }
    }

    /// The next chunk of up to `max_records` record ends (at least one whole
    /// record unless the input ends), or `None` when the input is exhausted.
    pub fn next_chunk(&mut self, max_records: usize) -> std::io::Result<Option<RawChunk>> {
        let max_records = max_records.max(1);
        loop {
            if let Some(cut) = self.scan(max_records) {
                return Ok(Some(self.cut(cut, false)));
            }
            if self.eof {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                let end = self.buf.len();
                let unclosed = self.in_quote;
                return Ok(Some(self.cut(end, unclosed)));
            }
            if self.buf.len() >= MAX_CHUNK_BYTES {
                if let Some(cut) = self.last_cut {
                    // Long records: a chunk of fewer records keeps memory bounded.
                    return Ok(Some(self.cut(cut, false)));
                }
            }
            self.fill()?;
        }
    }

    /// Reads one more block; sets `eof` at the end of input.
    fn fill(&mut self) -> std::io::Result<()> {
        // `read_to_end` reads into spare capacity without zeroing it first.
        let read = (&mut self.input)
            .take(READ_BLOCK as u64)
            .read_to_end(&mut self.buf)?;
        if read < READ_BLOCK {
            self.eof = true;
        }
        Ok(())
    }

    /// Scans unscanned bytes for quotes and record ends; returns the end
    /// (exclusive) of the `max_records`-th record when it is reached. The byte
    /// after a quote decides what the quote means, so a quote that is the last
    /// byte read waits for the next block (or the end of input).
    fn scan(&mut self, max_records: usize) -> Option<usize> {
        let buf = &self.buf;
        let mut at = self.scanned;
        while at < buf.len() {
            if self.in_quote {
                match memchr::memchr(b'"', &buf[at..]) {
                    None => at = buf.len(),
                    Some(i) => {
                        let q = at + i;
                        match buf.get(q + 1) {
                            None if !self.eof => {
                                // Cannot tell an escaped quote from a closing one yet.
                                self.scanned = q;
                                return None;
                            }
                            Some(b'"') => at = q + 2,
                            _ => {
                                self.in_quote = false;
                                at = q + 1;
                            }
                        }
                    }
                }
            } else {
                match memchr::memchr2(b'"', b'\n', &buf[at..]) {
                    None => at = buf.len(),
                    Some(i) => {
                        let p = at + i;
                        if buf[p] == b'\n' {
                            self.records += 1;
                            self.last_cut = Some(p + 1);
                            if self.records >= max_records {
                                self.scanned = p + 1;
                                return Some(p + 1);
                            }
                        } else {
                            // `buf` always starts at a record's start.
                            let before = if p == 0 { b'\n' } else { buf[p - 1] };
                            if before == self.delimiter || before == b'\n' || before == b'\r' {
                                self.in_quote = true;
                            }
                        }
                        at = p + 1;
                    }
                }
            }
        }
        self.scanned = buf.len();
        None
    }

    /// Hands out `buf[..end]` and keeps the rest.
    fn cut(&mut self, end: usize, unclosed_quote: bool) -> RawChunk {
        let rest = self.buf[end..].to_vec();
        let mut bytes = std::mem::replace(&mut self.buf, rest);
        bytes.truncate(end);
        self.scanned -= end.min(self.scanned);
        self.records = 0;
        self.last_cut = None;
        let first_line = self.line;
        self.line += line_ends(&bytes, 0..bytes.len());
        RawChunk {
            bytes,
            first_line,
            unclosed_quote,
        }
    }
}

/// Line ends in `bytes[range]`, as the CSV parser sees them: `\n`, `\r\n`
/// and a bare `\r` (old Mac files) each end one line. A `\r` whose `\n`
/// lies just past the range is counted with that `\n`.
pub(crate) fn line_ends(bytes: &[u8], range: std::ops::Range<usize>) -> u64 {
    memchr::memchr2_iter(b'\n', b'\r', &bytes[range.clone()])
        .map(|i| range.start + i)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(input: &str, max_records: usize) -> Vec<(String, u64, bool)> {
        let mut splitter = Splitter::new(input.as_bytes(), b',');
        let mut out = Vec::new();
        while let Some(c) = splitter.next_chunk(max_records).unwrap() {
            out.push((
                String::from_utf8(c.bytes).unwrap(),
                c.first_line,
                c.unclosed_quote,
            ));
        }
        out
    }

    #[test]
    fn line_ends_count_lf_crlf_and_bare_cr_once_each() {
        let text = b"a\nb\r\nc\rd\r";
        assert_eq!(line_ends(text, 0..text.len()), 4);
        // A CR whose LF is past the range waits for it.
        assert_eq!(line_ends(text, 0..4), 1);
        assert_eq!(line_ends(text, 0..5), 2);
    }

    #[test]
    fn cuts_after_the_given_number_of_records() {
        let got = chunks("a,b\nc,d\ne,f\n", 2);
        assert_eq!(
            got,
            vec![("a,b\nc,d\n".into(), 1, false), ("e,f\n".into(), 3, false)]
        );
    }

    #[test]
    fn never_cuts_inside_a_quoted_field() {
        let input = "1,\"two\nlines\"\n2,\"say \"\"hi\"\"\nthere\"\n3,x\n";
        let got = chunks(input, 1);
        let texts: Vec<&str> = got.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "1,\"two\nlines\"\n",
                "2,\"say \"\"hi\"\"\nthere\"\n",
                "3,x\n"
            ]
        );
        assert_eq!(got.iter().map(|c| c.1).collect::<Vec<_>>(), vec![1, 3, 5]);
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_a_letter() {
        let got = chunks("1,5\" disk\n2,x\n", 1);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "1,5\" disk\n");
    }

    #[test]
    fn an_unclosed_quote_at_the_end_is_reported() {
        let got = chunks("1,ok\n2,\"never closed\n3,x\n", 1);
        assert_eq!(
            got.last().unwrap(),
            &("2,\"never closed\n3,x\n".into(), 2, true)
        );
    }

    #[test]
    fn a_last_record_without_line_end_is_kept() {
        let got = chunks("a,b\r\nc,d", 5);
        assert_eq!(got, vec![("a,b\r\nc,d".into(), 1, false)]);
    }

    #[test]
    fn chunks_join_back_to_the_input_whatever_the_size() {
        let input = "h,\"x\"\"\"\n\"a\nb\",c\n\n\"\"\"\",\"\n\"\n,\n".repeat(50);
        for n in 1..7 {
            let joined: String = chunks(&input, n).into_iter().map(|c| c.0).collect();
            assert_eq!(joined, input);
        }
    }
}
