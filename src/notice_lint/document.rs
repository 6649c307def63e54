//! A privacy notice read into sections and sentences, each with the line it
//! starts on. Notices come as plain text (numbered or upper-case headings,
//! `1. Rekisterinpitäjä<TAB>…` label rows), Markdown (`##` headings, bold
//! lines, lists, tables) or HTML fragments (`<h2>`, `<p>`, `<ul>`, tables);
//! all become the same shape, so the checks never see markup.

use regex::Regex;
use std::sync::OnceLock;

/// One sentence (or list item, or table row) of the notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub text: String,
    /// 1-based line of the notice file where the sentence starts.
    pub line: u64,
    /// Index of its section in [`Document::sections`].
    pub section: usize,
}

/// A heading and what follows it up to the next heading. Text before the
/// first heading is a section without a heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: Option<String>,
    pub line: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Document {
    pub sections: Vec<Section>,
    pub sentences: Vec<Sentence>,
    /// The latest year among the dates the notice carries (laadittu,
    /// päivitetty, 25.5.2018 …), for the severity of outdated references.
    pub dated_year: Option<i32>,
    /// `text`, `markdown` or `html`: what the reader found.
    pub format: &'static str,
}

impl Document {
    pub fn heading(&self, sentence: &Sentence) -> Option<&str> {
        self.sections
            .get(sentence.section)
            .and_then(|s| s.heading.as_deref())
    }

    /// The sentences of sections whose heading satisfies `wanted`.
    pub fn in_sections<'a>(
        &'a self,
        wanted: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = &'a Sentence> + 'a {
        self.sentences
            .iter()
            .filter(move |s| self.heading(s).is_some_and(&wanted))
    }

    pub fn headings(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().filter_map(|s| s.heading.as_deref())
    }
}

/// A line after markup is removed: its text, its line number, and whether it
/// is a heading or a list item.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    line: u64,
    kind: PieceKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    Heading,
    Item,
    Text,
    Blank,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in pattern"))
}

pub fn parse(text: &str) -> Document {
    let text = text.trim_start_matches('\u{feff}');
    let is_html = html_tag().is_match(text);
    let is_markdown = !is_html
        && text
            .lines()
            .any(|l| l.starts_with("## ") || l.starts_with("# ") || l.starts_with("**"));
    let mut pieces = Vec::new();
    let mut in_front_matter = false;
    for (index, raw) in text.lines().enumerate() {
        let line = index as u64 + 1;
        if index == 0 && raw.trim() == "---" {
            in_front_matter = true;
            continue;
        }
        if in_front_matter {
            in_front_matter = raw.trim() != "---";
            continue;
        }
        split_line(raw, line, &mut pieces);
    }
    merge_wrapped_headings(&mut pieces);
    let mut doc = build(pieces);
    doc.dated_year = dated_year(text);
    doc.format = if is_html {
        "html"
    } else if is_markdown {
        "markdown"
    } else {
        "text"
    };
    doc
}

fn html_tag() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"(?i)</?(p|div|h[1-6]|ul|ol|li|table|tr|td|th|br|span|strong|a|section)\b[^>]*>",
    )
}

/// Turns one source line into pieces: a label row gives a heading and its
/// text; HTML block tags and `•` bullets start new pieces.
fn split_line(raw: &str, line: u64, out: &mut Vec<Piece>) {
    static LABEL_ROW: OnceLock<Regex> = OnceLock::new();
    let label_row = re(
        &LABEL_ROW,
        r"^\s*(?:<p>)?\s*(\d{1,2})\.\s+([^\t<]{2,120}?)\s*(?:</p>)?\t+(.*)$",
    );
    if let Some(c) = label_row.captures(raw) {
        out.push(Piece {
            text: format!("{}. {}", &c[1], c[2].trim()),
            line,
            kind: PieceKind::Heading,
        });
        split_markup(&c[3], line, out);
        return;
    }
    split_markup(raw, line, out);
}

fn split_markup(raw: &str, line: u64, out: &mut Vec<Piece>) {
    static HEADING_TAG: OnceLock<Regex> = OnceLock::new();
    static BLOCK: OnceLock<Regex> = OnceLock::new();
    static ANY_TAG: OnceLock<Regex> = OnceLock::new();
    let heading_tag = re(&HEADING_TAG, r"(?is)<h[1-6][^>]*>(.*?)</h[1-6]>");
    let block = re(
        &BLOCK,
        r"(?i)</?(p|div|ul|ol|li|table|tbody|thead|tr|td|th|br|section|colgroup|col)\b[^>]*/?>",
    );
    let any_tag = re(&ANY_TAG, r"(?s)<[^>]*>|<!--.*?-->");
    if !raw.contains('<') {
        push_text(raw, line, true, out);
        return;
    }
    let mut rest = raw;
    while let Some(m) = heading_tag.captures(rest) {
        let whole = m.get(0).expect("match");
        split_blocks(&rest[..whole.start()], line, block, any_tag, out);
        let heading = clean_inline(&any_tag.replace_all(&m[1], " "));
        if !heading.is_empty() {
            out.push(Piece {
                text: heading,
                line,
                kind: PieceKind::Heading,
            });
        }
        rest = &rest[whole.end()..];
    }
    split_blocks(rest, line, block, any_tag, out);
}

fn split_blocks(text: &str, line: u64, block: &Regex, any_tag: &Regex, out: &mut Vec<Piece>) {
    let had_block = block.is_match(text);
    for part in block.split(text) {
        let part = any_tag.replace_all(part, " ");
        if had_block && part.trim().is_empty() {
            continue;
        }
        // `**Tietokilta ry**<br />` is a bold line of text, not a heading.
        push_text(&part, line, !had_block, out);
    }
    if had_block {
        // A closed block ends its paragraph.
        out.push(Piece {
            text: String::new(),
            line,
            kind: PieceKind::Blank,
        });
    }
}

/// Classifies one line of text (markup already removed) and splits inline
/// `•` bullets into items. `whole_line`: the text was a line of its own, so a
/// bold line can be a heading.
fn push_text(raw: &str, line: u64, whole_line: bool, out: &mut Vec<Piece>) {
    static MD_HEADING: OnceLock<Regex> = OnceLock::new();
    static BULLET: OnceLock<Regex> = OnceLock::new();
    static TABLE_RULE: OnceLock<Regex> = OnceLock::new();
    let md_heading = re(&MD_HEADING, r"^\s*#{1,6}\s+(.*)$");
    let bullet = re(&BULLET, r"^\s*(?:[-*+•▪–]|\d{1,2}\))\s+(.*)$");
    let table_rule = re(&TABLE_RULE, r"^\s*\|?\s*:?-{3,}");
    let decoded = decode_entities(raw);
    let trimmed = decoded.trim();
    if trimmed.is_empty() || trimmed == "---" || trimmed == ":::" || trimmed.starts_with(":::") {
        out.push(Piece {
            text: String::new(),
            line,
            kind: PieceKind::Blank,
        });
        return;
    }
    if table_rule.is_match(trimmed) {
        return;
    }
    if let Some(c) = md_heading.captures(trimmed) {
        out.push(Piece {
            text: clean_inline(&c[1]),
            line,
            kind: PieceKind::Heading,
        });
        return;
    }
    if trimmed.starts_with('|') {
        let cells: Vec<String> = trimmed
            .trim_matches('|')
            .split('|')
            .map(clean_inline)
            .filter(|c| !c.is_empty())
            .collect();
        out.push(Piece {
            text: cells.join("; "),
            line,
            kind: PieceKind::Item,
        });
        return;
    }
    if trimmed.contains('•') {
        for item in trimmed.split('•') {
            let item = clean_inline(item);
            if !item.is_empty() {
                out.push(Piece {
                    text: item,
                    line,
                    kind: PieceKind::Item,
                });
            }
        }
        return;
    }
    if let Some(c) = bullet.captures(trimmed) {
        out.push(Piece {
            text: clean_inline(&c[1]),
            line,
            kind: PieceKind::Item,
        });
        return;
    }
    let bold_line =
        whole_line && trimmed.starts_with("**") && trimmed.ends_with("**") && trimmed.len() > 4;
    let text = clean_inline(trimmed);
    let bold_heading = bold_line && word_count(&text) <= 12 && !text.ends_with(':');
    let kind = if bold_heading || is_plain_heading(&text) {
        PieceKind::Heading
    } else {
        PieceKind::Text
    };
    out.push(Piece { text, line, kind });
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// `6 HENKILÖTIETOJEN SÄILYTYSAIKA`, `3. Rekisterin nimi`, `REKISTERINPITÄJÄ`:
/// short, not ending like a sentence, numbered or in capitals.
fn is_plain_heading(text: &str) -> bool {
    static NUMBERED: OnceLock<Regex> = OnceLock::new();
    let numbered = re(&NUMBERED, r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\p{Lu}");
    let words = word_count(text);
    if words == 0 || words > 14 || text.ends_with(['.', ',', ';']) {
        return false;
    }
    if numbered.is_match(text) {
        return true;
    }
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase())
}

/// Heltti's headings wrap (`4 HENKILÖTIETOJEN KÄSITTELYN TARKOITUS JA` /
/// `PERUSTE`): a capitals-only heading right after another heading line
/// continues it.
fn merge_wrapped_headings(pieces: &mut Vec<Piece>) {
    let mut merged: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces.drain(..) {
        if let Some(prev) = merged.last_mut() {
            let continues = piece.kind == PieceKind::Heading
                && prev.kind == PieceKind::Heading
                && piece.line == prev.line + 1
                && !piece.text.starts_with(|c: char| c.is_ascii_digit())
                && prev
                    .text
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
                && piece
                    .text
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase);
            if continues {
                prev.text.push(' ');
                prev.text.push_str(&piece.text);
                continue;
            }
        }
        merged.push(piece);
    }
    *pieces = merged;
}

fn clean_inline(text: &str) -> String {
    static LINK: OnceLock<Regex> = OnceLock::new();
    static EMPHASIS: OnceLock<Regex> = OnceLock::new();
    static SPACE: OnceLock<Regex> = OnceLock::new();
    let link = re(&LINK, r"\[([^\]]*)\]\([^)]*\)");
    let emphasis = re(&EMPHASIS, r"\*\*|__|`|\{\{[^}]*\}\}");
    let space = re(&SPACE, r"\s+");
    let text = link.replace_all(text, "$1");
    let text = emphasis.replace_all(&text, "");
    let text = text.replace(['<', '>'], " ");
    space.replace_all(text.trim(), " ").trim().to_string()
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace('\u{a0}', " ")
}

/// Pieces → sections and sentences. Consecutive text lines form a paragraph
/// (wrapped lines join) until a blank line, a heading or a list item.
fn build(pieces: Vec<Piece>) -> Document {
    let mut doc = Document {
        sections: vec![Section {
            heading: None,
            line: 1,
        }],
        ..Document::default()
    };
    let mut paragraph: Vec<(String, u64)> = Vec::new();
    let flush = |paragraph: &mut Vec<(String, u64)>, doc: &mut Document| {
        if paragraph.is_empty() {
            return;
        }
        let section = doc.sections.len() - 1;
        for (text, line) in split_sentences(paragraph) {
            doc.sentences.push(Sentence {
                text,
                line,
                section,
            });
        }
        paragraph.clear();
    };
    for piece in pieces {
        match piece.kind {
            PieceKind::Heading => {
                flush(&mut paragraph, &mut doc);
                doc.sections.push(Section {
                    heading: Some(piece.text),
                    line: piece.line,
                });
            }
            PieceKind::Blank => flush(&mut paragraph, &mut doc),
            PieceKind::Item => {
                flush(&mut paragraph, &mut doc);
                paragraph.push((piece.text, piece.line));
                flush(&mut paragraph, &mut doc);
            }
            PieceKind::Text => {
                let ends_sentence = paragraph
                    .last()
                    .is_some_and(|(t, _)| t.ends_with(['.', '!', '?', ':']));
                if ends_sentence && paragraph.len() > 6 {
                    flush(&mut paragraph, &mut doc);
                }
                paragraph.push((piece.text, piece.line));
            }
        }
    }
    flush(&mut paragraph, &mut doc);
    doc
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: [&str; 22] = [
    "esim", "mm", "ns", "ym", "yms", "jne", "tms", "ks", "vrt", "n", "s", "t", "ex", "bl", "a",
    "e", "g", "i", "art", "nro", "puh", "p",
];

/// Splits a paragraph into sentences, each with the line it starts on.
fn split_sentences(lines: &[(String, u64)]) -> Vec<(String, u64)> {
    let mut text = String::new();
    let mut starts: Vec<(usize, u64)> = Vec::new();
    for (part, line) in lines {
        if !text.is_empty() {
            text.push(' ');
        }
        starts.push((text.len(), *line));
        text.push_str(part);
    }
    let line_at = |offset: usize| {
        starts
            .iter()
            .rev()
            .find(|(start, _)| *start <= offset)
            .map_or(lines[0].1, |(_, line)| *line)
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, &(offset, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let after = chars.get(i + 2).map(|&(_, c)| c);
        let boundary = next.is_some_and(char::is_whitespace)
            && after.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '"');
        if !boundary || (c == '.' && is_abbreviation(&text[start..offset])) {
            continue;
        }
        let sentence = text[start..=offset].trim();
        if !sentence.is_empty() {
            sentences.push((sentence.to_string(), line_at(start)));
        }
        start = offset + c.len_utf8();
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        sentences.push((rest.to_string(), line_at(start)));
    }
    sentences
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str()) || word.chars().all(|c| c.is_ascii_digit())
}

/// The latest year among the dates written in the notice.
fn dated_year(text: &str) -> Option<i32> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let date = re(
        &DATE,
        r"\b(?:\d{1,2}\.\d{1,2}\.((?:19|20)\d{2})|((?:19|20)\d{2})-\d{2}-\d{2})\b",
    );
    date.captures_iter(text)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .filter_map(|m| m.as_str().parse().ok())
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_and_wrapped_capital_headings_become_sections() {
        let doc = parse(
            "4 HENKILÖTIETOJEN KÄSITTELYN TARKOITUS JA\nPERUSTE\n\nHenkilötietoja käsitellään \nasiakassuhteen hoitamiseen. Toinen lause.\n\n6 HENKILÖTIETOJEN SÄILYTYSAIKA\n\nTiedot säilytetään 24 kuukautta.",
        );
        let headings: Vec<&str> = doc.headings().collect();
        assert_eq!(
            headings,
            [
                "4 HENKILÖTIETOJEN KÄSITTELYN TARKOITUS JA PERUSTE",
                "6 HENKILÖTIETOJEN SÄILYTYSAIKA"
            ]
        );
        assert_eq!(
            doc.sentences[0].text,
            "Henkilötietoja käsitellään asiakassuhteen hoitamiseen."
        );
        assert_eq!(doc.sentences[0].line, 4);
        assert_eq!(doc.sentences[1].line, 5);
        assert_eq!(doc.sentences[2].line, 9);
    }

    #[test]
    fn label_rows_html_and_bullets_are_read() {
        let doc = parse("1. Rekisterinpitäjä\tHelpten Oy (y-tunnus 2104986-6)\n5. Rekisterin tietosisältö\t<p>Tietoja:</p> <ul> • nimi, ikä • henkilötunnus tai syntymäaika</ul>");
        let headings: Vec<&str> = doc.headings().collect();
        assert_eq!(
            headings,
            ["1. Rekisterinpitäjä", "5. Rekisterin tietosisältö"]
        );
        let texts: Vec<&str> = doc.sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Helpten Oy (y-tunnus 2104986-6)",
                "Tietoja:",
                "nimi, ikä",
                "henkilötunnus tai syntymäaika"
            ]
        );
        assert_eq!(doc.sentences[3].line, 2);
    }

    #[test]
    fn markdown_and_html_headings() {
        let md = parse("---\ntitle: x\n---\n# Tietosuojaseloste\n\n## **Rekisterinpitäjä**\n\nWellflix Oy  \nTekniikantie 14\n\n| a | b |\n|---|---|\n| IP | 2 years |");
        let headings: Vec<&str> = md.headings().collect();
        assert_eq!(headings, ["Tietosuojaseloste", "Rekisterinpitäjä"]);
        assert_eq!(md.sentences[0].text, "Wellflix Oy Tekniikantie 14");
        assert_eq!(md.sentences.last().unwrap().text, "IP; 2 years");
        let html = parse("<h3><a id=\"x\"></a><strong>Hur länge sparar vi?</strong></h3>\n<p>Vi sparar i 2 år. Sedan raderas de.</p>");
        assert_eq!(
            html.headings().collect::<Vec<_>>(),
            ["Hur länge sparar vi?"]
        );
        assert_eq!(html.sentences.len(), 2);
        assert_eq!(html.format, "html");
    }

    #[test]
    fn abbreviations_do_not_end_sentences_and_dates_give_the_year() {
        let doc = parse("Tietoja ovat esim. nimi ja osoite. Päivitetty 3.2.2026.");
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(doc.dated_year, Some(2026));
    }
}
