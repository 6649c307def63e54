//! The findings store's spill files: sorted runs of findings written to an
//! anonymous temporary file and read back in order. Each finding is a
//! little-endian `u32` length and its postcard encoding (compact, and ~10x
//! faster to read back than JSON lines). Reading back shares the names that
//! findings repeat (rule, register, file, column) instead of allocating them
//! once per finding.

use crate::finding::{Finding, Fingerprint, Severity};
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::io::{BufReader, BufWriter, Read, Write};
use std::sync::Arc;

/// A finding as a spill file holds it: the fields that are stored, borrowed
/// from the finding when written and from the read buffer when read.
#[derive(Serialize, Deserialize)]
struct SpillRecord<'a> {
    rule: &'a str,
    severity: Severity,
    register: &'a str,
    file: &'a str,
    row: u64,
    line: Option<u64>,
    record: Option<&'a str>,
    column: Option<&'a str>,
    message: &'a str,
    evidence: Option<&'a str>,
    fingerprint: Fingerprint,
}

impl<'a> From<&'a Finding> for SpillRecord<'a> {
    fn from(f: &'a Finding) -> Self {
        SpillRecord {
            rule: &f.rule,
            severity: f.severity,
            register: &f.register,
            file: &f.file,
            row: f.row,
            line: f.line,
            record: f.record.as_deref(),
            column: f.column.as_deref(),
            message: &f.message,
            evidence: f.evidence.as_deref(),
            fingerprint: f.fingerprint,
        }
    }
}

/// A spilled run, read by as many readers as asked.
pub(super) struct Spill {
    file: Arc<std::fs::File>,
}

impl Spill {
    /// The same file for another store (readers use positional reads).
    pub(super) fn share(&self) -> Spill {
        Spill {
            file: Arc::clone(&self.file),
        }
    }

    /// The findings, decoded ahead on a thread of their own in batches of
    /// `batch` (at most two wait): the merge that reads several spills then
    /// only compares, while the decoding of every spill runs on the spare
    /// cores. See [`decode_batch`] for the size.
    pub(super) fn stream(&self, batch: usize) -> SpillStream {
        let batch = batch.max(1);
        let (sender, receiver) = std::sync::mpsc::sync_channel(2);
        let mut reader = self.reader();
        std::thread::spawn(move || loop {
            let decoded: std::io::Result<Vec<Finding>> =
                std::iter::from_fn(|| reader.next_finding())
                    .take(batch)
                    .collect();
            let done = matches!(&decoded, Ok(b) if b.len() < batch) || decoded.is_err();
            // The receiver is gone when the merge stopped early (an error).
            if sender.send(decoded).is_err() || done {
                return;
            }
        });
        SpillStream {
            receiver,
            batch_size: batch,
            batch: Vec::new().into_iter(),
            last_taken: false,
        }
    }

    /// A reader of its own: positional reads, so several can read at once.
    fn reader(&self) -> SpillReader {
        SpillReader {
            input: BufReader::with_capacity(
                1 << 20,
                PositionalFile {
                    file: Arc::clone(&self.file),
                    offset: 0,
                },
            ),
            buf: Vec::new(),
            names: Names::default(),
        }
    }
}

pub(super) struct SpillWriter {
    file: std::fs::File,
    out: BufWriter<std::fs::File>,
    buf: Vec<u8>,
}

impl SpillWriter {
    pub(super) fn new() -> std::io::Result<Self> {
        let file = tempfile::tempfile()?;
        let out = BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(SpillWriter {
            file,
            out,
            buf: Vec::new(),
        })
    }

    pub(super) fn write(&mut self, finding: &Finding) -> std::io::Result<()> {
        self.buf.clear();
        postcard::to_io(&SpillRecord::from(finding), &mut self.buf)
            .map_err(std::io::Error::other)?;
        let len = u32::try_from(self.buf.len()).map_err(std::io::Error::other)?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(&self.buf)
    }

    pub(super) fn finish(mut self) -> std::io::Result<Spill> {
        self.out.flush()?;
        drop(self.out);
        Ok(Spill {
            file: Arc::new(self.file),
        })
    }
}

struct PositionalFile {
    file: Arc<std::fs::File>,
    offset: u64,
}

impl Read for PositionalFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let n = self.file.read_at(buf, self.offset)?;
        self.offset += n as u64;
        Ok(n)
    }
}

/// The most findings a spill's stream decodes per batch.
const DECODED_BATCH: usize = 4096;

/// The batch size for reading `spills` spills at once, keeping the findings
/// decoded ahead (up to four batches a spill: two waiting, one being made,
/// one being merged) within about `limit`, the store's in-memory bound,
/// however many spills there are.
pub(super) fn decode_batch(limit: usize, spills: usize) -> usize {
    (limit / (4 * spills.max(1))).clamp(64, DECODED_BATCH)
}

/// A spill's findings in order, decoded ahead by a thread of their own.
pub(super) struct SpillStream {
    receiver: std::sync::mpsc::Receiver<std::io::Result<Vec<Finding>>>,
    batch_size: usize,
    batch: std::vec::IntoIter<Finding>,
    /// Whether the last (short) batch arrived: the decoder ends only after it.
    last_taken: bool,
}

impl Iterator for SpillStream {
    type Item = std::io::Result<Finding>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(finding) = self.batch.next() {
                return Some(Ok(finding));
            }
            if self.last_taken {
                return None;
            }
            match self.receiver.recv() {
                Ok(Ok(batch)) => {
                    self.last_taken = batch.len() < self.batch_size;
                    self.batch = batch.into_iter();
                }
                Ok(Err(e)) => return Some(Err(e)),
                // The decoder went away before its last batch: it panicked.
                // Never a silently shorter report.
                Err(_) => {
                    self.last_taken = true;
                    return Some(Err(std::io::Error::other(
                        "decoding the spilled findings stopped early",
                    )));
                }
            }
        }
    }
}

struct SpillReader {
    input: BufReader<PositionalFile>,
    buf: Vec<u8>,
    names: Names,
}

impl SpillReader {
    fn next_finding(&mut self) -> Option<std::io::Result<Finding>> {
        let mut len = [0u8; 4];
        match self.input.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return None,
            Err(e) => return Some(Err(e)),
        }
        self.buf.resize(u32::from_le_bytes(len) as usize, 0);
        if let Err(e) = self.input.read_exact(&mut self.buf) {
            return Some(Err(e));
        }
        let record: SpillRecord<'_> = match postcard::from_bytes(&self.buf) {
            Ok(record) => record,
            Err(e) => return Some(Err(std::io::Error::other(e))),
        };
        let names = &mut self.names;
        Some(Ok(Finding {
            rule: names.share(Names::RULE, record.rule),
            severity: record.severity,
            register: names.share(Names::REGISTER, record.register),
            file: names.share(Names::FILE, record.file),
            row: record.row,
            line: record.line,
            record: record.record.map(str::to_string),
            column: record.column.map(|c| names.share(Names::COLUMN, c)),
            message: Cow::Owned(record.message.to_string()),
            evidence: record.evidence.map(str::to_string),
            fingerprint: record.fingerprint,
            baseline_state: None,
            suppressed: None,
        }))
    }
}

/// The names a reader has met, shared by every finding that repeats them.
#[derive(Default)]
struct Names {
    known: FxHashSet<Arc<str>>,
    /// The name each field (rule, register, file, column) last had: a sorted
    /// run repeats them finding after finding, so most look-ups end here.
    last: [Option<Arc<str>>; 4],
}

impl Names {
    const RULE: usize = 0;
    const REGISTER: usize = 1;
    const FILE: usize = 2;
    const COLUMN: usize = 3;

    /// Past this many distinct names (a register with thousands of columns)
    /// new ones are no longer remembered: memory stays bounded.
    const MOST: usize = 4096;

    fn share(&mut self, field: usize, name: &str) -> Arc<str> {
        if let Some(last) = &self.last[field] {
            if **last == *name {
                return Arc::clone(last);
            }
        }
        let shared = match self.known.get(name) {
            Some(shared) => Arc::clone(shared),
            None => {
                let shared: Arc<str> = name.into();
                if self.known.len() < Self::MOST {
                    self.known.insert(Arc::clone(&shared));
                }
                shared
            }
        };
        self.last[field] = Some(Arc::clone(&shared));
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::FingerprintKey;

    fn finding(i: usize) -> Finding {
        Finding {
            rule: "ID001".into(),
            severity: Severity::High,
            register: "r".into(),
            file: "f.csv".into(),
            row: i as u64,
            line: i.is_multiple_of(2).then_some(i as u64 + 1),
            record: Some(format!("k{i}")),
            column: (!i.is_multiple_of(3)).then(|| Arc::from("hetu")),
            message: "m".into(),
            evidence: None,
            fingerprint: FingerprintKey::from_secret(b"t").fingerprint(&[&i.to_string()]),
            baseline_state: None,
            suppressed: None,
        }
    }

    #[test]
    fn many_spills_decode_in_smaller_batches() {
        assert_eq!(decode_batch(250_000, 1), DECODED_BATCH);
        assert_eq!(decode_batch(250_000, 100), 625);
        assert_eq!(decode_batch(250_000, 10_000), 64);
    }

    #[test]
    fn a_stream_gives_back_every_finding_whatever_the_batch_boundaries() {
        for count in [
            0,
            1,
            DECODED_BATCH - 1,
            DECODED_BATCH,
            2 * DECODED_BATCH + 1,
        ] {
            let mut writer = SpillWriter::new().unwrap();
            let written: Vec<Finding> = (0..count).map(finding).collect();
            for f in &written {
                writer.write(f).unwrap();
            }
            let spill = writer.finish().unwrap();
            let read: Vec<Finding> = spill.stream(DECODED_BATCH).map(Result::unwrap).collect();
            assert_eq!(read, written, "{count} findings");
            // A second reader of the same file reads it all again, in small batches.
            assert_eq!(spill.share().stream(64).count(), count);
        }
    }
}
