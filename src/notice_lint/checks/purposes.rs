//! NTC003 purposes, NTC004 the legal basis, NTC005 the legitimate interests
//! where that basis is relied on (GDPR Art. 13(1)(c)–(d)).

use super::{short, Ctx, Hit, Verdict};
use crate::notice_lint::vocabulary::{Concept, Heading};

/// NTC003: a sentence stating what the data is used for, or a purpose section
/// with text in it.
pub fn purpose(ctx: &Ctx<'_>) -> Verdict {
    let found = ctx.first_saying(Concept::Purpose).is_some()
        || ctx.sentences_under(Heading::Purpose).next().is_some();
    Verdict::Checked(if found {
        Vec::new()
    } else {
        vec![Hit::missing(
            "no purpose of processing is stated: no section headed käsittelyn tarkoitus / ändamål / purpose and no sentence saying what the data is used for",
            "purpose",
        )]
    })
}

const BASES: [Concept; 5] = [
    Concept::BasisConsent,
    Concept::BasisContract,
    Concept::BasisLegalObligation,
    Concept::BasisLegitimateInterest,
    Concept::BasisPublicTask,
];

/// NTC004: an Art. 6(1) basis stated in a sentence, or named in a legal-basis
/// section.
pub fn legal_basis(ctx: &Ctx<'_>) -> Verdict {
    let stated = ctx.first_saying(Concept::LegalBasis).is_some()
        || ctx
            .sentences_under(Heading::LegalBasis)
            .any(|s| BASES.iter().any(|b| ctx.says(*b, s)));
    Verdict::Checked(if stated {
        Vec::new()
    } else {
        vec![Hit::missing(
            "no legal basis (GDPR Art. 6(1)) is stated: no section headed oikeusperuste / rättslig grund / legal basis and no sentence such as \"käsittely perustuu suostumukseen\"",
            "legal basis",
        )]
    })
}

/// NTC005: where legitimate interests are a basis, the interests themselves
/// must be described.
pub fn legitimate_interest(ctx: &Ctx<'_>) -> Verdict {
    let Some(basis) = ctx.relies_on(Concept::BasisLegitimateInterest) else {
        return Verdict::NotApplicable("legitimate interests are not stated as a basis".into());
    };
    let described = ctx
        .first_saying(Concept::LegitimateInterestDescribed)
        .is_some();
    Verdict::Checked(if described {
        Vec::new()
    } else {
        vec![Hit::quoting(
            ctx,
            format!(
                "legitimate interests are a basis (\"{}\") but the interests pursued are not described",
                short(&basis.text)
            ),
            basis,
        )]
    })
}
