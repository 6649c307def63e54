//! NTC001 controller identity and contact, NTC002 the DPO's contact where one
//! is required (GDPR Art. 13(1)(a)–(b)).

use super::{short, Ctx, Hit, Verdict};
use crate::notice_lint::vocabulary::{Concept, Heading};

/// NTC001: a controller named (a controller section, or a sentence naming
/// one) and some way to reach it (e-mail, phone, postal address).
pub fn identity(ctx: &Ctx<'_>) -> Verdict {
    let named = ctx
        .sentences_under(Heading::Controller)
        .next()
        .or_else(|| ctx.first_saying(Concept::Controller));
    let contact = ctx.first_saying(Concept::Contact);
    let hits = match (named, contact) {
        (None, _) => vec![Hit::missing(
            "no controller is named: no section headed rekisterinpitäjä / personuppgiftsansvarig / controller and no sentence naming one",
            "controller",
        )],
        (Some(sentence), None) => vec![Hit::quoting(
            ctx,
            "the controller is named but no contact details (e-mail, phone or postal address) are given anywhere in the notice",
            sentence,
        )],
        _ => Vec::new(),
    };
    Verdict::Checked(hits)
}

/// NTC002: where the notice says it processes special-category data, a data
/// protection officer must be named (Art. 37(1)(c); Art. 13(1)(b)).
pub fn dpo_contact(ctx: &Ctx<'_>) -> Verdict {
    let Some(special) = ctx.special_category() else {
        return Verdict::NotApplicable(
            "the notice states no special-category (Art. 9) data, so a DPO is not shown to be required".into(),
        );
    };
    if ctx.first_saying(Concept::Dpo).is_some() || ctx.heading_says(Concept::Dpo) {
        return Verdict::Checked(Vec::new());
    }
    Verdict::Checked(vec![Hit::quoting(
        ctx,
        format!(
            "special-category data is processed (\"{}\") but no data protection officer (tietosuojavastaava / dataskyddsombud / DPO) is named",
            short(&special.text)
        ),
        special,
    )])
}
