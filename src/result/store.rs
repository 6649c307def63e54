//! Findings kept in bounded memory: up to `limit` in memory, then each full
//! buffer is sorted and spilled to a temporary file (deleted on drop), and the
//! report reads them back in one k-way merge. Millions of findings stream to
//! the output instead of sitting in memory; the order is the same either way.

use crate::finding::{Finding, Severity};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::io::{BufRead, BufReader, BufWriter, Seek, Write};

/// Findings held in memory before a sorted run is spilled to disk.
pub const DEFAULT_IN_MEMORY: usize = 1_000_000;

pub struct FindingStore {
    buffer: Vec<Finding>,
    runs: Vec<std::fs::File>,
    limit: usize,
    total: u64,
    by_severity: BTreeMap<Severity, u64>,
    by_rule: BTreeMap<String, u64>,
}

impl FindingStore {
    pub fn new(limit: usize) -> Self {
        FindingStore {
            buffer: Vec::new(),
            runs: Vec::new(),
            limit: limit.max(1),
            total: 0,
            by_severity: BTreeMap::new(),
            by_rule: BTreeMap::new(),
        }
    }

    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) -> std::io::Result<()> {
        for f in findings {
            self.total += 1;
            *self.by_severity.entry(f.severity).or_default() += 1;
            match self.by_rule.get_mut(&*f.rule) {
                Some(n) => *n += 1,
                None => {
                    self.by_rule.insert(f.rule.to_string(), 1);
                }
            }
            self.buffer.push(f);
            if self.buffer.len() >= self.limit {
                self.spill()?;
            }
        }
        Ok(())
    }

    fn spill(&mut self) -> std::io::Result<()> {
        crate::finding::sort_findings(&mut self.buffer);
        let mut file = tempfile::tempfile()?;
        {
            let mut w = BufWriter::new(&mut file);
            for f in self.buffer.drain(..) {
                serde_json::to_writer(&mut w, &f).map_err(std::io::Error::other)?;
                w.write_all(b"\n")?;
            }
            w.flush()?;
        }
        file.rewind()?;
        self.runs.push(file);
        Ok(())
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn by_severity(&self) -> &BTreeMap<Severity, u64> {
        &self.by_severity
    }

    pub fn by_rule(&self) -> &BTreeMap<String, u64> {
        &self.by_rule
    }

    /// How many sorted runs went to disk (0 when everything fitted in memory).
    pub fn spilled_runs(&self) -> usize {
        self.runs.len()
    }

    /// All findings in report order. Consumes the store.
    pub fn into_sorted(mut self) -> std::io::Result<SortedFindings> {
        crate::finding::sort_findings(&mut self.buffer);
        let mut sources: Vec<Box<dyn Iterator<Item = std::io::Result<Finding>>>> = Vec::new();
        for run in self.runs {
            let lines = BufReader::new(run).lines();
            sources.push(Box::new(lines.map(|line| {
                line.and_then(|l| serde_json::from_str(&l).map_err(std::io::Error::other))
            })));
        }
        sources.push(Box::new(self.buffer.into_iter().map(Ok)));
        let mut heap = BinaryHeap::new();
        for (i, source) in sources.iter_mut().enumerate() {
            if let Some(next) = source.next() {
                heap.push(Reverse(HeapItem(next?, i)));
            }
        }
        Ok(SortedFindings { sources, heap })
    }
}

struct HeapItem(Finding, usize);

impl PartialEq for HeapItem {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for HeapItem {}
impl PartialOrd for HeapItem {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapItem {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        crate::finding::report_order(&self.0, &other.0).then(self.1.cmp(&other.1))
    }
}

/// The merge of every run, yielding findings in report order.
pub struct SortedFindings {
    sources: Vec<Box<dyn Iterator<Item = std::io::Result<Finding>>>>,
    heap: BinaryHeap<Reverse<HeapItem>>,
}

impl Iterator for SortedFindings {
    type Item = std::io::Result<Finding>;

    fn next(&mut self) -> Option<Self::Item> {
        let Reverse(HeapItem(finding, source)) = self.heap.pop()?;
        match self.sources[source].next() {
            Some(Ok(next)) => self.heap.push(Reverse(HeapItem(next, source))),
            Some(Err(e)) => return Some(Err(e)),
            None => {}
        }
        Some(Ok(finding))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, record: &str) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Low,
            register: "r".into(),
            file: "f".into(),
            row: 1,
            record: Some(record.into()),
            column: None,
            message: String::new(),
            evidence: None,
            fingerprint: crate::finding::FingerprintKey::from_secret(b"t")
                .fingerprint(&[rule, record]),
        }
    }

    #[test]
    fn spilled_and_in_memory_orders_agree() {
        let all: Vec<Finding> = (0..50)
            .map(|i| {
                finding(
                    if i % 3 == 0 { "ID001" } else { "RET001" },
                    &format!("k{}", (i * 7) % 50),
                )
            })
            .collect();
        let mut small = FindingStore::new(4);
        small.extend(all.clone()).unwrap();
        assert!(small.spilled_runs() > 5);
        let mut big = FindingStore::new(1000);
        big.extend(all).unwrap();
        assert_eq!(big.spilled_runs(), 0);
        let a: Vec<Finding> = small.into_sorted().unwrap().map(Result::unwrap).collect();
        let b: Vec<Finding> = big.into_sorted().unwrap().map(Result::unwrap).collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 50);
    }
}
