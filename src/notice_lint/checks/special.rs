//! NTC019 special categories without an Art. 9(2) condition, NTC020 the
//! identity code without a ground (tietosuojalaki 29 §).

use super::{short, Ctx, Hit, Verdict};
use crate::notice_lint::vocabulary::Concept;

pub fn special_category(ctx: &Ctx<'_>) -> Verdict {
    let Some(special) = ctx.special_category() else {
        return Verdict::NotApplicable(
            "the notice states no special-category (Art. 9) data".into(),
        );
    };
    if ctx.first_saying(Concept::Art9Condition).is_some() {
        return Verdict::Checked(Vec::new());
    }
    Verdict::Checked(vec![Hit::quoting(
        ctx,
        format!(
            "special-category data is processed (\"{}\") but no GDPR Art. 9(2) condition is stated (explicit consent, health care, …)",
            short(&special.text)
        ),
        special,
    )])
}

pub fn identity_code(ctx: &Ctx<'_>) -> Verdict {
    let Some(code) = ctx.positive_saying(Concept::IdentityCode).next() else {
        return Verdict::NotApplicable(
            "the notice does not say identity codes are processed".into(),
        );
    };
    let grounded = ctx
        .saying(Concept::IdentityCode)
        .any(|s| ctx.says(Concept::IdentityCodeGround, s))
        || ctx.doc.sentences.iter().any(|s| s.text.contains("29 §"));
    if grounded {
        return Verdict::Checked(Vec::new());
    }
    Verdict::Checked(vec![Hit::quoting(
        ctx,
        format!(
            "identity codes are processed (\"{}\") but no ground is stated (tietosuojalaki 29 §: consent, a law, or unambiguous identification needed)",
            short(&code.text)
        ),
        code,
    )])
}
