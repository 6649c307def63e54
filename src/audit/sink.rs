//! Where every task puts its findings: one bounded store behind a lock, taken
//! once per chunk. An I/O error while spilling is kept and reported at the end.

use crate::error::Error;
use crate::finding::Finding;
use crate::result::store::{sort_run, FindingStore};
use std::sync::Mutex;

pub(super) struct Sink {
    store: Mutex<(FindingStore, Option<std::io::Error>)>,
}

impl Sink {
    pub(super) fn new(limit: usize) -> Self {
        Sink {
            store: Mutex::new((FindingStore::new(limit), None)),
        }
    }

    /// Adds findings in any order.
    pub(super) fn put(&self, mut findings: Vec<Finding>) {
        sort_run(&mut findings);
        self.put_sorted(findings);
    }

    /// Adds findings already in report order (a chunk's, sorted by its worker).
    pub(super) fn put_sorted(&self, findings: Vec<Finding>) {
        let mut guard = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if guard.1.is_none() {
            if let Err(e) = guard.0.add_sorted_run(findings) {
                guard.1 = Some(e);
            }
        }
    }

    pub(super) fn into_inner(self) -> Result<FindingStore, Error> {
        let (store, error) = self.store.into_inner().unwrap_or_else(|e| e.into_inner());
        match error {
            Some(e) => Err(Error::Output {
                path: std::env::temp_dir(),
                message: format!("cannot spill findings to a temporary file: {e}"),
            }),
            None => Ok(store),
        }
    }
}
