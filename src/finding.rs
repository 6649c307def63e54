//! The vocabulary every layer shares: severities, findings, fingerprints.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// How serious a finding is. Ordered from least to most severe so that
/// `severity >= threshold` reads naturally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" => Ok(Severity::Info),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}` (expected critical, high, medium, low or info)"
            )),
        }
    }
}

/// One violation, ready for any report. Evidence is already masked unless the
/// user asked for raw values, so a `Finding` is safe to print anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's id, shared by all its findings.
    pub rule: Arc<str>,
    pub severity: Severity,
    /// Shared by every finding of a register and file: one allocation each.
    pub register: Arc<str>,
    pub file: Arc<str>,
    /// 1-based data row (the header is not counted); 0 for file-level findings.
    pub row: u64,
    pub record: Option<String>,
    pub column: Option<String>,
    pub message: String,
    pub evidence: Option<String>,
    pub fingerprint: String,
}

impl Finding {
    /// The order every report uses: register, file, rule, record, column and
    /// fingerprint. Nothing in it depends on where a row stands in the file, so
    /// a shuffled export gives the same order; the row breaks remaining ties.
    pub fn sort_key(&self) -> (&str, &str, &str, Option<&str>, Option<&str>, &str, u64) {
        (
            &self.register,
            &self.file,
            &self.rule,
            self.record.as_deref(),
            self.column.as_deref(),
            &self.fingerprint,
            self.row,
        )
    }
}

/// Compares findings in the report order of [`Finding::sort_key`]. Findings
/// of one file share their register and file names, so those compare by
/// pointer first.
pub fn report_order(a: &Finding, b: &Finding) -> Ordering {
    let shared = |x: &Arc<str>, y: &Arc<str>| {
        if Arc::ptr_eq(x, y) {
            Ordering::Equal
        } else {
            x.cmp(y)
        }
    };
    fn rest(f: &Finding) -> (&str, Option<&str>, Option<&str>, &str, u64) {
        (
            &f.rule,
            f.record.as_deref(),
            f.column.as_deref(),
            f.fingerprint.as_str(),
            f.row,
        )
    }
    shared(&a.register, &b.register)
        .then_with(|| shared(&a.file, &b.file))
        .then_with(|| rest(a).cmp(&rest(b)))
}

/// Sorts findings into the deterministic report order, on every core.
pub fn sort_findings(findings: &mut [Finding]) {
    use rayon::slice::ParallelSliceMut;
    findings.par_sort_unstable_by(report_order);
}

/// A stable identity for a finding, independent of row order and of other rows:
/// it hashes what the finding is about (rule, register, record, column and a
/// rule-specific detail), never its position in the file.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        // A separator that cannot occur in text keeps ("ab","c") apart from ("a","bc").
        hasher.update([0x1f]);
    }
    let digest = hasher.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(16);
    for b in &digest[..8] {
        hex.push(HEX[usize::from(b >> 4)] as char);
        hex.push(HEX[usize::from(b & 15)] as char);
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_from_info_to_critical() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Low > Severity::Info);
        assert_eq!("HIGH".parse::<Severity>().unwrap(), Severity::High);
        assert!("severe".parse::<Severity>().is_err());
    }

    #[test]
    fn fingerprint_separates_parts() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_eq!(fingerprint(&["a"]).len(), 16);
    }
}
