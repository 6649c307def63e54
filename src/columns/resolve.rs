//! Column roles: decides what each column of a file means, from the config's
//! mapping, else the header's synonyms, else the content of a sample.

use super::{normalize_header, vocabulary, ColumnInfo, ColumnSpec, MappingSource, Role};
use crate::detect::{business_id, email, hetu, iban, ip, phone};
use crate::ingest::{RejectedRow, RowVisitor};

/// Share of sampled non-empty values that must pass a detector for a column to
/// be recognised by content.
const CONTENT_SHARE: f64 = 0.8;
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

/// A role and the test its values must pass.
type ContentDetector = (Role, fn(&str) -> bool);

/// Resolves every header to a role and category. `mapping` comes from the
/// config and matches headers exactly or after normalisation.
pub fn resolve_columns(
    headers: &[String],
    mapping: &[(String, ColumnSpec)],
    sample: &ColumnSample,
) -> Vec<ColumnInfo> {
    let vocab = vocabulary();
    headers
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let normalized = normalize_header(name);
            if let Some((_, spec)) = mapping
                .iter()
                .find(|(h, _)| h == name || normalize_header(h) == normalized)
            {
                return ColumnInfo {
                    name: name.clone(),
                    role: spec.role,
                    category: Some(spec.category.clone()),
                    source: MappingSource::Config,
                };
            }
            if let Some(role) = vocab.role_for_header(name) {
                return ColumnInfo {
                    name: name.clone(),
                    role,
                    category: Some(role.category().to_string()),
                    source: MappingSource::Header,
                };
            }
            let values = sample.values.get(i).map_or(&[][..], |v| &v[..]);
            match role_from_content(values) {
                Some(role) => ColumnInfo {
                    name: name.clone(),
                    role,
                    category: Some(role.category().to_string()),
                    source: MappingSource::Content,
                },
                None => ColumnInfo {
                    name: name.clone(),
                    role: Role::Other,
                    category: None,
                    source: MappingSource::None,
                },
            }
        })
        .collect()
}

/// The role whose detector most sampled values pass, if enough of them do.
fn role_from_content(values: &[String]) -> Option<Role> {
    if values.is_empty() {
        return None;
    }
    let detectors: [ContentDetector; 6] = [
        (Role::IdentityCode, |v| hetu::validate(v).is_valid()),
        (Role::Email, email::is_valid),
        (Role::BusinessId, |v| {
            business_id::looks_like_business_id(v)
                && business_id::validate(v) == business_id::BusinessIdStatus::Valid
        }),
        (Role::Iban, iban::is_valid),
        (Role::IpAddress, ip::is_ip),
        (Role::Phone, phone::is_phone),
    ];
    detectors.iter().find_map(|(role, detect)| {
        let hits = values.iter().filter(|v| detect(v)).count();
        (hits as f64 >= CONTENT_SHARE * values.len() as f64).then_some(*role)
    })
}
