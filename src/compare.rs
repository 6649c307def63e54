//! Trends between two JSON reports (`regaudit compare OLD.json NEW.json`):
//! findings matched by fingerprint (as many times as each occurs), counted as
//! new, fixed and unchanged by rule and register. Only the fields needed are
//! read, so reports of any size and of older or newer versions compare.

use crate::error::{Error, InputError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

#[derive(Deserialize)]
struct ReportFindings {
    #[serde(default)]
    fingerprint_key: Option<String>,
    #[serde(default)]
    as_of: Option<String>,
    findings: Vec<FindingIdentity>,
}

#[derive(Deserialize)]
struct FindingIdentity {
    rule: String,
    register: String,
    fingerprint: String,
}

/// New, fixed and unchanged findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub new: u64,
    pub fixed: u64,
    pub unchanged: u64,
}

/// One rule in one register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompareRow {
    pub rule: String,
    pub register: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The comparison of two reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub old: String,
    pub new: String,
    pub old_as_of: Option<String>,
    pub new_as_of: Option<String>,
    pub fingerprint_key: Option<String>,
    pub total: Counts,
    /// Sorted by register, then rule.
    pub by_rule: Vec<CompareRow>,
}

fn read(path: &Path) -> Result<ReportFindings, Error> {
    let file = std::fs::File::open(path).map_err(|e| InputError::io(path, &e))?;
    serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| {
        InputError::at(
            path,
            e.line() as u64,
            e.column() as u64,
            format!("not a regaudit JSON report (scan --format json): {e}"),
        )
        .into()
    })
}

pub fn compare(old_path: &Path, new_path: &Path) -> Result<Comparison, Error> {
    let old = read(old_path)?;
    let new = read(new_path)?;
    if let (Some(a), Some(b)) = (&old.fingerprint_key, &new.fingerprint_key) {
        if a != b {
            return Err(Error::Usage(format!(
                "{} was made with fingerprint key {a} and {} with key {b}: their fingerprints cannot match; scan both with the same key",
                old_path.display(),
                new_path.display()
            )));
        }
    }
    // Per fingerprint: (rule, register, count in old, count in new).
    let mut seen: HashMap<String, (String, String, u64, u64)> = HashMap::new();
    for f in old.findings {
        seen.entry(f.fingerprint)
            .or_insert((f.rule, f.register, 0, 0))
            .2 += 1;
    }
    for f in new.findings {
        seen.entry(f.fingerprint)
            .or_insert((f.rule, f.register, 0, 0))
            .3 += 1;
    }
    let mut rows: BTreeMap<(String, String), Counts> = BTreeMap::new();
    for (rule, register, before, after) in seen.into_values() {
        let counts = rows.entry((register, rule)).or_default();
        let kept = before.min(after);
        counts.unchanged += kept;
        counts.fixed += before - kept;
        counts.new += after - kept;
    }
    let mut total = Counts::default();
    for c in rows.values() {
        total.new += c.new;
        total.fixed += c.fixed;
        total.unchanged += c.unchanged;
    }
    Ok(Comparison {
        old: old_path.display().to_string(),
        new: new_path.display().to_string(),
        old_as_of: old.as_of,
        new_as_of: new.as_of,
        fingerprint_key: new.fingerprint_key,
        total,
        by_rule: rows
            .into_iter()
            .map(|((register, rule), counts)| CompareRow {
                rule,
                register,
                counts,
            })
            .collect(),
    })
}
