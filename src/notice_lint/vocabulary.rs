//! The words the notice lint looks for, as data: `rules/notice/vocabulary.toml`
//! holds, per concept, the regular expressions (Finnish stems, Swedish and
//! English phrases) that find it in a sentence or a heading. Each concept is
//! an enum variant, so a check cannot name a concept the file lacks, and the
//! file cannot hold one no check reads.

use regex::Regex;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use strum::{IntoStaticStr, VariantArray};

pub const VOCABULARY_TOML: &str = include_str!("../../rules/notice/vocabulary.toml");

/// What a sentence can say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Concept {
    Controller,
    Contact,
    Dpo,
    SpecialCategory,
    Art9Condition,
    IdentityCode,
    IdentityCodeGround,
    Purpose,
    LegalBasis,
    BasisConsent,
    BasisLegitimateInterest,
    BasisContract,
    BasisLegalObligation,
    BasisPublicTask,
    LegitimateInterestDescribed,
    Recipient,
    Transfer,
    TransferDenied,
    TransferReserved,
    TransferDeferred,
    TransferSafeguard,
    InvalidTransferMechanism,
    Invalidated,
    RetentionStatement,
    RetentionPeriod,
    RetentionCriterion,
    RetentionVague,
    RightStatement,
    RightAccess,
    RightRectification,
    RightErasure,
    RightRestriction,
    RightObjection,
    RightPortability,
    WithdrawConsent,
    Complaint,
    Requirement,
    AutomatedDecision,
    RepealedLaw,
    RepealContext,
    RenamedLaw,
    OldRegisterDocument,
    OldSectionReference,
    WrongDeadline,
    DeadlineExtension,
    DirectMarketing,
    DmObjection,
    Negation,
    NotCollected,
    AnchorLastService,
    AnchorRelationshipEnd,
    AnchorLastPurchase,
    AnchorCreated,
    WhileRelationship,
    ChannelEmail,
    ChannelSms,
    ChannelPhone,
    ChannelPost,
    CountryUs,
    ConditionExplicitConsent,
    ConditionHealthCare,
}

/// What a section heading can announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Heading {
    Controller,
    Purpose,
    LegalBasis,
    DataContent,
    RegisterName,
    Recipients,
    Transfers,
    Retention,
    Rights,
}

impl Concept {
    pub fn name(self) -> &'static str {
        self.into()
    }
}

impl Heading {
    pub fn name(self) -> &'static str {
        self.into()
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    headings: BTreeMap<String, Vec<String>>,
    concepts: BTreeMap<String, Vec<String>>,
}

/// The compiled vocabulary: one case-insensitive alternation per concept.
pub struct Vocabulary {
    concepts: Vec<Regex>,
    headings: Vec<Regex>,
}

fn compile(
    kind: &str,
    names: &[&'static str],
    table: &BTreeMap<String, Vec<String>>,
) -> Result<Vec<Regex>, String> {
    for key in table.keys() {
        if !names.contains(&key.as_str()) {
            return Err(format!("unknown {kind} `{key}`"));
        }
    }
    names
        .iter()
        .map(|name| {
            let patterns = table
                .get(*name)
                .filter(|p| !p.is_empty())
                .ok_or_else(|| format!("{kind} `{name}` has no patterns"))?;
            let joined = patterns
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|");
            Regex::new(&format!("(?i){joined}")).map_err(|e| format!("{kind} `{name}`: {e}"))
        })
        .collect()
}

impl Vocabulary {
    pub fn parse(text: &str) -> Result<Vocabulary, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let concept_names: Vec<&'static str> = Concept::VARIANTS.iter().map(|c| c.name()).collect();
        let heading_names: Vec<&'static str> = Heading::VARIANTS.iter().map(|h| h.name()).collect();
        Ok(Vocabulary {
            concepts: compile("concept", &concept_names, &file.concepts)?,
            headings: compile("heading", &heading_names, &file.headings)?,
        })
    }

    /// Whether `text` says `concept`.
    pub fn says(&self, concept: Concept, text: &str) -> bool {
        self.concepts[concept as usize].is_match(text)
    }

    /// The part of `text` that says `concept`.
    pub fn find<'t>(&self, concept: Concept, text: &'t str) -> Option<&'t str> {
        self.concepts[concept as usize]
            .find(text)
            .map(|m| m.as_str())
    }

    /// Whether a heading announces `heading`.
    pub fn announces(&self, heading: Heading, text: &str) -> bool {
        self.headings[heading as usize].is_match(text)
    }
}

/// The built-in vocabulary.
pub fn vocabulary() -> &'static Vocabulary {
    static VOCAB: OnceLock<Vocabulary> = OnceLock::new();
    // Built-in data, checked by the tests: a failure here is a build defect.
    VOCAB.get_or_init(|| {
        Vocabulary::parse(VOCABULARY_TOML)
            .unwrap_or_else(|e| panic!("rules/notice/vocabulary.toml: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_vocabulary_compiles_and_covers_every_concept() {
        let v = vocabulary();
        assert!(v.says(Concept::BasisConsent, "käsittely perustuu suostumukseen"));
        assert!(v.announces(Heading::Retention, "6 HENKILÖTIETOJEN SÄILYTYSAIKA"));
        assert!(Vocabulary::parse("[headings]\n[concepts]\n").is_err());
    }
}
