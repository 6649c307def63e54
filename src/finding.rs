//! The vocabulary every layer shares: severities, findings, fingerprints.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// How serious a finding is. Ordered from least to most severe so that
/// `severity >= threshold` reads naturally.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// The rule's id, shared by all its findings.
    pub rule: Arc<str>,
    pub severity: Severity,
    /// Shared by every finding of a register and file: one allocation each.
    pub register: Arc<str>,
    pub file: Arc<str>,
    /// 1-based data row (the header is not counted); 0 for file-level findings.
    pub row: u64,
    /// 1-based line of the file where the record starts (a header, quoted
    /// line breaks and blank lines make it differ from `row`); `None` for
    /// file-level findings. Where SARIF and annotations point.
    #[serde(default)]
    pub line: Option<u64>,
    pub record: Option<String>,
    /// Shared by every finding of the column.
    pub column: Option<Arc<str>>,
    /// Mostly fixed text, shared rather than copied per finding.
    pub message: Cow<'static, str>,
    pub evidence: Option<String>,
    pub fingerprint: Fingerprint,
    /// With `scan --baseline`: whether the baseline already had this finding.
    /// Set as the report reads the findings out (`Report::sorted_findings`),
    /// never stored or spilled; the JSON report writes it when set.
    #[serde(skip)]
    pub baseline_state: Option<BaselineState>,
    /// The allowlist entry that suppresses this finding, if any (set like
    /// `baseline_state`).
    #[serde(skip)]
    pub suppressed: Option<Arc<Suppression>>,
}

/// Whether a finding was in the baseline a scan was compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Not in the baseline: counts for the exit status.
    New,
    /// In the baseline: reported, but does not fail the scan.
    Existing,
}

impl BaselineState {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Existing => "existing",
        }
    }
}

/// Why a finding is accepted: the `[[allow]]` entry of `regaudit.toml` that
/// matched it. Shared by every finding the entry suppresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Suppression {
    /// Where the entry stands: `regaudit.toml:14`.
    pub entry: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `YYYY-MM-DD`: from this day on the entry no longer suppresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// The order every report uses: register, file, rule, record, column and
/// fingerprint. Nothing in it depends on where a row stands in the file, so
/// a shuffled export gives the same order; the row breaks remaining ties.
/// Names that findings share (register, file, rule, column) compare by
/// pointer first.
pub fn report_order(a: &Finding, b: &Finding) -> Ordering {
    fn shared_opt(x: &Option<Arc<str>>, y: &Option<Arc<str>>) -> Ordering {
        match (x, y) {
            (Some(x), Some(y)) => shared(x, y),
            _ => x.cmp(y),
        }
    }
    report_group(a, b)
        .then_with(|| a.record.cmp(&b.record))
        .then_with(|| shared_opt(&a.column, &b.column))
        .then_with(|| a.fingerprint.cmp(&b.fingerprint))
        .then_with(|| a.row.cmp(&b.row))
}

/// The leading keys of [`report_order`]: register, file and rule.
pub fn report_group(a: &Finding, b: &Finding) -> Ordering {
    shared(&a.register, &b.register)
        .then_with(|| shared(&a.file, &b.file))
        .then_with(|| shared(&a.rule, &b.rule))
}

/// Shared names are mostly the same allocation: equal without reading them.
fn shared(x: &Arc<str>, y: &Arc<str>) -> Ordering {
    if Arc::ptr_eq(x, y) {
        Ordering::Equal
    } else {
        x.cmp(y)
    }
}

/// A finding's stable identity: 64 bits of a keyed hash, shown as 16 hex
/// digits. Kept as a number until output: comparing and storing it is cheap.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(pub u64);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Fingerprint {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 16 {
            return Err(format!("a fingerprint has 16 hex digits, not `{s}`"));
        }
        u64::from_str_radix(s, 16)
            .map(Fingerprint)
            .map_err(|_| format!("a fingerprint has 16 hex digits, not `{s}`"))
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            // Binary encodings (the findings store's spill files) keep the number.
            return serializer.serialize_u64(self.0);
        }
        let mut hex = [0u8; 16];
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for (i, digit) in hex.iter_mut().enumerate() {
            *digit = HEX[((self.0 >> (60 - 4 * i)) & 15) as usize];
        }
        // Only ASCII hex digits were written.
        serializer.serialize_str(std::str::from_utf8(&hex).unwrap_or_default())
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            return u64::deserialize(deserializer).map(Fingerprint);
        }
        let text = <Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
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
        Fingerprint(first_u64(hash.as_bytes())).to_string()[..12].to_string()
    }

    /// A stable identity for a finding, independent of row order, of other
    /// rows and of the file's name: it hashes what the finding is about
    /// (rule, register, record, column, a rule-specific detail and the
    /// violating value), never its position.
    pub fn fingerprint(&self, parts: &[&str]) -> Fingerprint {
        let mut hasher = self.hasher();
        for part in parts {
            hasher.part(&[part]);
        }
        hasher.finish()
    }

    /// A hasher for parts given in pieces (no string is built to hash).
    pub fn hasher(&self) -> FingerprintHasher<'_> {
        FingerprintHasher {
            key: &self.0,
            buffered: [0; FINGERPRINT_BUFFER],
            len: 0,
            overflow: None,
        }
    }
}

/// Bytes of parts gathered on the stack before hashing: a finding's parts
/// almost always fit, and one keyed hash of the whole costs a fraction of
/// a dozen small streaming updates (the same hash either way: BLAKE3 does
/// not depend on how its input is split).
const FINGERPRINT_BUFFER: usize = 256;

/// Hashes a fingerprint's parts, each given as the pieces it is made of.
pub struct FingerprintHasher<'k> {
    key: &'k [u8; 32],
    buffered: [u8; FINGERPRINT_BUFFER],
    len: usize,
    /// The streaming hasher, once the parts outgrow the buffer.
    overflow: Option<blake3::Hasher>,
}

impl FingerprintHasher<'_> {
    /// Adds one part, the concatenation of `pieces`.
    pub fn part(&mut self, pieces: &[&str]) -> &mut Self {
        for piece in pieces {
            self.update(piece.as_bytes());
        }
        // A separator that cannot occur in text keeps ("ab","c") apart from ("a","bc").
        self.update(&[0x1f]);
        self
    }

    fn update(&mut self, bytes: &[u8]) {
        if let Some(hasher) = &mut self.overflow {
            hasher.update(bytes);
        } else if let Some(room) = self.buffered.get_mut(self.len..self.len + bytes.len()) {
            room.copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            let mut hasher = blake3::Hasher::new_keyed(self.key);
            hasher.update(&self.buffered[..self.len]);
            hasher.update(bytes);
            self.overflow = Some(hasher);
        }
    }

    pub fn finish(&self) -> Fingerprint {
        let hash = match &self.overflow {
            Some(hasher) => hasher.finalize(),
            None => blake3::keyed_hash(self.key, &self.buffered[..self.len]),
        };
        Fingerprint(first_u64(hash.as_bytes()))
    }
}

/// The first 8 bytes, big-endian: the 16 hex digits fingerprints always had.
fn first_u64(bytes: &[u8; 32]) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes[..8]);
    u64::from_be_bytes(first)
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
        assert_eq!(key.fingerprint(&["a"]).to_string().len(), 16);
        let fp = key.fingerprint(&["a"]);
        assert_eq!(fp.to_string().parse::<Fingerprint>().unwrap(), fp);
        assert_eq!(serde_json::to_string(&fp).unwrap(), format!("\"{fp}\""));
        let other = FingerprintKey::from_secret(b"other");
        assert_ne!(key.fingerprint(&["a"]), other.fingerprint(&["a"]));
        assert_ne!(key.id(), other.id());
        assert!(!format!("{key:?}").contains("test"));
    }

    #[test]
    fn long_parts_hash_as_if_streamed() {
        let key = FingerprintKey::from_secret(b"test");
        let long = "x".repeat(FINGERPRINT_BUFFER * 3);
        for parts in [
            vec!["a", "b"],
            vec!["a", long.as_str(), "c"],
            vec![&long[..250], "0123456789"],
        ] {
            let mut streamed = blake3::Hasher::new_keyed(&key.0);
            for part in &parts {
                streamed.update(part.as_bytes()).update(&[0x1f]);
            }
            let expected = Fingerprint(first_u64(streamed.finalize().as_bytes()));
            assert_eq!(key.fingerprint(&parts), expected);
        }
    }
}
