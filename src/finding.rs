//! The vocabulary every layer shares: severities, findings, fingerprints.

use serde::{Deserialize, Serialize};
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

/// The secret that keys fingerprints. A fingerprint hashes what a finding is
/// about, the violating value included; unkeyed, anyone holding a report
/// could test the 1,000 identity codes a masked `131052-***T` leaves open
/// against it. Keyed, a fingerprint reveals nothing without the key, which
/// never appears in a report (only its id does, so reports can be compared).
#[derive(Clone, PartialEq, Eq)]
pub struct FingerprintKey([u8; 32]);

impl fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FingerprintKey({})", self.id())
    }
}

impl FingerprintKey {
    /// A key from any secret material (a shared passphrase, random bytes).
    pub fn from_secret(material: &[u8]) -> Self {
        FingerprintKey(blake3::derive_key(
            "regaudit 2026-11 finding fingerprint key",
            material,
        ))
    }

    /// A short public id of the key: equal ids, comparable fingerprints.
    pub fn id(&self) -> String {
        let hash = blake3::keyed_hash(&self.0, b"regaudit key id");
        hex16(&hash.as_bytes()[..8])[..12].to_string()
    }

    /// A stable identity for a finding, independent of row order, of other
    /// rows and of the file's name: it hashes what the finding is about
    /// (rule, register, record, column, a rule-specific detail and the
    /// violating value), never its position. 16 hex digits.
    pub fn fingerprint(&self, parts: &[&str]) -> String {
        let mut hasher = blake3::Hasher::new_keyed(&self.0);
        for part in parts {
            hasher.update(part.as_bytes());
            // A separator that cannot occur in text keeps ("ab","c") apart from ("a","bc").
            hasher.update(&[0x1f]);
        }
        hex16(&hasher.finalize().as_bytes()[..8])
    }
}

fn hex16(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
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
    fn fingerprint_separates_parts_and_depends_on_the_key() {
        let key = FingerprintKey::from_secret(b"test");
        assert_ne!(key.fingerprint(&["ab", "c"]), key.fingerprint(&["a", "bc"]));
        assert_eq!(key.fingerprint(&["a", "b"]), key.fingerprint(&["a", "b"]));
        assert_eq!(key.fingerprint(&["a"]).len(), 16);
        let other = FingerprintKey::from_secret(b"other");
        assert_ne!(key.fingerprint(&["a"]), other.fingerprint(&["a"]));
        assert_ne!(key.id(), other.id());
        assert!(!format!("{key:?}").contains("test"));
    }
}
