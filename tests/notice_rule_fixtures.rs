//! Every NTC rule has `fixtures/notice_rules/<ID>.toml`: a notice (text, or
//! notice.toml for NTC021–NTC023) it fires on, one it passes and, where the
//! item can be inapplicable, one it skips. Run through the library API, rule
//! by rule.

use regaudit::notice_lint::checks::{Verdict, CHECKS};
use regaudit::notice_lint::metadata::{lint_metadata, META_CHECKS};
use regaudit::notice_lint::{document, lint_document};
use std::path::PathBuf;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    violating: String,
    clean: String,
    not_applicable: Option<String>,
}

fn verdict(text: &str, rule: &str) -> Verdict {
    let outcomes = if META_CHECKS.iter().any(|(id, _)| *id == rule) {
        lint_metadata(std::path::Path::new("notice.toml"), text).unwrap_or_else(|d| panic!("{d}"))
    } else {
        lint_document(&document::parse(text))
    };
    outcomes
        .into_iter()
        .find(|o| o.rule == rule)
        .unwrap()
        .verdict
}

#[test]
fn every_rule_fires_on_its_violating_notice_and_passes_its_clean_one() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/notice_rules");
    let rules = CHECKS
        .iter()
        .map(|(id, _)| *id)
        .chain(META_CHECKS.iter().map(|(id, _)| *id));
    for rule in rules {
        let path = dir.join(format!("{rule}.toml"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{rule} has no fixture"));
        let fixture: Fixture = toml::from_str(&text).unwrap();
        match verdict(&fixture.violating, rule) {
            Verdict::Checked(hits) => {
                assert!(
                    !hits.is_empty(),
                    "{rule}: no finding on its violating notice"
                );
                for hit in &hits {
                    assert!(
                        hit.quote.is_some() || hit.section.is_some(),
                        "{rule}: a finding must quote a sentence or name a section"
                    );
                }
            }
            Verdict::NotApplicable(why) => {
                panic!("{rule}: violating notice judged not applicable: {why}")
            }
        }
        match verdict(&fixture.clean, rule) {
            Verdict::Checked(hits) => assert!(
                hits.is_empty(),
                "{rule}: findings on its clean notice: {hits:?}"
            ),
            Verdict::NotApplicable(why) => {
                panic!("{rule}: clean notice judged not applicable: {why}")
            }
        }
        if let Some(na) = &fixture.not_applicable {
            assert!(
                matches!(verdict(na, rule), Verdict::NotApplicable(_)),
                "{rule}: its not-applicable notice was checked"
            );
        }
    }
}

#[test]
fn laws_in_force_are_never_flagged_as_repealed_or_renamed() {
    for text in [
        "Tietosuojalaki (1050/2018) 29 §.",
        "Laki sähköisen viestinnän palveluista (917/2014) 200 §.",
        "Laki yksityisyyden suojasta työelämässä (759/2004).",
        "Yhdistyslain (503/1989) 11 §:n mukainen jäsenluettelo.",
        "Kirjanpitolaki (1336/1997) 2 luku 10 §.",
        "Tietosuoja-asetus (EU) 2016/679 ja tietosuojalaki.",
        "Regulation (EU) 2016/679 repealing Directive 95/46/EC.",
        "förordning 2016/679 om upphävande av direktiv 95/46/EG",
    ] {
        for rule in ["NTC015", "NTC016"] {
            assert_eq!(
                verdict(text, rule),
                Verdict::Checked(Vec::new()),
                "{rule} on {text}"
            );
        }
    }
}

#[test]
fn repealed_law_is_high_in_a_notice_dated_2019_or_later() {
    let hits = |text: &str| match verdict(text, "NTC015") {
        Verdict::Checked(hits) => hits,
        other => panic!("{other:?}"),
    };
    let old = hits("Henkilötietolain 10 §:n mukainen rekisteriseloste. Laadittu 15.4.2011.");
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].severity, None);
    assert!(old[0].message.contains("523/1999"));
    let new = hits("Henkilötietolain 10 §:n mukainen rekisteriseloste. Päivitetty 12.3.2019.");
    assert_eq!(new[0].severity, Some(regaudit::finding::Severity::High));
}
