//! Records split by key into a fixed number of parts, so a join can take one
//! part at a time: every record of a key lands in the same part. Records are
//! kept encoded (postcard) in memory up to a bound and then spilled to one
//! anonymous temporary file, so memory does not grow with the logs. A part
//! reads back in the order its records were pushed.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::hash::{BuildHasher, Hash};
use std::io::{self, Write};
use std::os::unix::fs::FileExt;

/// How many parts every log is split into: a part holds about 1/64 of the
/// events, bans and profiles, and the parts are joined side by side.
pub(super) const PARTS: usize = 64;

/// The part a key belongs to, the same in every `Partitions`.
pub(super) fn part_of(key: &str) -> usize {
    (rustc_hash::FxBuildHasher.hash_one(key) % PARTS as u64) as usize
}

/// How many parts one step of a join takes so that it holds about `bound`
/// of the `most` records any of its inputs has (at least one part).
pub(super) fn parts_per_step(most: usize, bound: usize) -> usize {
    if most <= bound {
        return PARTS;
    }
    (PARTS.saturating_mul(bound) / most).clamp(1, PARTS)
}

pub(super) struct Partitions {
    /// Encoded records not yet spilled, by part.
    memory: Vec<Vec<u8>>,
    in_memory: usize,
    /// Records held in memory before every part is spilled.
    bound: usize,
    spill: Option<std::fs::File>,
    spilled_bytes: u64,
    /// Where each part's spilled records are: (offset, length), in push order.
    segments: Vec<Vec<(u64, usize)>>,
    len: usize,
}

impl Partitions {
    pub(super) fn new(bound: usize) -> Self {
        Partitions {
            memory: vec![Vec::new(); PARTS],
            in_memory: 0,
            bound: bound.max(1),
            spill: None,
            spilled_bytes: 0,
            segments: vec![Vec::new(); PARTS],
            len: 0,
        }
    }

    /// Records pushed so far.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Whether any record went to disk.
    #[cfg(test)]
    pub(super) fn spilled(&self) -> bool {
        self.spill.is_some()
    }

    pub(super) fn push<T: Serialize + ?Sized>(&mut self, key: &str, record: &T) -> io::Result<()> {
        let part = &mut self.memory[part_of(key)];
        // Encoding a serde struct into a Vec cannot fail but on a bug.
        postcard::to_io(record, &mut *part).map_err(io::Error::other)?;
        self.len += 1;
        self.in_memory += 1;
        if self.in_memory >= self.bound {
            self.spill_all()?;
        }
        Ok(())
    }

    fn spill_all(&mut self) -> io::Result<()> {
        let file = match &mut self.spill {
            Some(file) => file,
            None => self.spill.insert(tempfile::tempfile()?),
        };
        let mut writer = io::BufWriter::with_capacity(1 << 20, &*file);
        for (part, bytes) in self.memory.iter_mut().enumerate() {
            if bytes.is_empty() {
                continue;
            }
            writer.write_all(bytes)?;
            self.segments[part].push((self.spilled_bytes, bytes.len()));
            self.spilled_bytes += bytes.len() as u64;
            // Freed, not kept: the parts fill again at their own pace.
            *bytes = Vec::new();
        }
        writer.flush()?;
        self.in_memory = 0;
        Ok(())
    }

    /// The records of `parts`, part by part, each part's in push order.
    pub(super) fn read_parts<T: DeserializeOwned>(
        &self,
        parts: std::ops::Range<usize>,
    ) -> io::Result<Vec<T>> {
        let mut records = Vec::new();
        let mut buffer = Vec::new();
        for part in parts {
            for &(offset, len) in &self.segments[part] {
                let file = self.spill.as_ref().expect("segments imply a spill file");
                buffer.resize(len, 0);
                file.read_exact_at(&mut buffer, offset)?;
                decode_into(&buffer, &mut records)?;
            }
            decode_into(&self.memory[part], &mut records)?;
        }
        Ok(records)
    }
}

fn decode_into<T: DeserializeOwned>(mut bytes: &[u8], records: &mut Vec<T>) -> io::Result<()> {
    while !bytes.is_empty() {
        let (record, rest) = postcard::take_from_bytes(bytes)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        records.push(record);
        bytes = rest;
    }
    Ok(())
}

/// Says whether a key may be among those pushed, in memory that does not grow
/// with them past a cap; a false "yes" costs only work the join undoes.
pub(super) struct KeyFilter(fastbloom::BloomFilter);

impl KeyFilter {
    /// A filter for `count` keys: about 1 % false positives up to ~27M keys,
    /// then more, at a fixed 32 MiB (whose pages are touched only as keys
    /// land on them).
    pub(super) fn new(count: usize) -> Self {
        let bits = count.clamp(64, 1 << 28).saturating_mul(10).min(1 << 28);
        let filter = fastbloom::BloomFilter::with_num_bits(bits)
            .seed(&0)
            .expected_items(count.clamp(1, 1 << 28));
        KeyFilter(filter)
    }

    pub(super) fn insert(&mut self, key: &(impl Hash + ?Sized)) {
        self.0.insert(key);
    }

    pub(super) fn may_contain(&self, key: &(impl Hash + ?Sized)) -> bool {
        self.0.contains(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(bound: usize) -> (Partitions, Vec<(String, u64)>) {
        let mut parts = Partitions::new(bound);
        let pushed: Vec<(String, u64)> =
            (0..1000u64).map(|i| (format!("K{}", i % 37), i)).collect();
        for record in &pushed {
            parts.push(&record.0, record).unwrap();
        }
        (parts, pushed)
    }

    /// A part reads back exactly the records of its keys in push order,
    /// whether it stayed in memory, spilled once, or spilled many times.
    #[test]
    fn parts_read_back_in_push_order_spilled_or_not() {
        for bound in [usize::MAX, 600, 7, 1] {
            let (parts, pushed) = records(bound);
            assert_eq!(parts.len(), 1000);
            assert_eq!(parts.spilled(), bound <= 1000, "bound {bound}");
            let mut seen = 0;
            for part in 0..PARTS {
                let back: Vec<(String, u64)> = parts.read_parts(part..part + 1).unwrap();
                let expected: Vec<_> = pushed
                    .iter()
                    .filter(|(k, _)| part_of(k) == part)
                    .cloned()
                    .collect();
                assert_eq!(back, expected, "bound {bound} part {part}");
                seen += back.len();
            }
            assert_eq!(seen, 1000);
            let all: Vec<(String, u64)> = parts.read_parts(0..PARTS).unwrap();
            assert_eq!(all.len(), 1000);
        }
    }

    #[test]
    fn steps_hold_about_the_bound() {
        assert_eq!(parts_per_step(0, 500), PARTS);
        assert_eq!(parts_per_step(1000, 1000), PARTS);
        assert_eq!(parts_per_step(2000, 1000), PARTS / 2);
        assert_eq!(parts_per_step(1_250_000, 500_000), 25);
        assert_eq!(parts_per_step(10_000_000, 1), 1);
    }

    #[test]
    fn key_filter_has_no_false_negatives() {
        let mut filter = KeyFilter::new(10_000);
        for i in 0..10_000 {
            filter.insert(format!("C{i:08}").as_str());
        }
        assert!((0..10_000).all(|i| filter.may_contain(format!("C{i:08}").as_str())));
        let false_positives = (10_000..20_000)
            .filter(|i| filter.may_contain(format!("C{i:08}").as_str()))
            .count();
        assert!(false_positives < 500, "{false_positives} false positives");
    }
}
