//! The one normaliser for names and words: header names, log headers,
//! vocabulary entries and the words of values (legal bases, channels,
//! booleans, customer types) are all compared after the same folding, so a
//! spelling one place accepts every place accepts.
//!
//! Folding: lower case, Nordic and common Latin accents folded (`ä å → a`,
//! `ö ø → o`, `é → e`, `ü → u`), anything that is not a letter or digit a
//! word break, camelCase and letter–digit boundaries split.

/// The letter `c` folds to, lower case and without accents.
pub fn fold_char(c: char) -> char {
    match c {
        'ä' | 'Ä' | 'å' | 'Å' | 'á' | 'Á' | 'à' | 'À' | 'â' | 'Â' => 'a',
        'ö' | 'Ö' | 'ø' | 'Ø' | 'ó' | 'Ó' | 'ô' | 'Ô' => 'o',
        'é' | 'É' | 'è' | 'È' | 'ê' | 'Ê' | 'ë' | 'Ë' => 'e',
        'ü' | 'Ü' | 'ú' | 'Ú' => 'u',
        'í' | 'Í' | 'ï' | 'Ï' => 'i',
        'š' | 'Š' => 's',
        'ž' | 'Ž' => 'z',
        other => other.to_lowercase().next().unwrap_or(other),
    }
}

/// The words of a name: `BillingPostalCode` → billing postal code,
/// `Sähköposti-osoite` → sahkoposti osoite, `IPAddress` → ip address,
/// `address_line1` → address line 1, `E-mail` → e mail.
pub fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            flush(&mut word, &mut words);
            continue;
        }
        if let Some(&prev) = i.checked_sub(1).and_then(|p| chars.get(p)) {
            let next = chars.get(i + 1).copied();
            let camel = c.is_uppercase()
                && (prev.is_lowercase()
                    || (prev.is_uppercase() && next.is_some_and(char::is_lowercase)));
            let digit_edge =
                prev.is_alphanumeric() && (c.is_ascii_digit() != prev.is_ascii_digit());
            if camel || digit_edge {
                flush(&mut word, &mut words);
            }
        }
        word.push(fold_char(c));
    }
    flush(&mut word, &mut words);
    words
}

fn flush(word: &mut String, words: &mut Vec<String>) {
    if !word.is_empty() {
        words.push(std::mem::take(word));
    }
}

/// A name as one key: its words joined by `_` (`Sähköposti osoite` →
/// `sahkoposti_osoite`). Vocabulary files are keyed by this form.
pub fn name_key(text: &str) -> String {
    words(text).join("_")
}

/// A value folded for comparison with vocabulary words: its words joined by
/// one space (`Legitimate_Interests` → `legitimate interests`).
pub fn value_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '*' {
            out.push(fold_char(c));
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Calls `f` with the value key of `text`, without allocating for the short
/// ASCII values that rows hold by the million (`Sopimus`, `email`).
pub fn with_value_key<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    let text = text.trim();
    let mut buf = [0u8; 64];
    if text.is_ascii() && text.len() <= buf.len() {
        let mut len = 0;
        for b in text.bytes() {
            if b.is_ascii_alphanumeric() || b == b'*' {
                buf[len] = b.to_ascii_lowercase();
                len += 1;
            } else if len > 0 && buf[len - 1] != b' ' {
                buf[len] = b' ';
                len += 1;
            }
        }
        while len > 0 && buf[len - 1] == b' ' {
            len -= 1;
        }
        // Only ASCII bytes were written.
        if let Ok(key) = std::str::from_utf8(&buf[..len]) {
            return f(key);
        }
    }
    f(&value_key(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_folded_words() {
        let w = |s: &str| words(s).join(" ");
        assert_eq!(w("BillingPostalCode"), "billing postal code");
        assert_eq!(w("Sähköposti-osoite"), "sahkoposti osoite");
        assert_eq!(w("IPAddress"), "ip address");
        assert_eq!(w("address_line1"), "address line 1");
        assert_eq!(w("Birthdate__c"), "birthdate c");
        assert_eq!(w("HasOptedOutOfFax"), "has opted out of fax");
        assert_eq!(w("  Asiakkuus päättyi "), "asiakkuus paattyi");
        assert_eq!(w("MEMBER_RATING"), "member rating");
        assert_eq!(w("E-postadress"), "e postadress");
        assert_eq!(w("Yhteyshenkilön puhelin"), "yhteyshenkilon puhelin");
        assert_eq!(w("sahkoinenViestintaLupa"), "sahkoinen viestinta lupa");
        assert_eq!(w("$email"), "email");
    }

    #[test]
    fn keys() {
        assert_eq!(name_key("Sähköposti osoite"), "sahkoposti_osoite");
        assert_eq!(name_key("HETU"), "hetu");
        assert_eq!(value_key(" Legitimate_Interests "), "legitimate interests");
        assert_eq!(value_key("Oikeutettu etu."), "oikeutettu etu");
        assert_eq!(value_key("*"), "*");
        assert_eq!(value_key("SÄHKÖPOSTI"), "sahkoposti");
        for raw in [
            "Legitimate_Interests",
            " E-mail ",
            "6(1)(a)",
            "Sähköposti",
            "x",
            "",
            "--",
        ] {
            assert_eq!(with_value_key(raw, str::to_string), value_key(raw), "{raw}");
        }
    }
}
