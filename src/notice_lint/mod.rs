//! Notice tooling: lint a privacy notice's text for what GDPR Art. 13
//! requires (NTC001–NTC020), and draft its `notice.toml` from the text.
//!
//! `document` reads the text into sections and sentences, `vocabulary` holds
//! the words looked for (`rules/notice/vocabulary.toml`), `checks` the checks
//! in one table, `catalogue` their metadata (`rules/notice/NTC*.toml`),
//! `metadata` the checks of `notice.toml` itself, `report` turns hits into the same report `scan` writes, and `draft` writes
//! the metadata draft.

pub mod catalogue;
pub mod checks;
pub mod document;
pub mod draft;
pub mod metadata;
pub mod report;
pub mod vocabulary;

use checks::{Ctx, Hit, Verdict, CHECKS};
use document::Document;

/// One check's outcome on one notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    pub rule: &'static str,
    pub verdict: Verdict,
}

/// Every check run on one parsed notice, in catalogue order.
pub fn lint_document(doc: &Document) -> Vec<CheckOutcome> {
    let ctx = Ctx {
        doc,
        vocab: vocabulary::vocabulary(),
    };
    CHECKS
        .iter()
        .map(|(rule, check)| CheckOutcome {
            rule,
            verdict: check(&ctx),
        })
        .collect()
}

/// Lints notice text: the ids of the rules with hits, and the hits.
pub fn lint_text(text: &str) -> Vec<(&'static str, Hit)> {
    let doc = document::parse(text);
    lint_document(&doc)
        .into_iter()
        .flat_map(|o| match o.verdict {
            Verdict::Checked(hits) => hits.into_iter().map(|h| (o.rule, h)).collect(),
            Verdict::NotApplicable(_) => Vec::new(),
        })
        .collect()
}
