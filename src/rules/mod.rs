//! The rule catalogue. A rule is one small unit: its metadata and doc in
//! `rules/<ID>.toml`, its check in one file here, registered in `builtin()`.

pub mod context;
pub mod meta;

mod accuracy;
mod categories;
pub mod custom;
pub mod data;
mod identity;
mod legal_basis;
pub mod marketing;
mod retention;
mod transfers;

use context::{FileContext, FileStats, Hit, Row};
pub use meta::{RuleDoc, RuleMeta};

/// The check of one rule.
pub trait Check: Send + Sync {
    /// Called once per audited row.
    fn check_row(&self, _row: &Row<'_>, _hits: &mut Vec<Hit>) {}

    /// Called once per file before any row; lets a rule skip files it cannot apply to.
    fn applies(&self, _file: &FileContext<'_>) -> bool {
        true
    }

    /// Called once per file after every row, for findings about whole columns.
    fn check_file(&self, _file: &FileContext<'_>, _stats: &FileStats, _hits: &mut Vec<Hit>) {}

    /// Called once per register that has a marketing-event log.
    fn check_events(
        &self,
        _ctx: &marketing::MarketingContext<'_>,
        _hits: &mut Vec<marketing::EventHit>,
    ) -> polars::prelude::PolarsResult<()> {
        Ok(())
    }
}

pub struct Rule {
    pub meta: RuleMeta,
    pub check: Box<dyn Check>,
}

fn rule(toml_text: &str, check: impl Check + 'static) -> Rule {
    // Built-in metadata is checked by the tests; a parse failure is a build defect.
    let meta = RuleMeta::parse("built-in rule", toml_text).unwrap_or_else(|e| panic!("{e}"));
    Rule {
        meta,
        check: Box::new(check),
    }
}

/// Every built-in rule, in catalogue order. The one table rules are registered in.
pub fn builtin() -> Vec<Rule> {
    vec![
        rule(
            include_str!("../../rules/ID001.toml"),
            identity::ExcludedIdentityCode,
        ),
        rule(
            include_str!("../../rules/ID002.toml"),
            identity::InvalidIdentityCode,
        ),
        rule(
            include_str!("../../rules/ID003.toml"),
            identity::IdentityCodeInFreeText,
        ),
        rule(
            include_str!("../../rules/CAT001.toml"),
            categories::UndeclaredCategory,
        ),
        rule(
            include_str!("../../rules/CAT002.toml"),
            categories::SpecialCategoryWithoutBasis,
        ),
        rule(
            include_str!("../../rules/LB001.toml"),
            legal_basis::MissingLegalBasis,
        ),
        rule(
            include_str!("../../rules/LB002.toml"),
            legal_basis::UndeclaredLegalBasis,
        ),
        rule(
            include_str!("../../rules/LB003.toml"),
            legal_basis::ConsentNotEvidenced,
        ),
        rule(
            include_str!("../../rules/LB004.toml"),
            legal_basis::ChildConsent,
        ),
        rule(
            include_str!("../../rules/RET001.toml"),
            retention::RetentionOverdue,
        ),
        rule(
            include_str!("../../rules/RET002.toml"),
            retention::ErasureRequestOverdue,
        ),
        rule(
            include_str!("../../rules/MKT001.toml"),
            marketing::MarketingBanUnhonoured,
        ),
        rule(
            include_str!("../../rules/MKT002.toml"),
            marketing::MarketingWithoutConsent,
        ),
        rule(
            include_str!("../../rules/TRF001.toml"),
            transfers::TransferOutsideEea,
        ),
        rule(
            include_str!("../../rules/ACC001.toml"),
            accuracy::InaccurateValue,
        ),
    ]
}

/// The built-in rules plus, when `custom_dir` is given, the custom rules in it.
pub fn catalogue(custom_dir: Option<&std::path::Path>) -> Result<Vec<Rule>, crate::error::Error> {
    let mut rules = builtin();
    if let Some(dir) = custom_dir {
        let ids: Vec<&str> = rules.iter().map(|r| r.meta.id.as_str()).collect();
        let custom = custom::load_dir(dir, &ids)?;
        rules.extend(custom);
    }
    Ok(rules)
}

/// Whether `id` is well formed: 2–4 capital letters and three digits.
pub fn is_valid_id(id: &str) -> bool {
    let letters = id.chars().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = &id[letters..];
    (2..=4).contains(&letters) && digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_well_formed_and_documented() {
        let rules = builtin();
        let mut seen = HashSet::new();
        for r in &rules {
            assert!(is_valid_id(&r.meta.id), "bad id {}", r.meta.id);
            assert!(seen.insert(r.meta.id.clone()), "duplicate id {}", r.meta.id);
            assert!(
                !r.meta.legal.is_empty(),
                "{} has no legal reference",
                r.meta.id
            );
            for (section, text) in [
                ("summary", &r.meta.summary),
                ("what", &r.meta.doc.what),
                ("why", &r.meta.doc.why),
                ("example", &r.meta.doc.example),
            ] {
                assert!(text.trim().len() > 20, "{} has no {section}", r.meta.id);
            }
        }
    }

    #[test]
    fn every_rule_file_is_registered() {
        let registered: HashSet<String> = builtin().into_iter().map(|r| r.meta.id).collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            if let Some(id) = name.strip_suffix(".toml").filter(|id| is_valid_id(id)) {
                assert!(registered.contains(id), "rules/{name} is not registered");
            }
        }
    }
}
