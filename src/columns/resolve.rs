//! Column roles: decides what each column of a file means, from the config's
//! mapping, else the header's synonyms, else the content of a sample.

use super::content::{
    ContentKind, ContentProfile, CONTRADICTING_SHARE, DECISIVE_SHARE, MIN_SAMPLE_TO_CONTRADICT,
};
use super::{
    normalize_header, vocabulary, ColumnInfo, ColumnSpec, HeaderEvidence, MappingSource, Role,
};
use crate::ingest::{RejectedRow, RowVisitor};

/// Values sampled per column, from at most `SAMPLE_SCAN_ROWS` first rows
/// (whatever the batch size, so roles never depend on it).
const SAMPLE_ROWS: usize = 1000;
const SAMPLE_SCAN_ROWS: u64 = 65_536;

/// The first non-empty values of each column, for recognising columns by content.
pub struct ColumnSample {
    values: Vec<Vec<String>>,
    rows: u64,
}

impl ColumnSample {
    pub fn new(width: usize) -> Self {
        ColumnSample {
            values: vec![Vec::new(); width],
            rows: 0,
        }
    }

    /// Whether more rows would change nothing.
    pub fn is_complete(&self) -> bool {
        self.rows >= SAMPLE_SCAN_ROWS || self.values.iter().all(|v| v.len() >= SAMPLE_ROWS)
    }
}

impl RowVisitor for ColumnSample {
    fn row(&mut self, _row: u64, cells: &[Option<&str>]) {
        if self.rows >= SAMPLE_SCAN_ROWS {
            return;
        }
        self.rows += 1;
        for (values, cell) in self.values.iter_mut().zip(cells) {
            if let Some(cell) = cell.filter(|_| values.len() < SAMPLE_ROWS) {
                values.push(cell.to_string());
            }
        }
    }

    fn reject(&mut self, _rejected: RejectedRow) {}
}

/// Resolves every header to a role and category. `mapping` comes from the
/// config and matches headers exactly or after normalisation; then the
/// header's words; then the content of the sample. Content evidence is
/// gathered for every column and said where it contradicts the header.
pub fn resolve_columns(
    headers: &[String],
    mapping: &[(String, ColumnSpec)],
    sample: &ColumnSample,
) -> Vec<ColumnInfo> {
    headers
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values = sample.values.get(i).map_or(&[][..], |v| &v[..]);
            resolve_column(name, mapping, &ContentProfile::of(values))
        })
        .collect()
}

fn resolve_column(
    name: &str,
    mapping: &[(String, ColumnSpec)],
    content: &ContentProfile,
) -> ColumnInfo {
    let normalized = normalize_header(name);
    if let Some((mapped, spec)) = mapping
        .iter()
        .find(|(h, _)| h == name || normalize_header(h) == normalized)
    {
        return ColumnInfo {
            name: name.to_string(),
            role: spec.role,
            category: Some(spec.category.clone()),
            source: MappingSource::Config,
            confidence: 1.0,
            evidence: format!(
                "mapped to `{}` in the config (`{mapped}`)",
                spec.role.name()
            ),
            note: contradiction(spec.role, content),
        };
    }
    if let Some(found) = vocabulary().match_header(name) {
        let note = contradiction(found.role, content);
        let backed = expected_kind(found.role)
            .is_some_and(|k| content.sampled > 0 && content.share(k) >= DECISIVE_SHARE);
        let confidence = match (&note, backed) {
            (Some(_), _) => found.evidence.confidence() / 2.0,
            (None, true) => 0.99,
            (None, false) => found.evidence.confidence(),
        };
        let how = match found.evidence {
            HeaderEvidence::Synonym => "header is the synonym",
            HeaderEvidence::Qualified => "header ends in the synonym",
            HeaderEvidence::Compound => "header word ends in",
        };
        let mut evidence = format!("{how} `{}`", found.matched);
        if backed {
            if let Some(kind) = expected_kind(found.role) {
                evidence.push_str(&format!("; {}", content.describe(kind)));
            }
        }
        return ColumnInfo {
            name: name.to_string(),
            role: found.role,
            category: Some(found.role.category().to_string()),
            source: MappingSource::Header,
            confidence: round(confidence),
            evidence,
            note,
        };
    }
    if let Some((kind, role)) = content
        .decisive()
        .and_then(|kind| kind.role().map(|role| (kind, role)))
    {
        return ColumnInfo {
            name: name.to_string(),
            role,
            category: Some(role.category().to_string()),
            source: MappingSource::Content,
            confidence: round(content.share(kind)),
            evidence: content.describe(kind),
            note: None,
        };
    }
    let evidence = match content.decisive() {
        Some(kind) => format!("header unknown; {}", content.describe(kind)),
        None if content.sampled == 0 => "header unknown; no values sampled".to_string(),
        None => "header unknown; content matches no detector".to_string(),
    };
    ColumnInfo {
        name: name.to_string(),
        role: Role::Other,
        category: None,
        source: MappingSource::None,
        confidence: 0.0,
        evidence,
        note: None,
    }
}

fn expected_kind(role: Role) -> Option<ContentKind> {
    ContentKind::expected_for(role, role.cell_kind())
}

/// What the content says where it contradicts `role`: too few values of the
/// kind the role holds, or most values of a kind that names another role.
fn contradiction(role: Role, content: &ContentProfile) -> Option<String> {
    if content.sampled < MIN_SAMPLE_TO_CONTRADICT {
        return None;
    }
    if let Some(kind) = expected_kind(role) {
        if content.share(kind) < CONTRADICTING_SHARE {
            return Some(format!(
                "the header says {}, but only {}",
                role.name(),
                content.describe(kind)
            ));
        }
    }
    let other = content.decisive()?;
    let other_role = other.role().filter(|r| *r != role)?;
    let compatible = expected_kind(role) == Some(other)
        || (role == Role::Key && other_role != Role::IdentityCode);
    (!compatible).then(|| {
        format!(
            "the header says {}, but {} (content of a {} column)",
            role.name(),
            content.describe(other),
            other_role.name()
        )
    })
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
