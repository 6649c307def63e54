//! The baseline file (`scan --write-baseline FILE`, read by `scan --baseline
//! FILE`): today's findings as fingerprints with their rule, register, column
//! and count, so a later scan can tell new findings from existing ones. It
//! holds no personal value — no record key, evidence or message — and names
//! the fingerprint key (by its public id) that made it, since fingerprints
//! made with another key never match. The format is versioned
//! (`schema/baseline.schema.json`).

use crate::error::{Error, InputError};
use crate::finding::Finding;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// What the `format` field of every baseline file says.
pub const BASELINE_FORMAT: &str = "regaudit-baseline";
/// The format version this regaudit writes and the newest it reads.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Baseline {
    /// Always `regaudit-baseline`.
    pub format: String,
    /// The format's version (1).
    pub version: u32,
    /// The regaudit version that wrote it.
    pub tool_version: String,
    /// The audit date of the scan that wrote it.
    pub as_of: String,
    /// The id of the fingerprint key (never the key).
    pub fingerprint_key: String,
    /// Findings recorded, the sum of the counts.
    pub total: u64,
    /// One entry per fingerprint, sorted by register, rule, column and fingerprint.
    pub findings: Vec<BaselineEntry>,
}

/// One recorded finding identity and how many findings had it.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct BaselineEntry {
    pub register: String,
    pub rule: String,
    /// The column's header, or null for findings about a whole record or file.
    pub column: Option<String>,
    pub fingerprint: String,
    pub count: u64,
}

/// Builds a baseline from findings as they stream past.
#[derive(Debug, Default)]
pub struct BaselineBuilder {
    counts: BTreeMap<(String, String, Option<String>, String), u64>,
}

impl BaselineBuilder {
    pub fn add(&mut self, finding: &Finding) {
        let key = (
            finding.register.to_string(),
            finding.rule.to_string(),
            finding.column.as_deref().map(str::to_string),
            finding.fingerprint.to_string(),
        );
        *self.counts.entry(key).or_default() += 1;
    }

    pub fn finish(self, as_of: &str, fingerprint_key: &str) -> Baseline {
        let findings: Vec<BaselineEntry> = self
            .counts
            .into_iter()
            .map(
                |((register, rule, column, fingerprint), count)| BaselineEntry {
                    register,
                    rule,
                    column,
                    fingerprint,
                    count,
                },
            )
            .collect();
        Baseline {
            format: BASELINE_FORMAT.into(),
            version: BASELINE_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").into(),
            as_of: as_of.into(),
            fingerprint_key: fingerprint_key.into(),
            total: findings.iter().map(|e| e.count).sum(),
            findings,
        }
    }
}

impl Baseline {
    /// Reads and checks a baseline file; errors name the file (and the line
    /// and column of a syntax error).
    pub fn load(path: &Path) -> Result<Baseline, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| InputError::io(path, &e))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            InputError::at(
                path,
                e.line() as u64,
                e.column() as u64,
                format!("not a regaudit baseline: {e}"),
            )
        })?;
        if baseline.format != BASELINE_FORMAT {
            return Err(InputError::new(
                path,
                format!(
                    "`format` is `{}`, expected `{BASELINE_FORMAT}`",
                    baseline.format
                ),
            )
            .into());
        }
        if let Some(bad) = baseline.findings.iter().find(|e| {
            e.fingerprint
                .parse::<crate::finding::Fingerprint>()
                .is_err()
        }) {
            return Err(InputError::new(
                path,
                format!("`{}` is not a fingerprint (16 hex digits)", bad.fingerprint),
            )
            .into());
        }
        if baseline.version > BASELINE_VERSION {
            return Err(InputError::new(
                path,
                format!(
                    "baseline format version {} is newer than this regaudit reads ({BASELINE_VERSION}); upgrade regaudit",
                    baseline.version
                ),
            )
            .into());
        }
        Ok(baseline)
    }

    /// Refuses a baseline made with another fingerprint key: none of its
    /// fingerprints could match, and every finding would look new.
    pub fn check_key(&self, path: &Path, key_id: &str) -> Result<(), Error> {
        if self.fingerprint_key == key_id {
            return Ok(());
        }
        Err(InputError::new(
            path,
            format!(
                "the baseline was made with fingerprint key {} but this scan uses key {key_id}, so no finding could match it; \
                 scan with the baseline's key (--fingerprint-key-file, REGAUDIT_FINGERPRINT_KEY) or re-create the baseline with --write-baseline",
                self.fingerprint_key
            ),
        )
        .into())
    }

    pub fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        writeln!(out)
    }
}
