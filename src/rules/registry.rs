//! The one table every built-in rule is registered in, and the catalogue
//! (built-in plus custom rules). Adding a rule: `rules/<ID>.toml`, its check
//! file, one line below, and `fixtures/rules/<ID>/`; the tests name anything
//! forgotten.

use super::meta::RuleMeta;
use super::{
    accuracy, categories, coverage, custom, identity, legal_basis, marketing, retention, transfers,
    CheckKind, Rule,
};

/// One built-in rule: its metadata file by id, and its check of the given kind.
macro_rules! builtin {
    ($($id:literal => $kind:ident($check:expr)),* $(,)?) => {
        vec![$(rule(
            $id,
            include_str!(concat!("../../rules/", $id, ".toml")),
            CheckKind::$kind(Box::new($check)),
        )),*]
    };
}

fn rule(id: &str, toml_text: &str, check: CheckKind) -> Rule {
    // Built-in metadata is checked by the tests; a failure is a build defect.
    let path = format!("rules/{id}.toml");
    let meta =
        RuleMeta::parse(std::path::Path::new(&path), toml_text).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(meta.id, id, "{path} declares another id");
    Rule { meta, check }
}

/// Every built-in rule, in catalogue order.
pub fn builtin() -> Vec<Rule> {
    builtin![
        "ID001" => Rows(identity::ExcludedIdentityCode),
        "ID002" => Rows(identity::InvalidIdentityCode),
        "ID003" => Rows(identity::IdentityCodeInFreeText),
        "CAT001" => Rows(categories::UndeclaredCategory),
        "CAT002" => Rows(categories::SpecialCategoryWithoutBasis),
        "LB001" => Rows(legal_basis::MissingLegalBasis),
        "LB002" => Rows(legal_basis::UndeclaredLegalBasis),
        "LB003" => Rows(legal_basis::ConsentNotEvidenced),
        "LB004" => Rows(legal_basis::ChildConsent),
        "RET001" => Rows(retention::RetentionOverdue),
        "RET002" => Rows(retention::ErasureRequestOverdue),
        "MKT001" => Events(marketing::MarketingBanUnhonoured),
        "MKT002" => Events(marketing::MarketingWithoutConsent),
        "TRF001" => Rows(transfers::TransferOutsideEea),
        "ACC001" => Rows(accuracy::InaccurateValue),
        "COV001" => Coverage(coverage::RuleNotEvaluated),
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
