//! A finding as compact JSON, written by hand: byte for byte what
//! `serde_json::to_writer` writes for it, at a fraction of the cost. The JSON
//! report of a findings-heavy register spent a tenth of its instructions in
//! serde_json's byte-at-a-time string escaping; almost no finding text needs
//! escaping, and eight bytes at a time are checked for the few that do.

use crate::finding::Finding;

/// Writes `finding` as serde_json's derive would (field order, `null` for
/// absent values, the fingerprint as 16 hex digits).
pub fn write_finding(out: &mut Vec<u8>, f: &Finding) {
    out.extend_from_slice(b"{\"rule\":");
    write_str(out, &f.rule);
    out.extend_from_slice(b",\"severity\":\"");
    out.extend_from_slice(f.severity.as_str().as_bytes());
    out.extend_from_slice(b"\",\"register\":");
    write_str(out, &f.register);
    out.extend_from_slice(b",\"file\":");
    write_str(out, &f.file);
    out.extend_from_slice(b",\"row\":");
    write_u64(out, f.row);
    out.extend_from_slice(b",\"line\":");
    match f.line {
        Some(line) => write_u64(out, line),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"record\":");
    write_opt_str(out, f.record.as_deref());
    out.extend_from_slice(b",\"column\":");
    write_opt_str(out, f.column.as_deref());
    out.extend_from_slice(b",\"message\":");
    write_str(out, &f.message);
    out.extend_from_slice(b",\"evidence\":");
    write_opt_str(out, f.evidence.as_deref());
    out.extend_from_slice(b",\"fingerprint\":\"");
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let fp = f.fingerprint.0;
    out.extend((0..16).map(|i| HEX[((fp >> (60 - 4 * i)) & 15) as usize]));
    out.extend_from_slice(b"\"}");
}

fn write_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa_u64(n, &mut [0u8; 20]));
}

fn itoa_u64(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

fn write_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => write_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string: text that needs no escaping is copied whole; otherwise
/// serde_json writes it, so escapes are exactly its own.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// Whether any byte is a control character, `"` or `\`: eight bytes at a
/// time (the usual bit tricks for "has a zero byte" and "has a byte below").
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        // Eight bytes exactly.
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        let quote = has_zero(x ^ (ONES * u64::from(b'"')));
        let backslash = has_zero(x ^ (ONES * u64::from(b'\\')));
        if below_space | quote | backslash != 0 {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Fingerprint, Severity};
    use std::borrow::Cow;
    use std::sync::Arc;

    fn finding(text: &str) -> Finding {
        Finding {
            rule: Arc::from("ID001"),
            severity: Severity::High,
            register: Arc::from(text),
            file: Arc::from("data/asiakkaat \"lokakuu\".csv"),
            row: 18_446_744_073_709_551_615,
            line: Some(0),
            record: Some(text.to_string()),
            column: None,
            message: Cow::Owned(format!("msg {text}")),
            evidence: None,
            fingerprint: Fingerprint(0x00ab_cdef_0123_4567),
            baseline_state: None,
            suppressed: None,
        }
    }

    #[test]
    fn the_same_bytes_as_serde_json() {
        let texts = [
            "",
            "plain ascii",
            "ääkköset ja 131052-***T",
            "quote \" inside",
            "back\\slash",
            "tab\there",
            "new\nline and \r and \u{1} and \u{7f} and \u{2028}",
            "exactly8",
            "exactly8\"",
            "\u{1f}1234567",
            "abcdefg\u{1f}",
        ];
        for text in texts {
            let f = finding(text);
            let mut ours = Vec::new();
            write_finding(&mut ours, &f);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&f).unwrap(),
                "{text:?}"
            );
        }
        let mut other = finding("x");
        other.line = None;
        other.row = 0;
        other.column = Some(Arc::from("lisätiedot"));
        other.evidence = Some("e\u{0}".into());
        let mut ours = Vec::new();
        write_finding(&mut ours, &other);
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string(&other).unwrap()
        );
    }

    #[test]
    fn every_byte_that_needs_escaping_is_seen_at_every_position() {
        for bad in (0u8..0x20).chain([b'"', b'\\']) {
            for pos in 0..17 {
                let mut bytes = vec![b'a'; 17];
                bytes[pos] = bad;
                assert!(needs_escape(&bytes), "{bad} at {pos}");
            }
        }
        for ok in (0x20u8..=0xff).filter(|b| *b != b'"' && *b != b'\\') {
            assert!(!needs_escape(&[ok; 17]), "{ok}");
        }
    }
}
