//! NTC015 repealed laws, NTC016 renamed laws (DOMAIN §3.1). Laws in force
//! (tietosuojalaki 1050/2018, 917/2014, 759/2004, yhdistyslaki 503/1989,
//! kirjanpitolaki 1336/1997) match no pattern here; a test keeps it so.

use super::{Ctx, Hit, Verdict};
use crate::finding::Severity;
use crate::notice_lint::document::Sentence;
use crate::notice_lint::vocabulary::Concept;
use std::collections::BTreeSet;

/// What a repealed reference is, from the words that matched.
fn describe(matched: &str) -> &'static str {
    let m = matched.to_lowercase();
    if m.contains("516/2004") || m.contains("sähköisen") {
        "sähköisen viestinnän tietosuojalaki 516/2004, repealed 1.1.2015 by 917/2014"
    } else if m.contains("471/1987") || m.contains("henkilörekisteri") {
        "henkilörekisterilaki 471/1987, replaced in 1999"
    } else if m.contains("95/46") || m.contains("direktiivi") {
        "Directive 95/46/EC, repealed by the GDPR (Art. 94) from 25.5.2018"
    } else {
        "henkilötietolaki 523/1999, repealed 1.1.2019 by tietosuojalaki 1050/2018"
    }
}

/// Sentences and headings (as sentences of their own) to look in.
fn texts<'a>(ctx: &Ctx<'a>) -> Vec<Sentence> {
    let mut all: Vec<Sentence> = ctx
        .doc
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            s.heading.as_ref().map(|h| Sentence {
                text: h.clone(),
                line: s.line,
                section: i,
            })
        })
        .collect();
    all.extend(ctx.doc.sentences.iter().cloned());
    all.sort_by_key(|s| s.line);
    all
}

pub fn repealed(ctx: &Ctx<'_>) -> Verdict {
    let severity = match ctx.doc.dated_year {
        Some(year) if year >= 2019 => Some(Severity::High),
        _ => None,
    };
    let mut seen = BTreeSet::new();
    let mut hits = Vec::new();
    for s in texts(ctx) {
        if ctx.says(Concept::RepealContext, &s) {
            continue;
        }
        let Some(found) = ctx.vocab.find(Concept::RepealedLaw, &s.text) else {
            continue;
        };
        let law = describe(found);
        if !seen.insert(law) {
            continue;
        }
        let old_document = ctx.says(Concept::OldRegisterDocument, &s)
            && ctx.says(Concept::OldSectionReference, &s);
        let mut hit = Hit::quoting(
            ctx,
            format!(
                "cites \"{found}\": {law}{}",
                if old_document {
                    "; a HeTiL-era rekisteriseloste (10 §) rather than a GDPR Art. 13 notice"
                } else {
                    ""
                }
            ),
            &s,
        );
        hit.severity = severity;
        hits.push(hit);
    }
    Verdict::Checked(hits)
}

pub fn renamed(ctx: &Ctx<'_>) -> Verdict {
    let hits = texts(ctx)
        .iter()
        .filter(|s| ctx.says(Concept::RenamedLaw, s))
        .take(1)
        .map(|s| {
            Hit::quoting(
                ctx,
                "cites tietoyhteiskuntakaari: in force as laki sähköisen viestinnän palveluista 917/2014 (renamed, not repealed)",
                s,
            )
        })
        .collect();
    Verdict::Checked(hits)
}
