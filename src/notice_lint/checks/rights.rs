//! NTC010 the data-subject rights by name, NTC011 withdrawing consent,
//! NTC012 the complaint right, NTC017 outdated response terms, NTC018 the
//! direct-marketing objection (GDPR Art. 12(3), 13(2)(b)–(d), 21(4)).

use super::{short, Ctx, Hit, Verdict};
use crate::notice_lint::document::Sentence;
use crate::notice_lint::vocabulary::{Concept, Heading};

/// The six rights of Art. 13(2)(b), each with its name in messages.
const RIGHTS: [(Concept, &str); 6] = [
    (Concept::RightAccess, "access"),
    (Concept::RightRectification, "rectification"),
    (Concept::RightErasure, "erasure"),
    (Concept::RightRestriction, "restriction"),
    (Concept::RightObjection, "objection"),
    (Concept::RightPortability, "portability"),
];

fn rights_sentences<'a>(ctx: &'a Ctx<'a>) -> impl Iterator<Item = &'a Sentence> + 'a {
    ctx.doc
        .sentences
        .iter()
        .filter(move |s| ctx.under(Heading::Rights, s) || ctx.says(Concept::RightStatement, s))
}

pub fn rights(ctx: &Ctx<'_>) -> Verdict {
    let missing: Vec<&str> = RIGHTS
        .iter()
        .filter(|(concept, _)| {
            !rights_sentences(ctx).any(|s| ctx.says(*concept, s))
                && !ctx
                    .doc
                    .headings()
                    .any(|h| ctx.vocab.announces(Heading::Rights, h) && ctx.vocab.says(*concept, h))
        })
        .map(|(_, name)| *name)
        .collect();
    if missing.is_empty() {
        return Verdict::Checked(Vec::new());
    }
    let section = ctx
        .doc
        .headings()
        .find(|h| ctx.vocab.announces(Heading::Rights, h))
        .unwrap_or("data-subject rights");
    Verdict::Checked(vec![Hit::missing(
        format!(
            "the notice does not name the right{} of {}",
            if missing.len() > 1 { "s" } else { "" },
            join_names(&missing)
        ),
        section,
    )])
}

fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub fn withdraw_consent(ctx: &Ctx<'_>) -> Verdict {
    let Some(consent) = ctx.relies_on(Concept::BasisConsent) else {
        return Verdict::NotApplicable("consent is not stated as a legal basis".into());
    };
    Verdict::Checked(if ctx.first_saying(Concept::WithdrawConsent).is_some() {
        Vec::new()
    } else {
        vec![Hit::quoting(
            ctx,
            format!(
                "consent is a basis (\"{}\") but the notice does not say it can be withdrawn at any time",
                short(&consent.text)
            ),
            consent,
        )]
    })
}

pub fn complaint(ctx: &Ctx<'_>) -> Verdict {
    let stated =
        ctx.first_saying(Concept::Complaint).is_some() || ctx.heading_says(Concept::Complaint);
    Verdict::Checked(if stated {
        Vec::new()
    } else {
        vec![Hit::missing(
            "the right to lodge a complaint with a supervisory authority is not stated (valitus valvontaviranomaiselle / tietosuojavaltuutettu / klagomål / supervisory authority)",
            "complaint",
        )]
    })
}

/// NTC017: HeTiL-era terms for requests: access free "once a year", an
/// answer "within three months". GDPR Art. 12(3),(5): one month, free.
pub fn response_deadline(ctx: &Ctx<'_>) -> Verdict {
    let hits = ctx
        .saying(Concept::WrongDeadline)
        .filter(|s| !ctx.says(Concept::DeadlineExtension, s))
        .map(|s| {
            let found = ctx.vocab.find(Concept::WrongDeadline, &s.text).unwrap_or("");
            Hit::quoting(
                ctx,
                format!(
                    "outdated terms for requests (\"{found}\"): under GDPR Art. 12(3) and (5) requests are answered within one month and free of charge, not limited to once a year"
                ),
                s,
            )
        })
        .collect();
    Verdict::Checked(hits)
}

/// NTC018: where the notice markets directly, the right to object to it
/// must be stated explicitly (Art. 21(2)–(4)).
pub fn dm_objection(ctx: &Ctx<'_>) -> Verdict {
    let Some(marketing) = ctx.positive_saying(Concept::DirectMarketing).next() else {
        return Verdict::NotApplicable("the notice states no direct marketing".into());
    };
    let explicit = ctx.doc.sentences.iter().any(|s| {
        ctx.says(Concept::DirectMarketing, s)
            && ctx.says(Concept::DmObjection, s)
            && (ctx.says(Concept::RightStatement, s) || ctx.under(Heading::Rights, s))
    }) || ctx.doc.headings().any(|h| {
        ctx.vocab.says(Concept::DirectMarketing, h) && ctx.vocab.says(Concept::DmObjection, h)
    });
    Verdict::Checked(if explicit {
        Vec::new()
    } else {
        vec![Hit::quoting(
            ctx,
            format!(
                "direct marketing is done (\"{}\") but the right to object to it at any time is not stated explicitly",
                short(&marketing.text)
            ),
            marketing,
        )]
    })
}
