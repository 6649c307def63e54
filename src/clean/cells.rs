//! What one cell becomes in the clean copy.

use super::edits::CellEdit;
use crate::columns::Role;
use crate::detect::hetu;
use crate::mask::{mask, ValueKind};
use crate::notice::LegalBasis;
use crate::rules::data::legal_bases;
use crate::values::parse_bool;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// What an identity code cut out of free text leaves behind.
pub const REDACTED: &str = "[removed]";

/// A cell's value after its edits, and whether the column is masked.
pub fn edited<'a>(
    raw: &'a str,
    edits: Option<&BTreeSet<CellEdit>>,
    masked: Option<Role>,
) -> Cow<'a, str> {
    let mut value = Cow::Borrowed(raw);
    if let Some(edits) = edits {
        for edit in edits {
            value = match edit {
                CellEdit::Blank => Cow::Borrowed(""),
                CellEdit::Redact => Cow::Owned(redact_codes(&value)),
                CellEdit::ResetFlag if parse_bool(&value) == Some(true) => {
                    Cow::Owned(false_word(&value).into_owned())
                }
                CellEdit::WithdrawConsent if only_consent(&value) => Cow::Borrowed(""),
                CellEdit::ResetFlag | CellEdit::WithdrawConsent => value,
            };
        }
    }
    match masked {
        Some(role) if !value.trim().is_empty() => Cow::Owned(mask(kind_of(role), &value, false)),
        _ => value,
    }
}

/// Whether a legal-basis cell names consent and nothing else.
pub fn only_consent(value: &str) -> bool {
    let mut bases = legal_bases(value).peekable();
    bases.peek().is_some() && bases.all(|b| b == Ok(LegalBasis::Consent))
}

/// How a masked column's values are masked, by its role.
pub(super) fn kind_of(role: Role) -> ValueKind {
    match role {
        Role::IdentityCode => ValueKind::IdentityCode,
        Role::Email => ValueKind::Email,
        Role::Phone => ValueKind::Phone,
        Role::Name => ValueKind::Name,
        _ => ValueKind::Auto,
    }
}

/// The text with every identity code the rules would find cut out.
pub fn redact_codes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for m in hetu::find_in_text(text) {
        out.push_str(&text[pos..m.start]);
        out.push_str(REDACTED);
        pos = m.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// "No" in the words of the flag's own "yes", in its case.
pub fn false_word(yes: &str) -> Cow<'static, str> {
    let trimmed = yes.trim();
    let word = match trimmed.to_lowercase().as_str() {
        "kyllä" | "kylla" => "ei",
        "k" => "e",
        "ja" => "nej",
        "j" => "n",
        "yes" => "no",
        "y" => "n",
        "true" => "false",
        "t" => "f",
        "1" => "0",
        "on" => "off",
        "checked" => "unchecked",
        "sant" => "falskt",
        // x/empty: an empty cell is "no".
        _ => "",
    };
    if trimmed.chars().all(|c| !c.is_lowercase()) && trimmed.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_uppercase())
    } else if trimmed.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = word.chars();
        Cow::Owned(match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        })
    } else {
        Cow::Borrowed(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_reset_in_their_own_words_and_case() {
        assert_eq!(false_word("kyllä"), "ei");
        assert_eq!(false_word("Kyllä"), "Ei");
        assert_eq!(false_word("YES"), "NO");
        assert_eq!(false_word("1"), "0");
        assert_eq!(false_word("x"), "");
        assert_eq!(crate::values::parse_bool(&false_word("Ja")), Some(false));
    }

    #[test]
    fn codes_are_cut_out_of_text_and_nothing_else() {
        let text = "Soitti, hetu 150385-943K, tarkista";
        assert_eq!(redact_codes(text), "Soitti, hetu [removed], tarkista");
        assert_eq!(redact_codes("ei koodia"), "ei koodia");
    }

    #[test]
    fn edits_apply_in_order_and_masking_comes_last() {
        let reset: BTreeSet<CellEdit> = [CellEdit::ResetFlag].into();
        assert_eq!(edited("Kyllä", Some(&reset), None), "Ei");
        assert_eq!(
            edited("ei", Some(&reset), None),
            "ei",
            "a no stays as written"
        );
        let withdraw: BTreeSet<CellEdit> = [CellEdit::WithdrawConsent].into();
        assert_eq!(edited("suostumus", Some(&withdraw), None), "");
        assert_eq!(
            edited("sopimus; suostumus", Some(&withdraw), None),
            "sopimus; suostumus"
        );
        assert_eq!(edited("sopimus", Some(&withdraw), None), "sopimus");
        let blank: BTreeSet<CellEdit> = [CellEdit::Blank].into();
        assert_eq!(edited("kyllä", Some(&blank), None), "");
        assert_eq!(
            edited("150385-943K", None, Some(Role::IdentityCode)),
            "150385-***K"
        );
        assert_eq!(edited("", None, Some(Role::IdentityCode)), "");
    }
}
