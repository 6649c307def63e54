//! NTC013 whether providing data is a statutory or contractual requirement,
//! NTC014 automated decisions and profiling (GDPR Art. 13(2)(e)–(f)).

use super::{Ctx, Hit, Verdict};
use crate::notice_lint::vocabulary::Concept;

pub fn requirement(ctx: &Ctx<'_>) -> Verdict {
    Verdict::Checked(if ctx.first_saying(Concept::Requirement).is_some() {
        Vec::new()
    } else {
        vec![Hit::missing(
            "the notice does not say whether providing the data is a statutory or contractual requirement, whether it is obligatory, or what follows from not providing it (pakollinen / vapaaehtoinen / obligatorisk / mandatory)",
            "requirement statement",
        )]
    })
}

pub fn automated_decisions(ctx: &Ctx<'_>) -> Verdict {
    let stated = ctx.first_saying(Concept::AutomatedDecision).is_some()
        || ctx.heading_says(Concept::AutomatedDecision);
    Verdict::Checked(if stated {
        Vec::new()
    } else {
        vec![Hit::missing(
            "the notice says nothing about automated decision-making or profiling, not even that there is none (automaattinen päätöksenteko / profilering / profiling)",
            "automated decisions",
        )]
    })
}
