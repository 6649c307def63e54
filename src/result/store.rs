//! Findings kept in bounded memory. Each chunk of rows arrives as its own run,
//! already sorted by the worker that audited it (so sorting uses every core
//! and no big buffer is ever grown and copied). Past `limit` findings in
//! memory, the runs are merged into one sorted file (a compact binary
//! encoding, deleted on drop), and the report reads everything back in one
//! k-way merge. Millions of findings stream to the output instead of sitting
//! in memory; the order is the same either way.

use super::spill::{decode_batch, Spill, SpillStream, SpillWriter};
use crate::finding::{report_group, report_order, Finding, Severity};
use std::borrow::Cow;
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;

/// Findings held in memory before the sorted runs are spilled to disk: about
/// 80 MB. Reading back a spill costs less than the page faults of holding
/// more (measured on 1.1M findings: 250k uses 250 MB peak and the least CPU).
pub const DEFAULT_IN_MEMORY: usize = 250_000;

pub struct FindingStore {
    /// Sorted runs in memory, in arrival order.
    runs: Vec<Vec<Finding>>,
    in_memory: usize,
    spills: Vec<Spill>,
    limit: usize,
    total: u64,
    by_severity: BTreeMap<Severity, u64>,
    by_rule: BTreeMap<String, u64>,
}

impl FindingStore {
    pub fn new(limit: usize) -> Self {
        FindingStore {
            runs: Vec::new(),
            in_memory: 0,
            spills: Vec::new(),
            limit: limit.max(1),
            total: 0,
            by_severity: BTreeMap::new(),
            by_rule: BTreeMap::new(),
        }
    }

    /// Adds findings in any order (they are sorted here).
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) -> std::io::Result<()> {
        let mut run: Vec<Finding> = findings.into_iter().collect();
        sort_run(&mut run);
        self.add_sorted_run(run)
    }

    /// Adds a run already in report order (see [`sort_run`]).
    pub fn add_sorted_run(&mut self, run: Vec<Finding>) -> std::io::Result<()> {
        if run.is_empty() {
            return Ok(());
        }
        debug_assert!(run.windows(2).all(|w| report_order(&w[0], &w[1]).is_le()));
        self.count(&run);
        self.in_memory += run.len();
        self.runs.push(run);
        if self.in_memory >= self.limit {
            self.spill()?;
        }
        Ok(())
    }

    fn count(&mut self, run: &[Finding]) {
        self.total += run.len() as u64;
        // Runs are sorted by file and rule, so counting by stretches of one
        // rule touches the maps once per stretch, not once per finding.
        for stretch in run.chunk_by(|a, b| Arc::ptr_eq(&a.rule, &b.rule) || a.rule == b.rule) {
            match self.by_rule.get_mut(&*stretch[0].rule) {
                Some(n) => *n += stretch.len() as u64,
                None => {
                    self.by_rule
                        .insert(stretch[0].rule.to_string(), stretch.len() as u64);
                }
            }
        }
        for f in run {
            *self.by_severity.entry(f.severity).or_default() += 1;
        }
    }

    /// Merges the runs in memory into one sorted file.
    fn spill(&mut self) -> std::io::Result<()> {
        let runs = std::mem::take(&mut self.runs);
        self.in_memory = 0;
        let sources = runs
            .into_iter()
            .map(|run| Source::Owned(run.into_iter()))
            .collect();
        let mut writer = SpillWriter::new()?;
        for finding in SortedFindings::new(sources)? {
            writer.write(&*finding?)?;
        }
        self.spills.push(writer.finish()?);
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
        self.spills.len()
    }

    /// All findings in report order, without consuming the store: call it once
    /// per output. Findings in memory are lent, spilled ones read back.
    pub fn sorted(&self) -> std::io::Result<SortedFindings<'_>> {
        let mut sources: Vec<Source<'_>> = Vec::new();
        let batch = decode_batch(self.limit, self.spills.len());
        for spill in &self.spills {
            sources.push(Source::Spilled(spill.stream(batch)));
        }
        for run in &self.runs {
            sources.push(Source::Borrowed(run.iter()));
        }
        SortedFindings::new(sources)
    }

    /// A second store with the same findings, for rendering several formats
    /// from one scan (renderers consume what they render). The findings held
    /// in memory are spilled first, so the copy shares the spill files
    /// (positional reads: each store reads them on its own) instead of
    /// holding the findings twice: memory stays at the spill bound whatever
    /// the number of outputs.
    pub fn try_clone(&mut self) -> std::io::Result<FindingStore> {
        if !self.runs.is_empty() {
            self.spill()?;
        }
        Ok(FindingStore {
            runs: Vec::new(),
            in_memory: 0,
            spills: self.spills.iter().map(Spill::share).collect(),
            limit: self.limit,
            total: self.total,
            by_severity: self.by_severity.clone(),
            by_rule: self.by_rule.clone(),
        })
    }

    /// All findings in report order. Consumes the store.
    pub fn into_sorted(self) -> std::io::Result<SortedFindings<'static>> {
        let mut sources: Vec<Source<'static>> = Vec::new();
        let batch = decode_batch(self.limit, self.spills.len());
        for spill in &self.spills {
            sources.push(Source::Spilled(spill.stream(batch)));
        }
        for run in self.runs {
            sources.push(Source::Owned(run.into_iter()));
        }
        SortedFindings::new(sources)
    }
}

/// Sorts one chunk's findings into report order (done by the worker that made them).
///
/// A chunk's findings arrive row by row with the rules interleaved, while
/// each rule's own findings mostly follow the records already. So they are
/// first grouped by register, file and rule (one stable pass, a handful of
/// groups), and each group is then sorted by a stable merge sort, which
/// takes such runs in near-linear time instead of a full sort's n log n
/// comparisons and moves. Ties keep their arrival order either way.
pub fn sort_run(findings: &mut Vec<Finding>) {
    let mut groups: Vec<Vec<Finding>> = Vec::new();
    let mut last = 0;
    for finding in findings.drain(..) {
        let same = |group: &Vec<Finding>| report_group(&group[0], &finding).is_eq();
        if !groups.get(last).is_some_and(same) {
            last = match groups.iter().position(same) {
                Some(i) => i,
                None => {
                    groups.push(Vec::new());
                    groups.len() - 1
                }
            };
        }
        groups[last].push(finding);
    }
    groups.sort_by(|a, b| report_group(&a[0], &b[0]));
    for mut group in groups {
        group.sort_by(report_order);
        findings.append(&mut group);
    }
}

enum Source<'a> {
    Borrowed(std::slice::Iter<'a, Finding>),
    Owned(std::vec::IntoIter<Finding>),
    Spilled(SpillStream),
}

impl<'a> Source<'a> {
    fn next(&mut self) -> Option<std::io::Result<Cow<'a, Finding>>> {
        match self {
            Source::Borrowed(iter) => iter.next().map(|f| Ok(Cow::Borrowed(f))),
            Source::Owned(iter) => iter.next().map(|f| Ok(Cow::Owned(f))),
            Source::Spilled(stream) => stream.next().map(|r| r.map(Cow::Owned)),
        }
    }
}

struct HeapItem<'a>(Cow<'a, Finding>, usize);

impl PartialEq for HeapItem<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for HeapItem<'_> {}
impl PartialOrd for HeapItem<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapItem<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Equal findings keep the order of their sources (arrival order).
        report_order(&self.0, &other.0).then(self.1.cmp(&other.1))
    }
}

/// The k-way merge of sorted runs, yielding findings in report order.
pub struct SortedFindings<'a> {
    sources: Vec<Source<'a>>,
    heap: BinaryHeap<Reverse<HeapItem<'a>>>,
}

impl<'a> SortedFindings<'a> {
    fn new(mut sources: Vec<Source<'a>>) -> std::io::Result<Self> {
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (i, source) in sources.iter_mut().enumerate() {
            if let Some(next) = source.next() {
                heap.push(Reverse(HeapItem(next?, i)));
            }
        }
        Ok(SortedFindings { sources, heap })
    }
}

impl<'a> Iterator for SortedFindings<'a> {
    type Item = std::io::Result<Cow<'a, Finding>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut top = self.heap.peek_mut()?;
        let source = top.0 .1;
        // Replace the top in place with its source's next finding (one sift
        // instead of a pop and a push), or pop it when the source is done.
        let finding = match self.sources[source].next() {
            Some(Ok(next)) => std::mem::replace(&mut top.0 .0, next),
            Some(Err(e)) => return Some(Err(e)),
            None => std::collections::binary_heap::PeekMut::pop(top).0 .0,
        };
        Some(Ok(finding))
    }
}

impl SortedFindings<'static> {
    /// The findings in batches of `size`, merged ahead on a thread of their
    /// own while the caller formats the previous batch (two batches at most
    /// wait, so memory stays bounded).
    pub fn prefetched(self, size: usize) -> Prefetched {
        let (sender, receiver) = std::sync::mpsc::sync_channel(2);
        let merge = std::thread::spawn(move || {
            let mut findings = self;
            loop {
                let batch: std::io::Result<Vec<_>> = findings.by_ref().take(size).collect();
                let done = matches!(&batch, Ok(b) if b.is_empty()) || batch.is_err();
                // The receiver is gone when the caller stopped early (an error).
                if sender.send(batch).is_err() || done {
                    return;
                }
            }
        });
        Prefetched {
            receiver,
            merge: Some(merge),
        }
    }
}

/// Batches of findings in report order; an empty batch ends them.
pub struct Prefetched {
    receiver: std::sync::mpsc::Receiver<std::io::Result<Vec<Cow<'static, Finding>>>>,
    merge: Option<std::thread::JoinHandle<()>>,
}

impl Iterator for Prefetched {
    type Item = std::io::Result<Vec<Cow<'static, Finding>>>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.receiver.recv() {
            Ok(Ok(batch)) if batch.is_empty() => None,
            Ok(result) => Some(result),
            // The merge thread ended without a last batch: it panicked.
            Err(_) => {
                let merge = self.merge.take()?;
                Some(Err(std::io::Error::other(match merge.join() {
                    Ok(()) => "the findings merge stopped early".to_string(),
                    Err(_) => "the findings merge panicked".to_string(),
                })))
            }
        }
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
            line: Some(2),
            record: Some(record.into()),
            column: Some("c".into()),
            message: "m".into(),
            evidence: Some("e".into()),
            fingerprint: crate::finding::FingerprintKey::from_secret(b"t")
                .fingerprint(&[rule, record]),
            baseline_state: None,
            suppressed: None,
        }
    }

    /// Findings of two rules in no order, some with every optional field
    /// empty (a spill must give those back as they were).
    fn all() -> Vec<Finding> {
        (0..50)
            .map(|i| {
                let mut f = finding(
                    if i % 3 == 0 { "ID001" } else { "RET001" },
                    &format!("k{}", (i * 7) % 50),
                );
                if i % 5 == 0 {
                    f.line = None;
                    f.column = None;
                    f.evidence = None;
                    f.message = format!("message {i}").into();
                }
                f
            })
            .collect()
    }

    #[test]
    fn spilled_and_in_memory_orders_agree() {
        let mut small = FindingStore::new(4);
        for chunk in all().chunks(3) {
            small.extend(chunk.to_vec()).unwrap();
        }
        assert!(small.spilled_runs() > 5);
        let mut big = FindingStore::new(1000);
        big.extend(all()).unwrap();
        assert_eq!(big.spilled_runs(), 0);
        let a: Vec<Finding> = small
            .into_sorted()
            .unwrap()
            .map(|f| f.unwrap().into_owned())
            .collect();
        let b: Vec<Finding> = big
            .into_sorted()
            .unwrap()
            .map(|f| f.unwrap().into_owned())
            .collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 50);
        assert!(a.windows(2).all(|w| report_order(&w[0], &w[1]).is_le()));
    }

    #[test]
    fn a_store_reads_back_the_same_findings_as_often_as_asked() {
        let mut store = FindingStore::new(7);
        for chunk in all().chunks(5) {
            store.extend(chunk.to_vec()).unwrap();
        }
        assert!(store.spilled_runs() > 0);
        let first: Vec<Finding> = store
            .sorted()
            .unwrap()
            .map(|f| f.unwrap().into_owned())
            .collect();
        let second: Vec<Finding> = store
            .sorted()
            .unwrap()
            .map(|f| f.unwrap().into_owned())
            .collect();
        assert_eq!(first, second);
        assert_eq!(first.len(), 50);
        assert_eq!(store.by_rule()["ID001"], 17);
    }

    #[test]
    fn a_cloned_store_reads_the_same_findings_again() {
        for limit in [4, 1000] {
            let mut store = FindingStore::new(limit);
            for chunk in all().chunks(3) {
                store.extend(chunk.to_vec()).unwrap();
            }
            let copy = store.try_clone().unwrap();
            let second = store.try_clone().unwrap();
            let read = |s: FindingStore| -> Vec<Finding> {
                s.into_sorted()
                    .unwrap()
                    .map(|f| f.unwrap().into_owned())
                    .collect()
            };
            let a = read(copy);
            assert_eq!(a.len(), 50);
            assert_eq!(a, read(store));
            assert_eq!(a, read(second));
        }
    }
}
