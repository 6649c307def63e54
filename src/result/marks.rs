//! Marks on findings from the baseline and the allowlist: whether each is
//! `new` or `existing`, and which `[[allow]]` entry suppresses it. Marks are
//! put on as findings are read out in report order, never stored (the store
//! spills a compact encoding of the finding alone), so every read of the
//! findings — the triage's counting pass and each output format — marks them
//! the same way: which of two findings with one fingerprint counts as new
//! follows the report order, never threads or row order.

use crate::allowlist::AllowEntry;
use crate::finding::{BaselineState, Finding, Fingerprint, Suppression};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;

/// What findings are marked against.
#[derive(Debug, Clone, Default)]
pub struct Marker {
    /// With a baseline: how many findings each fingerprint may match.
    pub baseline: Option<HashMap<Fingerprint, u64>>,
    /// Allowlist entries, each with what its findings carry and whether it
    /// still suppresses (not expired).
    pub allow: Vec<(AllowEntry, Arc<Suppression>, bool)>,
}

impl Marker {
    pub fn new(
        baseline: Option<HashMap<Fingerprint, u64>>,
        allow: &[AllowEntry],
        as_of: NaiveDate,
    ) -> Marker {
        Marker {
            baseline,
            allow: allow
                .iter()
                .map(|e| (e.clone(), e.suppression(), !e.is_expired(as_of)))
                .collect(),
        }
    }

    /// A fresh pass over the findings in report order.
    pub fn pass(&self) -> MarkPass<'_> {
        MarkPass {
            marker: self,
            remaining: self.baseline.clone(),
            matched: vec![0; self.allow.len()],
        }
    }
}

/// One pass: the baseline counts still unmatched and each entry's matches.
pub struct MarkPass<'a> {
    marker: &'a Marker,
    pub remaining: Option<HashMap<Fingerprint, u64>>,
    pub matched: Vec<u64>,
}

impl MarkPass<'_> {
    /// Puts the marks on a finding.
    pub fn mark(&mut self, f: &mut Finding) {
        let (state, suppressed) = self.marks(f);
        f.baseline_state = state;
        f.suppressed = suppressed;
    }

    /// A finding's marks: its baseline state and what suppresses it.
    pub fn marks(&mut self, f: &Finding) -> (Option<BaselineState>, Option<Arc<Suppression>>) {
        let mut by = None;
        for (i, (entry, suppression, active)) in self.marker.allow.iter().enumerate() {
            if entry.matches(f) {
                self.matched[i] += 1;
                if by.is_none() && *active {
                    by = Some(Arc::clone(suppression));
                }
            }
        }
        let state =
            self.remaining
                .as_mut()
                .map(|remaining| match remaining.get_mut(&f.fingerprint) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        BaselineState::Existing
                    }
                    _ => BaselineState::New,
                });
        (state, by)
    }
}
