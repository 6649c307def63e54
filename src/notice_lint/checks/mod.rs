//! The NTC checks, registered in one table. A check reads the parsed notice
//! and either says it does not apply (with why: no consent basis, no
//! transfer) or returns its hits; each hit quotes the sentence it relied on
//! or names the section it looked for.

mod controller;
mod laws;
mod purposes;
pub mod retention;
mod rights;
pub mod sharing;
mod special;
mod statements;

use super::document::{Document, Sentence};
use super::vocabulary::{Concept, Heading, Vocabulary};
use crate::finding::Severity;

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub message: String,
    /// The line of the quoted sentence; 0 when the hit is about an absence.
    pub line: u64,
    /// The sentence the hit relies on.
    pub quote: Option<String>,
    /// The section the sentence is in, or the section the check looked for.
    pub section: Option<String>,
    /// A severity other than the rule's (NTC015 in a notice dated 2019 or later).
    pub severity: Option<Severity>,
}

impl Hit {
    /// A hit about something the notice lacks: names what was looked for.
    pub fn missing(message: impl Into<String>, looked_for: &str) -> Hit {
        Hit {
            message: message.into(),
            line: 0,
            quote: None,
            section: Some(looked_for.to_string()),
            severity: None,
        }
    }

    /// A hit that rests on one sentence, quoted.
    pub fn quoting(ctx: &Ctx<'_>, message: impl Into<String>, sentence: &Sentence) -> Hit {
        Hit {
            message: message.into(),
            line: sentence.line,
            quote: Some(sentence.text.clone()),
            section: ctx.doc.heading(sentence).map(str::to_string),
            severity: None,
        }
    }
}

/// A check's answer for one notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The item does not apply to this notice, and why.
    NotApplicable(String),
    /// The item applies; these are its hits (none: the notice is fine).
    Checked(Vec<Hit>),
}

pub type CheckFn = fn(&Ctx<'_>) -> Verdict;

/// Every NTC check, in catalogue order. Adding one: `rules/notice/<ID>.toml`,
/// its function in one of the files here, one line below, and a fixture in
/// `fixtures/notice_rules/<ID>.toml`; the tests name anything forgotten.
pub const CHECKS: [(&str, CheckFn); 20] = [
    ("NTC001", controller::identity),
    ("NTC002", controller::dpo_contact),
    ("NTC003", purposes::purpose),
    ("NTC004", purposes::legal_basis),
    ("NTC005", purposes::legitimate_interest),
    ("NTC006", sharing::recipients),
    ("NTC007", sharing::transfer_safeguards),
    ("NTC008", sharing::invalidated_mechanism),
    ("NTC009", retention::retention),
    ("NTC010", rights::rights),
    ("NTC011", rights::withdraw_consent),
    ("NTC012", rights::complaint),
    ("NTC013", statements::requirement),
    ("NTC014", statements::automated_decisions),
    ("NTC015", laws::repealed),
    ("NTC016", laws::renamed),
    ("NTC017", rights::response_deadline),
    ("NTC018", rights::dm_objection),
    ("NTC019", special::special_category),
    ("NTC020", special::identity_code),
];

/// What a check sees: the parsed notice and the vocabulary.
pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub vocab: &'a Vocabulary,
}

impl<'a> Ctx<'a> {
    pub fn says(&self, concept: Concept, sentence: &Sentence) -> bool {
        self.vocab.says(concept, &sentence.text)
    }

    /// Not negated (`ei`, `inte`, `not`, `ilman` …).
    pub fn positive(&self, sentence: &Sentence) -> bool {
        !self.says(Concept::Negation, sentence)
    }

    pub fn saying(&self, concept: Concept) -> impl Iterator<Item = &'a Sentence> + '_ {
        self.doc
            .sentences
            .iter()
            .filter(move |s| self.vocab.says(concept, &s.text))
    }

    pub fn first_saying(&self, concept: Concept) -> Option<&'a Sentence> {
        self.saying(concept).next()
    }

    pub fn positive_saying(&self, concept: Concept) -> impl Iterator<Item = &'a Sentence> + '_ {
        self.saying(concept).filter(move |s| self.positive(s))
    }

    /// Whether a sentence sits under a heading that announces `heading`.
    pub fn under(&self, heading: Heading, sentence: &Sentence) -> bool {
        self.doc
            .heading(sentence)
            .is_some_and(|h| self.vocab.announces(heading, h))
    }

    pub fn sentences_under(&self, heading: Heading) -> impl Iterator<Item = &'a Sentence> + '_ {
        self.doc
            .sentences
            .iter()
            .filter(move |s| self.under(heading, s))
    }

    /// Whether any heading says `concept` (`OIKEUS VASTUSTAA SUORAMARKKINOINTIA`).
    pub fn heading_says(&self, concept: Concept) -> bool {
        self.doc.headings().any(|h| self.vocab.says(concept, h))
    }

    /// Sentences that state a legal basis: they say so, or stand in a
    /// legal-basis section (a table cell `Intresseavvägning`).
    pub fn basis_sentences(&self) -> impl Iterator<Item = &'a Sentence> + '_ {
        self.doc.sentences.iter().filter(move |s| {
            self.says(Concept::LegalBasis, s) || self.under(Heading::LegalBasis, s)
        })
    }

    /// The first basis sentence relying on `basis` (a `Basis*` concept).
    pub fn relies_on(&self, basis: Concept) -> Option<&'a Sentence> {
        self.basis_sentences()
            .find(|s| self.says(basis, s) && self.positive(s))
    }

    /// The first sentence stating that special-category (Art. 9) data is
    /// processed.
    pub fn special_category(&self) -> Option<&'a Sentence> {
        self.positive_saying(Concept::SpecialCategory).next()
    }
}

/// A sentence shortened for a message.
pub fn short(text: &str) -> String {
    const MAX: usize = 90;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX).collect();
    format!("{}…", cut.trim_end())
}
