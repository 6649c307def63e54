//! The health lexicon (`rules::data::health_patterns`) as one regular
//! expression that DuckDB (RE2), Spark (Java) and Sail (the regex crate) all
//! read alike, and whose successive matches walk a text exactly as
//! `rules::data::health_word` does.
//!
//! The local search is a loop: find the leftmost decoy or health term from a
//! position; a decoy hides the rest of the word it ends in and the search goes
//! on after it (on the edge character it ended on, if it ended on one), a
//! health term is the answer. An engine has no such loop and no look-around,
//! but it does take successive leftmost matches (`regexp_extract_all`), so the
//! loop is folded into one token that starts on an edge character:
//!
//! ```text
//! EDGE (?: DECOY₁ SKIP₁ | DECOY₂ SKIP₂ | … )* (HEALTH)?
//! ```
//!
//! A decoy that ends inside a word skips to the word's end and takes the edge
//! character after it (`SKIP`); one that ends on an edge character has taken
//! it already. Either way the next decoy or the health term is tried right
//! there, in the local order (decoys before terms, each list in order), so a
//! chain of decoys is one token and the first token that captures group 1 is
//! the local answer. The text is searched with a space before it, which stands
//! for the start of the text as an edge.
//!
//! Case-insensitivity is written out: every letter becomes the class of the
//! letters the regex crate folds it with (`k` is `[kKK]`), so no engine's own
//! case rules apply. `\s` is written as Unicode white space, `$` as `\z`.
//! A pattern outside what can be written so (a `.`, `\b`, `\w`, a look-around,
//! other flags, or a decoy that may end either inside a word or on its edge)
//! is refused with its reason, and CAT002 then stays with `regaudit scan`.

use super::dialect::{Engine, WHITE_SPACE};
use crate::rules::data::{health_patterns, HealthPatterns};
use regex_syntax::ast::{self, Ast};
use regex_syntax::hir::{self, ClassUnicode, ClassUnicodeRange};
use std::fmt::Write;
use std::sync::OnceLock;

/// Letters and digits as the lexicon's own patterns write a word edge.
const WORD: &str = r"\p{L}\p{N}";

/// A word edge as the lexicon reads one: no letter or digit, case folded.
fn edge_class() -> Result<String, String> {
    Ok(translate(&format!("[^{WORD}]"))?.text)
}

/// The pattern whose group 1, in the first match that has it, is the health
/// term `health_word` finds, widened to whole words (trim the characters that
/// are no letter or digit off its ends). Search `' ' || text` with it.
pub fn health_pattern(e: Engine) -> Result<String, String> {
    static DUCKDB: OnceLock<Result<String, String>> = OnceLock::new();
    static SPARK: OnceLock<Result<String, String>> = OnceLock::new();
    let cell = match e {
        Engine::Duckdb => &DUCKDB,
        Engine::Spark => &SPARK,
    };
    cell.get_or_init(|| write_out(e)).clone()
}

fn write_out(e: Engine) -> Result<String, String> {
    let HealthPatterns {
        decoys,
        at_edge,
        heads,
    } = health_patterns();
    // Word ends as `health_word` finds them (`char::is_alphanumeric`).
    let alnum = e.alnum();
    let edge = edge_class()?;
    let skip = |ending: Ending| match ending {
        Ending::InWord => format!(r"[{alnum}]*(?:{edge}|\z)"),
        Ending::OnEdge => String::new(),
    };
    let widen = |ending: Ending| match ending {
        Ending::InWord => format!("[{alnum}]*"),
        Ending::OnEdge => String::new(),
    };
    let body = decoys
        .iter()
        .map(|decoy| followed_by(decoy, &skip))
        .collect::<Result<Vec<_>, _>>()?;
    let mut health = at_edge
        .iter()
        .map(|term| followed_by(term, &widen))
        .collect::<Result<Vec<_>, _>>()?;
    health.push(format!("[{alnum}]*?{}", followed_by(&heads, &widen)?));
    Ok(format!(
        "{edge}(?:{})*({})?",
        body.join("|"),
        health.join("|")
    ))
}

/// How every match of a pattern ends: on a letter or digit, or on a character
/// that is neither (or at the end of the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    InWord,
    OnEdge,
}

/// A pattern written out portably, with what its matches can end on.
struct Piece {
    text: String,
    ends: Ends,
    /// Whether it can match the empty string (then what precedes it may end a match).
    nullable: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct Ends {
    word: bool,
    edge: bool,
}

impl Ends {
    fn or(self, other: Ends) -> Ends {
        Ends {
            word: self.word || other.word,
            edge: self.edge || other.edge,
        }
    }
}

impl Piece {
    fn ending(&self) -> Result<Ending, String> {
        if self.nullable {
            return Err(format!("`{}` can match empty text", self.text));
        }
        match (self.ends.word, self.ends.edge) {
            (true, false) => Ok(Ending::InWord),
            (false, true) => Ok(Ending::OnEdge),
            _ => Err(format!(
                "a match of `{}` may end either inside a word or on its edge, so where the \
                 search goes on after it cannot be written without look-around",
                self.text
            )),
        }
    }
}

/// `pattern` written out with `then(ending)` after each of its matches: after
/// the whole pattern when all its matches end alike, else after each branch
/// of its last alternation ("sair." ends on an edge, the other stems inside a
/// word). The tail always matches, so it changes no branch's choice.
fn followed_by(pattern: &str, then: &dyn Fn(Ending) -> String) -> Result<String, String> {
    let ast = ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|err| format!("pattern `{pattern}` does not parse: {err}"))?;
    Translator
        .followed_by(&ast, true, then)
        .map_err(|why| format!("the lexicon pattern `{pattern}` {why}, which has no portable form"))
}

/// `pattern`, read as the lexicon reads it (case-insensitive), written out.
fn translate(pattern: &str) -> Result<Piece, String> {
    let ast = ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|err| format!("pattern `{pattern}` does not parse: {err}"))?;
    Translator
        .piece(&ast, true)
        .map_err(|why| format!("the lexicon pattern `{pattern}` {why}, which has no portable form"))
}

struct Translator;

impl Translator {
    fn followed_by(
        &self,
        ast: &Ast,
        ci: bool,
        then: &dyn Fn(Ending) -> String,
    ) -> Result<String, String> {
        let piece = self.piece(ast, ci)?;
        let why = match piece.ending() {
            Ok(ending) => return Ok(format!("(?:{}){}", piece.text, then(ending))),
            Err(why) => why,
        };
        match ast {
            Ast::Alternation(alt) => {
                // Neighbouring branches that end alike share one tail: a tail
                // per branch would copy its letter class hundreds of times.
                let mut runs: Vec<(Option<Ending>, Vec<String>)> = Vec::new();
                for a in &alt.asts {
                    let branch = self.piece(a, ci)?;
                    match branch.ending() {
                        Ok(ending) => match runs.last_mut() {
                            Some((Some(last), texts)) if *last == ending => texts.push(branch.text),
                            _ => runs.push((Some(ending), vec![branch.text])),
                        },
                        Err(_) => runs.push((None, vec![self.followed_by(a, ci, then)?])),
                    }
                }
                let runs: Vec<String> = runs
                    .into_iter()
                    .map(|(ending, texts)| match ending {
                        Some(ending) => format!("(?:{}){}", texts.join("|"), then(ending)),
                        None => texts.concat(),
                    })
                    .collect();
                Ok(format!("(?:{})", runs.join("|")))
            }
            Ast::Group(group) => {
                let ci = match &group.kind {
                    ast::GroupKind::NonCapturing(flags) => case_flag(flags, ci)?,
                    _ => ci,
                };
                self.followed_by(&group.ast, ci, then)
            }
            Ast::Concat(concat) if !piece.nullable => {
                let (last, init) = concat.asts.split_last().expect("a concatenation");
                if self.piece(last, ci)?.nullable {
                    return Err(why);
                }
                let mut text = String::new();
                for a in init {
                    text.push_str(&self.piece(a, ci)?.text);
                }
                Ok(format!("(?:{text}{})", self.followed_by(last, ci, then)?))
            }
            _ => Err(why),
        }
    }

    fn piece(&self, ast: &Ast, ci: bool) -> Result<Piece, String> {
        Ok(match ast {
            Ast::Empty(_) => Piece {
                text: String::new(),
                ends: Ends::default(),
                nullable: true,
            },
            Ast::Literal(lit) => {
                let class = folded(&[ClassUnicodeRange::new(lit.c, lit.c)], ci);
                atom(class_text(&class, false), &class)
            }
            Ast::ClassUnicode(class) => {
                let text = format!("[{}]", unicode_items(class, ci)?);
                atom(text, &hir_class(&ast.to_string(), ci)?)
            }
            Ast::ClassPerl(class) => match class.kind {
                ast::ClassPerlKind::Space => {
                    let neg = if class.negated { "^" } else { "" };
                    atom(
                        format!("[{neg}{WHITE_SPACE}]"),
                        &hir_class(&ast.to_string(), ci)?,
                    )
                }
                _ => {
                    return Err(format!(
                        "uses `{ast}` (ASCII in one engine, Unicode in another)"
                    ))
                }
            },
            Ast::ClassBracketed(class) => {
                let text = bracketed(class, ci)?;
                atom(text, &hir_class(&ast.to_string(), ci)?)
            }
            Ast::Assertion(assertion) => match assertion.kind {
                ast::AssertionKind::EndLine | ast::AssertionKind::EndText => Piece {
                    text: r"\z".into(),
                    // The end of the text ends a word as an edge does.
                    ends: Ends {
                        word: false,
                        edge: true,
                    },
                    nullable: false,
                },
                _ => return Err(format!("uses the assertion `{ast}`")),
            },
            Ast::Repetition(rep) => {
                let inner = self.piece(&rep.ast, ci)?;
                let (op, min_zero) = match &rep.op.kind {
                    ast::RepetitionKind::ZeroOrOne => ("?".to_string(), true),
                    ast::RepetitionKind::ZeroOrMore => ("*".to_string(), true),
                    ast::RepetitionKind::OneOrMore => ("+".to_string(), false),
                    ast::RepetitionKind::Range(range) => match *range {
                        ast::RepetitionRange::Exactly(n) => (format!("{{{n}}}"), n == 0),
                        ast::RepetitionRange::AtLeast(n) => (format!("{{{n},}}"), n == 0),
                        ast::RepetitionRange::Bounded(m, n) => (format!("{{{m},{n}}}"), m == 0),
                    },
                };
                let lazy = if rep.greedy { "" } else { "?" };
                Piece {
                    text: format!("(?:{}){op}{lazy}", inner.text),
                    ends: inner.ends,
                    nullable: min_zero || inner.nullable,
                }
            }
            Ast::Group(group) => {
                let ci = match &group.kind {
                    ast::GroupKind::NonCapturing(flags) => case_flag(flags, ci)?,
                    _ => ci,
                };
                let inner = self.piece(&group.ast, ci)?;
                Piece {
                    text: format!("(?:{})", inner.text),
                    ..inner
                }
            }
            Ast::Alternation(alt) => {
                let pieces = alt
                    .asts
                    .iter()
                    .map(|a| self.piece(a, ci))
                    .collect::<Result<Vec<_>, _>>()?;
                Piece {
                    text: pieces
                        .iter()
                        .map(|p| p.text.as_str())
                        .collect::<Vec<_>>()
                        .join("|"),
                    ends: pieces.iter().fold(Ends::default(), |a, p| a.or(p.ends)),
                    nullable: pieces.iter().any(|p| p.nullable),
                }
            }
            Ast::Concat(concat) => {
                let mut whole = Piece {
                    text: String::new(),
                    ends: Ends::default(),
                    nullable: true,
                };
                for a in &concat.asts {
                    let p = self.piece(a, ci)?;
                    whole.text.push_str(&p.text);
                    whole.ends = if p.nullable {
                        whole.ends.or(p.ends)
                    } else {
                        p.ends
                    };
                    whole.nullable &= p.nullable;
                }
                whole
            }
            Ast::Flags(_) => return Err(format!("sets flags with `{ast}`")),
            Ast::Dot(_) => {
                return Err("uses `.` (engines differ on which line breaks it skips)".into())
            }
        })
    }
}

/// A single-character piece, with what it ends on from its class.
fn atom(text: String, class: &ClassUnicode) -> Piece {
    let mut word = word_class().clone();
    word.intersect(class);
    let mut edge = word_class().clone();
    edge.negate();
    edge.intersect(class);
    Piece {
        text,
        ends: Ends {
            word: !word.ranges().is_empty(),
            edge: !edge.ranges().is_empty(),
        },
        nullable: false,
    }
}

/// Letters and digits as the lexicon's case-insensitive patterns see them.
fn word_class() -> &'static ClassUnicode {
    static WORD_CLASS: OnceLock<ClassUnicode> = OnceLock::new();
    WORD_CLASS.get_or_init(|| hir_class(&format!("[{WORD}]"), true).expect("the word class parses"))
}

/// The characters `class_pattern` (one class or character) matches.
fn hir_class(class_pattern: &str, ci: bool) -> Result<ClassUnicode, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(ci)
        .build()
        .parse(class_pattern)
        .map_err(|err| format!("has `{class_pattern}`, which does not parse: {err}"))?;
    match hir.kind() {
        hir::HirKind::Class(hir::Class::Unicode(class)) => Ok(class.clone()),
        hir::HirKind::Literal(hir::Literal(bytes)) => {
            let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
            let c = text.chars().next().ok_or("an empty literal")?;
            Ok(ClassUnicode::new([ClassUnicodeRange::new(c, c)]))
        }
        _ => Err(format!("has `{class_pattern}`, which is no single class")),
    }
}

/// `ranges`, with the letters the regex crate folds them with when `ci`.
fn folded(ranges: &[ClassUnicodeRange], ci: bool) -> ClassUnicode {
    let mut class = ClassUnicode::new(ranges.iter().copied());
    if ci {
        class.case_fold_simple();
    }
    class
}

/// A class's characters as the items of a bracketed class (no brackets).
fn class_items(class: &ClassUnicode) -> String {
    let mut out = String::new();
    for r in class.ranges() {
        out.push_str(&char_text(r.start()));
        if r.end() != r.start() {
            out.push('-');
            out.push_str(&char_text(r.end()));
        }
    }
    out
}

/// One character, or a bracketed class of several.
fn class_text(class: &ClassUnicode, negated: bool) -> String {
    let ranges = class.ranges();
    if !negated && ranges.len() == 1 && ranges[0].start() == ranges[0].end() {
        char_text(ranges[0].start())
    } else {
        format!("[{}{}]", if negated { "^" } else { "" }, class_items(class))
    }
}

/// ASCII letters and digits as they are, every other character as `\x{…}`,
/// which all three engines read the same inside and outside classes.
fn char_text(c: char) -> String {
    if c.is_ascii_alphanumeric() {
        c.to_string()
    } else {
        let mut s = String::new();
        write!(s, r"\x{{{:X}}}", c as u32).expect("writing to a String");
        s
    }
}

/// A Unicode class's items by name: `\p{L}` and `\p{N}` (the engines' tables
/// of them are the same but for the newest Unicode letters), `\p{Lu}` and
/// `\p{Ll}` only where case matters. Folding a class under case-insensitivity
/// adds the few characters that fold into it from outside (`\p{L}` gains
/// U+0345, which folds to `ι`), so these are written after the name.
fn unicode_items(class: &ast::ClassUnicode, ci: bool) -> Result<String, String> {
    let name = match &class.kind {
        ast::ClassUnicodeKind::OneLetter(c) => c.to_string(),
        ast::ClassUnicodeKind::Named(name) => name.clone(),
        ast::ClassUnicodeKind::NamedValue { .. } => {
            return Err(format!("uses the property `{class:?}`"))
        }
    };
    let keep = match name.as_str() {
        "L" | "N" => true,
        "Lu" | "Ll" => !ci,
        _ => false,
    };
    if !keep || class.negated {
        return Err(format!(
            "uses the class `{}`",
            ast::Ast::ClassUnicode(Box::new(class.clone()))
        ));
    }
    let named = format!(r"\p{{{name}}}");
    let mut items = named.clone();
    if ci {
        let mut extra = hir_class(&named, true)?;
        extra.difference(&hir_class(&named, false)?);
        items.push_str(&class_items(&extra));
    }
    Ok(items)
}

fn bracketed(class: &ast::ClassBracketed, ci: bool) -> Result<String, String> {
    let items = match &class.kind {
        ast::ClassSet::Item(ast::ClassSetItem::Union(union)) => union.items.iter().collect(),
        ast::ClassSet::Item(item) => vec![item],
        ast::ClassSet::BinaryOp(_) => return Err("uses a class operation (`&&`, `--`)".into()),
    };
    let mut out = String::from(if class.negated { "[^" } else { "[" });
    for item in items {
        match item {
            ast::ClassSetItem::Literal(lit) => {
                out.push_str(&class_items(&folded(
                    &[ClassUnicodeRange::new(lit.c, lit.c)],
                    ci,
                )));
            }
            ast::ClassSetItem::Range(range) => {
                out.push_str(&class_items(&folded(
                    &[ClassUnicodeRange::new(range.start.c, range.end.c)],
                    ci,
                )));
            }
            ast::ClassSetItem::Unicode(u) => out.push_str(&unicode_items(u, ci)?),
            ast::ClassSetItem::Perl(perl) if perl.kind == ast::ClassPerlKind::Space => {
                if perl.negated {
                    return Err(r"uses `\S` inside a class".into());
                }
                out.push_str(WHITE_SPACE);
            }
            other => return Err(format!("has the class item `{other:?}`")),
        }
    }
    out.push(']');
    Ok(out)
}

/// The case-insensitivity inside a `(?flags:…)` group; other flags are refused.
fn case_flag(flags: &ast::Flags, mut ci: bool) -> Result<bool, String> {
    let mut negate = false;
    for item in &flags.items {
        match &item.kind {
            ast::FlagsItemKind::Negation => negate = true,
            ast::FlagsItemKind::Flag(ast::Flag::CaseInsensitive) => ci = !negate,
            ast::FlagsItemKind::Flag(flag) => return Err(format!("sets the flag {flag:?}")),
        }
    }
    Ok(ci)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_become_their_case_classes_and_white_space_is_written_out() {
        let piece = translate(r"sick\s+of").unwrap();
        assert_eq!(
            piece.text,
            format!(r"[Ss\x{{17F}}][Ii][Cc][Kk\x{{212A}}](?:[{WHITE_SPACE}])+[Oo][Ff]")
        );
        assert_eq!(piece.ending(), Ok(Ending::InWord));
    }

    #[test]
    fn a_trailing_edge_class_or_the_end_ends_on_an_edge() {
        let piece = translate(r"katu(?:$|[^\p{L}\p{N}])").unwrap();
        assert_eq!(piece.ending(), Ok(Ending::OnEdge));
        assert!(
            piece.text.ends_with(r"(?:\z|[^\p{L}\x{345}\p{N}])"),
            "{}",
            piece.text
        );
    }

    #[test]
    fn case_stays_where_the_pattern_turns_it_off() {
        let piece = translate(r"ms\s+(?-i:\p{Lu})").unwrap();
        assert!(piece.text.ends_with(r"(?:[\p{Lu}])"), "{}", piece.text);
        assert_eq!(piece.ending(), Ok(Ending::InWord));
    }

    #[test]
    fn a_decoy_that_may_end_either_way_is_refused() {
        let piece = translate(r"tie(?:n|\s)").unwrap();
        assert!(piece.ending().is_err());
        let then = |ending: Ending| format!("<{ending:?}>");
        assert_eq!(
            followed_by(r"tie(?:n|\s)", &then).unwrap(),
            r"(?:[Tt][Ii][Ee](?:(?:[Nn])<InWord>|(?:[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}])<OnEdge>))"
        );
        assert!(followed_by(r"tie(?:n|\s)?", &then).is_err());
        assert!(translate(r"\bms\b").is_err());
        assert!(translate(r"a.b").is_err());
        assert!(translate(r"\w+").is_err());
    }

    /// The term the engines find: group 1 of the first match that has it,
    /// over the text with a space before it, cut to its words. The regex
    /// crate stands in for the engines here (it is Sail's); the differential
    /// test runs DuckDB and Spark.
    fn engine_word(re: &regex::Regex, text: &str) -> Option<String> {
        let spaced = format!(" {text}");
        let m = re
            .captures_iter(&spaced)
            .find_map(|c| c.get(1).map(|m| m.as_str().to_string()))?;
        let edge = |c: char| !c.is_alphanumeric();
        Some(m.trim_matches(edge).to_string())
    }

    fn assert_same_as_local(texts: impl IntoIterator<Item = String>) -> usize {
        let patterns: Vec<regex::Regex> = [Engine::Duckdb, Engine::Spark]
            .iter()
            .map(|&e| regex::Regex::new(&health_pattern(e).unwrap()).unwrap())
            .collect();
        let mut found = 0;
        for text in texts {
            let local = crate::rules::data::health_word(&text).map(str::to_string);
            found += usize::from(local.is_some());
            for re in &patterns {
                assert_eq!(engine_word(re, &text), local, "on {text:?}");
            }
        }
        found
    }

    #[test]
    fn the_written_out_lexicon_finds_what_the_local_search_finds() {
        let mut reader = csv::Reader::from_path(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lexicon/notes.csv"),
        )
        .unwrap();
        let notes: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[4].to_string())
            .collect();
        let found = assert_same_as_local(notes);
        assert!(found > 150, "the corpus has health notes: {found}");
    }

    #[test]
    fn decoy_chains_case_and_edges_walk_as_locally() {
        let texts = [
            "Sairaalakatu diabeetikko",
            "Sairaalakatu Kuntoutujantie astma",
            "Sjukhusvägen 12, diabetiker",
            "MS Teams; har MS",
            "MS Teams MS",
            "Hiusten leikkaus + värjäys, polvileikkaus",
            "Allergiaystävällinen tyyny; allergia",
            "diabetes",
            "DIABETES.",
            "Ms",
            "x-ms-",
            "Lääkärikeskus Aava Oy: astma",
            "Astmaliitto astma",
            "koiran allergia ja kissan allergia",
            "ſick leave",
            "SICK LEAVE",
            "\u{a0}diabetes\u{a0}",
            "Kuntoutujantie",
            "is a doctor, doctor",
            "Sick of waiting, sick",
            "Ruoka-aineallergia",
            "Olkapää kipu vaivaa",
            "",
            " ",
        ];
        assert_same_as_local(texts.iter().map(|t| t.to_string()));
    }

    /// Texts glued from lexicon words, decoys and separators at random, so
    /// that decoys follow decoys and terms sit next to them in ways no one chose.
    #[test]
    fn random_texts_walk_as_locally() {
        let pieces = [
            "astma",
            "Sairaalakatu",
            "MS",
            "Teams",
            "allergia",
            "Allergiaystävällinen",
            "tyyny",
            "sick",
            "of",
            "waiting",
            "leave",
            "polvi",
            "leikkaus",
            "hiusten",
            "Oy",
            "Lääkärikeskus",
            "Aava",
            "koiran",
            "diabetes",
            "Sjukhusvägen",
            "12",
            "sjukt",
            "bra",
            "sjuk",
            "doctor",
            "is",
            "a",
            "Road",
            "Hospital",
            "ä",
            "Ä",
            "kipu",
            "Olkapää",
            "heart",
            "attack",
            "Astmaliitto",
            "seura",
            "Mielenterveysseura",
            "cabin",
            "fever",
            "KIPSISSÄ",
            "ſick",
            "K",
        ];
        let separators = [
            " ", " ", " ", ", ", "-", ". ", "\u{a0}", "", "; ", " - ", "\n", "/",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let texts: Vec<String> = (0..3000)
            .map(|_| {
                let mut t = String::new();
                for _ in 0..1 + next(6) {
                    t.push_str(pieces[next(pieces.len())]);
                    t.push_str(separators[next(separators.len())]);
                }
                t
            })
            .collect();
        let found = assert_same_as_local(texts);
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn the_lexicon_translates_for_both_engines() {
        for e in [Engine::Duckdb, Engine::Spark] {
            let pattern = health_pattern(e).unwrap();
            assert!(regex::Regex::new(&pattern).is_ok(), "{e:?}");
        }
    }
}
