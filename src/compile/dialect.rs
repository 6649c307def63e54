//! What differs between the engines the rule set compiles to: string
//! literals, identifiers, regular expressions, lambdas and how a list becomes
//! rows. Everything else is one portable SQL subset, written once.

use serde::{Deserialize, Serialize};

/// An engine a plan is compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// DuckDB (RE2 regular expressions).
    Duckdb,
    /// Spark SQL, local or over Spark Connect (Java regular expressions).
    Spark,
}

/// Unicode White_Space, as Rust's `str::trim` and `split_whitespace` use it.
/// Written out because `\s` means ASCII only in RE2 and in Java.
pub const WHITE_SPACE: &str =
    r"\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}";

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Duckdb => "duckdb",
            Engine::Spark => "spark",
        }
    }

    /// A string literal. Spark's parser treats a backslash as an escape, DuckDB's does not.
    pub fn lit(self, s: &str) -> String {
        match self {
            Engine::Duckdb => format!("'{}'", s.replace('\'', "''")),
            Engine::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        }
    }

    /// A quoted identifier.
    pub fn ident(self, s: &str) -> String {
        match self {
            Engine::Duckdb => format!("\"{}\"", s.replace('"', "\"\"")),
            Engine::Spark => format!("`{}`", s.replace('`', "``")),
        }
    }

    /// The class of characters the local engine counts as alphanumeric
    /// (`char::is_alphanumeric`: Alphabetic or Numeric), for word boundaries.
    /// RE2 has no Alphabetic property: letters stand in for it there, which
    /// leaves out only the rare Other_Alphabetic marks (documented).
    pub fn alnum(self) -> &'static str {
        match self {
            Engine::Duckdb => r"\p{L}\p{N}",
            Engine::Spark => r"\p{IsAlphabetic}\p{N}",
        }
    }

    /// `text` partly matches `pattern` (anchor with `\A` and `\z` for a full match).
    pub fn matches(self, text: &str, pattern: &str) -> String {
        match self {
            Engine::Duckdb => format!("regexp_matches({text}, {})", self.lit(pattern)),
            Engine::Spark => format!("({text} RLIKE {})", self.lit(pattern)),
        }
    }

    /// Every match of `pattern` in `text` replaced; `$1`/`\1` is written `{1}` here.
    pub fn replace_all(self, text: &str, pattern: &str, replacement: &str) -> String {
        match self {
            Engine::Duckdb => format!(
                "regexp_replace({text}, {}, {}, 'g')",
                self.lit(pattern),
                self.lit(&replacement.replace("{1}", r"\1"))
            ),
            Engine::Spark => format!(
                "regexp_replace({text}, {}, {})",
                self.lit(pattern),
                self.lit(&replacement.replace("{1}", "$1"))
            ),
        }
    }

    /// Group `group` of every match of `pattern` in `text`, as a list.
    pub fn extract_all(self, text: &str, pattern: &str, group: u32) -> String {
        format!("regexp_extract_all({text}, {}, {group})", self.lit(pattern))
    }

    /// The list `list` with `body` (over the variable `x`) applied to each element.
    pub fn transform(self, list: &str, body: &str) -> String {
        match self {
            Engine::Duckdb => format!("list_transform({list}, lambda x: {body})"),
            Engine::Spark => format!("transform({list}, x -> {body})"),
        }
    }

    /// The elements of `list` for which `body` (over `x`) holds.
    pub fn filter(self, list: &str, body: &str) -> String {
        match self {
            Engine::Duckdb => format!("list_filter({list}, lambda x: {body})"),
            Engine::Spark => format!("filter({list}, x -> {body})"),
        }
    }

    /// The first element of `list`, or NULL when it is empty (also with ANSI mode on).
    pub fn first(self, list: &str) -> String {
        match self {
            Engine::Duckdb => format!("({list})[1]"),
            Engine::Spark => format!("try_element_at({list}, 1)"),
        }
    }

    /// Whether `body` (over `x`) holds for an element of `list` (NULL for a NULL list).
    pub fn any(self, list: &str, body: &str) -> String {
        match self {
            Engine::Duckdb => format!("(len(list_filter({list}, lambda x: {body})) > 0)"),
            Engine::Spark => format!("exists({list}, x -> {body})"),
        }
    }

    /// Select-list items that turn the list `list` into one row per element:
    /// the element as `item`, its 0-based position as `pos`.
    pub fn explode(self, list: &str) -> String {
        match self {
            Engine::Duckdb => {
                format!("unnest({list}) AS item, generate_subscripts({list}, 1) - 1 AS pos")
            }
            Engine::Spark => format!("posexplode({list}) AS (pos, item)"),
        }
    }

    /// `text` split at every match of `pattern`, as a list (empty pieces kept).
    pub fn split(self, text: &str, pattern: &str) -> String {
        match self {
            Engine::Duckdb => format!("regexp_split_to_array({text}, {})", self.lit(pattern)),
            Engine::Spark => format!("split({text}, {}, -1)", self.lit(pattern)),
        }
    }

    /// Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
    pub fn sha256(self, text: &str) -> String {
        match self {
            Engine::Duckdb => format!("sha256({text})"),
            Engine::Spark => format!("sha2({text}, 256)"),
        }
    }

    /// Whole-number division of non-negative `a` by `b` (DuckDB's `/` gives a float).
    pub fn idiv(self, a: &str, b: &str) -> String {
        match self {
            Engine::Duckdb => format!("(({a}) // ({b}))"),
            Engine::Spark => format!("(({a}) div ({b}))"),
        }
    }

    /// The date `days` days after the date `date`.
    pub fn add_days(self, date: &str, days: &str) -> String {
        match self {
            Engine::Duckdb => format!("CAST({date} + ({days}) AS DATE)"),
            Engine::Spark => format!("date_add({date}, {days})"),
        }
    }

    /// Whole days from the date `from` to the date `to`.
    pub fn days_between(self, from: &str, to: &str) -> String {
        match self {
            Engine::Duckdb => format!("date_diff('day', {from}, {to})"),
            Engine::Spark => format!("datediff({to}, {from})"),
        }
    }

    /// The type of text columns.
    pub fn text_type(self) -> &'static str {
        match self {
            Engine::Duckdb => "VARCHAR",
            Engine::Spark => "STRING",
        }
    }
}

/// Lists walked by position, bytes and groups in replacements: what the
/// masks of free text and the validators of ACC001 need (`masks`, `validators`).
impl Engine {
    /// The class of characters the local engine counts as alphabetic
    /// (`char::is_alphabetic`). RE2 has no Alphabetic property: letters and
    /// letter numbers stand in for it, as in `alnum`.
    pub fn alpha(self) -> &'static str {
        match self {
            Engine::Duckdb => r"\p{L}\p{Nl}",
            Engine::Spark => r"\p{IsAlphabetic}",
        }
    }

    /// The length of `text` in UTF-8 bytes (`str::len`).
    pub fn octets(self, text: &str) -> String {
        match self {
            Engine::Duckdb => format!("strlen({text})"),
            Engine::Spark => format!("octet_length({text})"),
        }
    }

    /// Like `replace_all`, with groups `{1}` to `{9}` in the replacement. A
    /// group must not be followed by a letter, digit or `_`: Sail (the regex
    /// crate's syntax) reads `$1x` as the group named `1x`.
    pub fn replace_groups(self, text: &str, pattern: &str, replacement: &str) -> String {
        debug_assert!(
            !regex::Regex::new(r"\{[1-9]\}[A-Za-z0-9_]")
                .unwrap()
                .is_match(replacement),
            "{replacement}"
        );
        let mut written = replacement.to_string();
        for n in 1..=9 {
            let group = match self {
                Engine::Duckdb => format!(r"\{n}"),
                Engine::Spark => format!("${n}"),
            };
            written = written.replace(&format!("{{{n}}}"), &group);
        }
        match self {
            Engine::Duckdb => format!(
                "regexp_replace({text}, {}, {}, 'g')",
                self.lit(pattern),
                self.lit(&written)
            ),
            Engine::Spark => format!(
                "regexp_replace({text}, {}, {})",
                self.lit(pattern),
                self.lit(&written)
            ),
        }
    }

    /// The list `list` with `body` (over the variable `var`) applied to each
    /// element; a variable of its own lets one lambda sit inside another.
    pub fn transform_as(self, list: &str, var: &str, body: &str) -> String {
        match self {
            Engine::Duckdb => format!("list_transform({list}, lambda {var}: {body})"),
            Engine::Spark => format!("transform({list}, {var} -> {body})"),
        }
    }

    /// Whether `body` (over `var`) holds for an element of `list`.
    pub fn any_as(self, list: &str, var: &str, body: &str) -> String {
        match self {
            Engine::Duckdb => format!("(len(list_filter({list}, lambda {var}: {body})) > 0)"),
            Engine::Spark => format!("exists({list}, {var} -> {body})"),
        }
    }

    /// The whole numbers `1..=n` as a list; `n` must be at least 1 (Spark
    /// counts down from 1 to a smaller `n`).
    pub fn one_to(self, n: &str) -> String {
        match self {
            Engine::Duckdb => format!("generate_series(1, {n})"),
            Engine::Spark => format!("sequence(1, {n})"),
        }
    }

    /// Element `i` (from 1, within the list) of `list`.
    pub fn element(self, list: &str, i: &str) -> String {
        match self {
            Engine::Duckdb => format!("list_extract({list}, {i})"),
            Engine::Spark => format!("element_at({list}, {i})"),
        }
    }

    /// The number of elements of `list`.
    pub fn size(self, list: &str) -> String {
        match self {
            Engine::Duckdb => format!("len({list})"),
            Engine::Spark => format!("size({list})"),
        }
    }

    /// The text elements of `list` joined with `separator` (a SQL literal).
    pub fn join(self, list: &str, separator: &str) -> String {
        match self {
            Engine::Duckdb => format!("array_to_string({list}, {separator})"),
            Engine::Spark => format!("array_join({list}, {separator})"),
        }
    }
}
