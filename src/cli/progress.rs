//! The progress display on stderr: one line per file at work, with its
//! phase, rows per second and bytes read of its size. Drawn only when stderr
//! is a terminal and `--quiet` is not given, and only once the scan has run
//! for a second, so quick scans print nothing; it never touches a report.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use regaudit::progress::{Phase, Progress};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Scans shorter than this show no progress at all.
const DELAY: Duration = Duration::from_secs(1);

pub struct TerminalProgress {
    bars: MultiProgress,
    files: Mutex<HashMap<String, FileState>>,
    started: Instant,
}

/// A file at work; its bar is made only once the scan has run for `DELAY`.
struct FileState {
    total: Option<u64>,
    phase: Phase,
    rows: u64,
    bytes: u64,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl TerminalProgress {
    /// A display for stderr, or `None` when it is not a terminal or `quiet`.
    pub fn for_stderr(quiet: bool) -> Option<Arc<TerminalProgress>> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        Some(Arc::new(TerminalProgress {
            bars: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            files: Mutex::new(HashMap::new()),
            started: Instant::now(),
        }))
    }

    fn slow(&self) -> bool {
        self.started.elapsed() >= DELAY
    }

    /// Applies `change` to a file's state and redraws its bar.
    fn update(&self, file: &str, change: impl FnOnce(&mut FileState)) {
        let Ok(mut files) = self.files.lock() else {
            return;
        };
        let Some(state) = files.get_mut(file) else {
            return;
        };
        change(state);
        if state.bar.is_none() && self.slow() {
            let bar = match state.total {
                Some(total) => ProgressBar::new(total).with_style(bytes_style()),
                None => ProgressBar::new_spinner().with_style(spinner_style()),
            };
            // Added before anything is set: a bar not yet in the group draws on its own.
            let bar = self.bars.add(bar);
            bar.set_prefix(file.to_string());
            state.bar = Some(bar);
        }
        if let Some(bar) = &state.bar {
            let seconds = state.started.elapsed().as_secs_f64().max(0.001);
            bar.set_message(if state.rows > 0 {
                format!(
                    "{} {} rows, {:.0} rows/s",
                    state.phase.name(),
                    state.rows,
                    state.rows as f64 / seconds
                )
            } else {
                state.phase.name().to_string()
            });
            bar.set_position(state.bytes);
        }
    }

    /// A spinner for writing the report, when the scan was slow enough to
    /// show progress at all; finish it when written.
    pub fn writing(&self) -> Option<ProgressBar> {
        if !self.slow() {
            return None;
        }
        let bar = self
            .bars
            .add(ProgressBar::new_spinner().with_style(spinner_style()));
        bar.set_prefix("report");
        bar.set_message(Phase::Writing.name());
        bar.enable_steady_tick(Duration::from_millis(120));
        Some(bar)
    }
}

fn bytes_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{prefix:.bold} {msg} [{bar:28}] {binary_bytes}/{binary_total_bytes}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ")
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix:.bold} {spinner} {msg} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Progress for TerminalProgress {
    fn start(&self, file: &str, bytes_total: Option<u64>) {
        if let Ok(mut files) = self.files.lock() {
            files.insert(
                file.to_string(),
                FileState {
                    total: bytes_total,
                    phase: Phase::Reading,
                    rows: 0,
                    bytes: 0,
                    started: Instant::now(),
                    bar: None,
                },
            );
        }
    }

    fn phase(&self, file: &str, phase: Phase) {
        self.update(file, |s| s.phase = phase);
    }

    fn advance(&self, file: &str, rows: u64, bytes_read: u64) {
        self.update(file, |s| {
            s.rows = rows;
            s.bytes = bytes_read;
        });
    }

    fn finish(&self, file: &str) {
        let state = self.files.lock().ok().and_then(|mut f| f.remove(file));
        if let Some(bar) = state.and_then(|s| s.bar) {
            bar.finish_and_clear();
        }
    }
}
