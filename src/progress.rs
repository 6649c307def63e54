//! How a long audit is going, for a front end to show. The library only
//! reports through this hook; whether and how it is drawn is the front end's
//! business (the CLI draws a bar on a terminal), and nothing of it reaches a
//! report.

use std::fmt;
use std::sync::Arc;

/// What is being done to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Reading,
    Auditing,
    JoiningLogs,
    Writing,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Reading => "reading",
            Phase::Auditing => "auditing",
            Phase::JoiningLogs => "joining logs",
            Phase::Writing => "writing",
        }
    }
}

/// Receives progress from any thread; files are named as reports name them.
pub trait Progress: Send + Sync {
    /// A file is opened; its size when known.
    fn start(&self, file: &str, bytes_total: Option<u64>);
    fn phase(&self, file: &str, phase: Phase);
    /// Rows done in the file so far, and bytes read from it so far.
    fn advance(&self, file: &str, rows: u64, bytes_read: u64);
    fn finish(&self, file: &str);
}

/// The progress hook audit options carry; the default reports to nobody.
#[derive(Clone, Default)]
pub struct ProgressHook(Option<Arc<dyn Progress>>);

impl fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProgressHook(on)"
        } else {
            "ProgressHook(off)"
        })
    }
}

impl ProgressHook {
    pub fn new(progress: Arc<dyn Progress>) -> Self {
        ProgressHook(Some(progress))
    }

    pub fn start(&self, file: &str, bytes_total: Option<u64>) {
        if let Some(p) = &self.0 {
            p.start(file, bytes_total);
        }
    }

    pub fn phase(&self, file: &str, phase: Phase) {
        if let Some(p) = &self.0 {
            p.phase(file, phase);
        }
    }

    pub fn advance(&self, file: &str, rows: u64, bytes_read: u64) {
        if let Some(p) = &self.0 {
            p.advance(file, rows, bytes_read);
        }
    }

    pub fn finish(&self, file: &str) {
        if let Some(p) = &self.0 {
            p.finish(file);
        }
    }
}
