//! A bug in regaudit must not look like a finding or a crash with Rust's
//! status 101: the panic hook prints a short request for a bug report, and
//! `main` exits with status 2. The panic's own message is not printed: it
//! could quote a cell of the data being audited.

use std::sync::atomic::{AtomicBool, Ordering};

/// Test-only (documented in the README): in debug builds, `scan` panics on
/// purpose when this variable is set, so the tests can see the hook work.
pub const TEST_PANIC_ENV: &str = "REGAUDIT_TEST_PANIC";

static TOLD: AtomicBool = AtomicBool::new(false);

pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        // Worker threads may panic one after another; say it once.
        if TOLD.swap(true, Ordering::SeqCst) {
            return;
        }
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: regaudit failed with an internal error{place} (a bug, not a problem with your data).\n\
             Please file a bug report with the regaudit version ({}) and the command line, \
             but not the data. Exit status 2.",
            env!("CARGO_PKG_VERSION")
        );
    }));
}

/// Panics when the test-only variable is set, in debug builds only.
pub fn test_trigger() {
    if cfg!(debug_assertions) && std::env::var_os(TEST_PANIC_ENV).is_some() {
        panic!("{TEST_PANIC_ENV} is set: a deliberate panic for the tests");
    }
}
