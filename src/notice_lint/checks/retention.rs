//! NTC009: the retention period, or the criteria that set it (GDPR Art. 13(2)(a)).

use super::{short, Ctx, Hit, Verdict};
use crate::notice_lint::document::Sentence;
use crate::notice_lint::vocabulary::{Concept, Heading};

/// Sentences about keeping or deleting data: under a retention heading, or
/// saying so themselves.
pub fn retention_sentences<'a>(ctx: &'a Ctx<'a>) -> impl Iterator<Item = &'a Sentence> + 'a {
    ctx.doc.sentences.iter().filter(move |s| {
        ctx.under(Heading::Retention, s) || ctx.says(Concept::RetentionStatement, s)
    })
}

pub fn retention(ctx: &Ctx<'_>) -> Verdict {
    let stated = retention_sentences(ctx)
        .any(|s| ctx.says(Concept::RetentionPeriod, s) || ctx.says(Concept::RetentionCriterion, s));
    if stated {
        return Verdict::Checked(Vec::new());
    }
    let vague = retention_sentences(ctx).find(|s| ctx.says(Concept::RetentionVague, s));
    Verdict::Checked(vec![match vague {
        Some(sentence) => Hit::quoting(
            ctx,
            format!(
                "the retention period is vague (\"{}\"): no period and no criteria that fix it (e.g. \"24 months from the last service event\")",
                short(&sentence.text)
            ),
            sentence,
        ),
        None => Hit::missing(
            "no retention period or criteria: no section headed säilytysaika / lagringstid / retention, and no sentence stating how long data is kept",
            "retention",
        ),
    }])
}
