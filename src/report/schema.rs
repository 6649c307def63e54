//! The published JSON schemas (`schema/report.schema.json`,
//! `schema/baseline.schema.json`), generated from the types the report is
//! written from; `tests/schema.rs` checks the committed files equal these and
//! that real reports validate against them.

use crate::baseline::Baseline;
use crate::finding::{BaselineState, Finding, Fingerprint, Suppression};
use crate::result::{
    AllowlistSummary, BaselineSummary, CoverageEntry, InputReport, NoticeSummary, Summary,
};
use schemars::JsonSchema;

/// The JSON report's `schema_version`: the major part changes only if a field
/// is renamed or removed (never planned), the minor part when fields are added.
pub const SCHEMA_VERSION: &str = "1.2";

/// The JSON report (`scan --format json`) as one object. It is written by
/// streaming (`json.rs`), field by field in this order; this type exists to
/// describe it.
#[derive(JsonSchema)]
#[schemars(title = "regaudit JSON report")]
#[allow(dead_code)]
struct ReportDocument {
    /// Always `regaudit`.
    tool: String,
    /// This schema's version (`1.2`).
    schema_version: String,
    /// The regaudit version that wrote the report.
    version: String,
    /// The audit date, YYYY-MM-DD.
    as_of: String,
    /// The id of the fingerprint key (never the key).
    fingerprint_key: String,
    /// Every finding, in report order (register, file, rule, record, column, fingerprint).
    findings: Vec<ReportedFinding>,
    summary: Summary,
    inputs: Vec<InputReport>,
    coverage: Vec<CoverageEntry>,
    /// The notice of each register, or that none was given and which rules it skipped (1.2).
    notices: Vec<NoticeSummary>,
    /// With `scan --baseline`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineSummary>,
    /// With `[[allow]]` entries in the config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    allowlist: Option<AllowlistSummary>,
}

/// A finding as the JSON report writes it: its fields and, with a baseline
/// or an allowlist, its marks.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct ReportedFinding {
    #[serde(flatten)]
    finding: Finding,
    /// With `scan --baseline`: `new` (counts for the exit status) or `existing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    baseline_state: Option<BaselineState>,
    /// The `[[allow]]` entry that suppresses the finding (not counted for the exit status).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    suppressed: Option<Suppression>,
}

impl JsonSchema for Fingerprint {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Fingerprint".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A finding's keyed identity: 16 hex digits.",
            "type": "string",
            "pattern": "^[0-9a-f]{16}$"
        })
    }
}

fn pretty(schema: schemars::Schema) -> String {
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of what regaudit writes: a field it skips when empty
/// (`skip_serializing_if`) is optional.
fn schema_of<T: JsonSchema>() -> String {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    pretty(generator.into_root_schema_for::<T>())
}

/// The JSON report's schema, as committed in `schema/report.schema.json`.
pub fn report_schema() -> String {
    schema_of::<ReportDocument>()
}

/// The baseline file's schema, as committed in `schema/baseline.schema.json`.
pub fn baseline_schema() -> String {
    schema_of::<Baseline>()
}
