//! Rule metadata: id, name, severity, legal reference and the three doc
//! sections that `regaudit explain ID` prints. Built-in rules keep it in
//! `rules/<ID>.toml`, custom rules beside their `[check]`; both are read here,
//! with positions, so every problem is reported as file:line:column.

use crate::diagnostic::Diagnostics;
use crate::finding::Severity;
use crate::toml_reader::{TableReader, TomlSource};
use std::path::Path;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct RuleDoc {
    /// What it does.
    pub what: String,
    /// Why it matters.
    pub why: String,
    /// An example of a violating and a clean record.
    pub example: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct RuleMeta {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    /// Legal references, e.g. `GDPR Art. 5(1)(e)`.
    pub legal: Vec<String>,
    /// One line for `regaudit rules`.
    pub summary: String,
    /// Whether the rule compares the data with what a notice declares
    /// (`needs_notice = true`); such rules are skipped, and the report says
    /// so, when a register is scanned with `--data` alone.
    pub needs_notice: bool,
    pub doc: RuleDoc,
}

/// The keys of a rule file that hold metadata.
pub const META_KEYS: [&str; 7] = [
    "id",
    "name",
    "severity",
    "legal",
    "summary",
    "needs_notice",
    "doc",
];

impl RuleMeta {
    /// Parses a file that holds only metadata (a built-in `rules/<ID>.toml`).
    pub fn parse(path: &Path, text: &str) -> Result<RuleMeta, Diagnostics> {
        let source = TomlSource::new(path, text);
        let doc = source.parse()?;
        let root = source.root(&doc);
        let meta = RuleMeta::read(&root, &[]);
        root.finish(&META_KEYS);
        let diagnostics = source.into_diagnostics();
        match meta {
            Some(meta) => diagnostics.into_result(meta),
            None => Err(incomplete(path, text, diagnostics)),
        }
    }

    /// Reads the metadata keys of a rule table; problems go to its source's
    /// diagnostics. `taken` are ids already in use.
    pub fn read(root: &TableReader, taken: &[String]) -> Option<RuleMeta> {
        let source = root.source();
        let id = root.required_string("id");
        if let Some(id) = &id {
            if !super::is_valid_id(&id.value) {
                source.error(
                    &id.span,
                    format!(
                        "rule id `{}` must be 2–4 capital letters and 3 digits",
                        id.value
                    ),
                );
            } else if taken.contains(&id.value) {
                source.error(&id.span, format!("rule id `{}` is already used", id.value));
            }
        }
        let name = root.required_string("name");
        let severity = root.required_string("severity").and_then(|s| {
            s.value
                .parse::<Severity>()
                .map_err(|e| source.error(&s.span, e))
                .ok()
        });
        let legal = root.string_list("legal").unwrap_or_default();
        if legal.is_empty() {
            root.missing("legal");
        }
        let summary = root.required_string("summary");
        let needs_notice = root.bool("needs_notice").unwrap_or(false);
        let doc = match root.table("doc") {
            Some(d) => {
                let what = d.required_string("what");
                let why = d.required_string("why");
                let example = d.required_string("example");
                d.finish(&["what", "why", "example"]);
                match (what, why, example) {
                    (Some(what), Some(why), Some(example)) => Some(RuleDoc {
                        what: what.value,
                        why: why.value,
                        example: example.value,
                    }),
                    _ => None,
                }
            }
            None => {
                root.missing("doc");
                None
            }
        };
        Some(RuleMeta {
            id: id?.value,
            name: name?.value,
            severity: severity?,
            legal: legal.into_iter().map(|l| l.value).collect(),
            summary: summary?.value,
            needs_notice,
            doc: doc?,
        })
    }
}

/// The diagnostics of a rule file that could not be read whole; never empty.
pub fn incomplete(path: &Path, text: &str, diagnostics: Diagnostics) -> Diagnostics {
    if !diagnostics.is_empty() {
        return diagnostics;
    }
    let mut d = Diagnostics::default();
    d.push(TomlSource::new(path, text).diagnostic(0, "incomplete rule"));
    d
}
