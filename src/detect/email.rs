//! E-mail addresses. Pragmatic rather than RFC 5322: the aim is to spot
//! addresses people actually write in registers, not quoted-string oddities.

/// Characters allowed in the local part by [`is_valid`].
const LOCAL_SPECIALS: &[u8] = b"!#$%&'*+/=?^_`{|}~.-";

/// One `@`, a local part of allowed ASCII characters (no leading, trailing or
/// doubled dot), and a domain of at least two dot-separated labels; labels are
/// letters (IDN letters such as `ä` allowed), digits and inner hyphens; the
/// TLD is at least two letters or a punycode `xn--` label. Trims ASCII whitespace.
pub fn is_valid(s: &str) -> bool {
    let s = s.trim_ascii();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254 && local_ok(local) && domain_ok(domain)
}

fn local_ok(local: &str) -> bool {
    let bytes = local.as_bytes();
    if bytes.is_empty() || bytes.len() > 64 || bytes[0] == b'.' || bytes[bytes.len() - 1] == b'.' {
        return false;
    }
    // One pass: allowed characters only, and no two dots in a row.
    let mut previous = 0u8;
    bytes.iter().all(|&b| {
        let ok = (b.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(&b))
            && !(b == b'.' && previous == b'.');
        previous = b;
        ok
    })
}

fn domain_ok(domain: &str) -> bool {
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !ok {
            return false;
        }
        labels += 1;
        last = label;
    }
    let tld_ok = (last.chars().count() >= 2 && last.chars().all(char::is_alphabetic))
        || (last.len() > 4
            && last
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--")));
    labels >= 2 && tld_ok
}

/// Cheap shape check for column detection: an `@` with something on both
/// sides and no whitespace (after trimming).
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    !s.contains(char::is_whitespace) && s.find('@').is_some_and(|at| at > 0 && at + 1 < s.len())
}

/// Finds valid addresses in free text as byte ranges. Trailing sentence dots
/// are not part of the match; an address glued to letters (`ä`) or to another
/// `@` is skipped. No allocation besides the iterator.
pub fn find_in_text(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while let Some(off) = bytes[pos..].iter().position(|&b| b == b'@') {
            let at = pos + off;
            pos = at + 1;
            // Conservative local-part set for prose, so quotes and slashes stay outside.
            let mut start = at;
            while start > 0 && is_prose_local(bytes[start - 1]) {
                start -= 1;
            }
            while start < at && bytes[start] == b'.' {
                start += 1;
            }
            let domain_len: usize = text[at + 1..]
                .chars()
                .take_while(|&c| c.is_alphanumeric() || c == '-' || c == '.')
                .map(char::len_utf8)
                .sum();
            let mut end = at + 1 + domain_len;
            while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
                end -= 1;
            }
            let glued = super::alnum_before(text, start)
                || (start > 0 && bytes[start - 1] == b'@')
                || bytes.get(end) == Some(&b'@');
            if !glued && is_valid(&text[start..end]) {
                pos = end;
                return Some((start, end));
            }
        }
        pos = bytes.len();
        None
    })
}

fn is_prose_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Addresses `is_valid` accepts, for tests here and of the SQL validators.
#[cfg(test)]
pub(crate) const VALID_EXAMPLES: &[&str] = &[
    "matti.meikalainen@example.fi",
    "m+tag@mail.example.com",
    "o'brien@example.org",
    "x_y-z@sub-domain.example.co.uk",
    "testi@esimerkkiyhtiö.fi",
    "testi@pörssi.example",
    "user@xn--exmple-cua.xn--p1ai",
    "  padded@example.fi \n",
    "a@b.cd",
];

/// Addresses `is_valid` refuses, for tests here and of the SQL validators.
#[cfg(test)]
pub(crate) const INVALID_EXAMPLES: &[&str] = &[
    "",
    "plain",
    "@example.fi",
    "matti@",
    "matti@localhost",
    "matti@@example.fi",
    "a@b@example.fi",
    "matti meikäläinen@example.fi",
    "matti@exa mple.fi",
    "mätti@example.fi",
    ".matti@example.fi",
    "matti.@example.fi",
    "ma..tti@example.fi",
    "matti@-example.fi",
    "matti@example-.fi",
    "matti@example..fi",
    "matti@example.fi.",
    "matti@example.f",
    "matti@example.123",
    "matti@exa_mple.fi",
    "matti(at)example.fi",
    "matti@example.1äää", // must not slice inside `ä`
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_addresses() {
        for s in VALID_EXAMPLES {
            assert!(is_valid(s), "{s:?}");
        }
    }

    #[test]
    fn invalid_addresses() {
        for s in INVALID_EXAMPLES {
            assert!(!is_valid(s), "{s:?}");
        }
    }

    #[test]
    fn shape() {
        assert!(looks_like_email("a@b"));
        assert!(looks_like_email(" matti@example.fi "));
        assert!(!looks_like_email("@b"));
        assert!(!looks_like_email("a@"));
        assert!(!looks_like_email("a b@c.fi"));
        assert!(!looks_like_email("no at sign"));
    }

    fn found(text: &str) -> Vec<&str> {
        find_in_text(text).map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn finds_in_text() {
        assert_eq!(
            found("Lähetä osoitteeseen matti.m@example.fi. Tai <liisa+x@pörssi.fi>, kiitos."),
            vec!["matti.m@example.fi", "liisa+x@pörssi.fi"]
        );
        assert_eq!(found("'testi@example.fi'"), vec!["testi@example.fi"]);
        assert_eq!(found("mailto:testi@example.fi"), vec!["testi@example.fi"]);
        assert_eq!(found("...testi@example.fi"), vec!["testi@example.fi"]);
        assert!(found("päivi@example.fi").is_empty());
        assert!(found("a@b@example.fi").is_empty());
        assert!(found("kokous @ 12 tai foo@bar").is_empty());
        assert!(found("").is_empty());
    }
}
