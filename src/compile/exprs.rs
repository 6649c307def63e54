//! SQL expressions that do what the local detectors and masks do
//! (`detect::hetu`, `mask`), written with the engine's built-in functions
//! only: no UDF, so they run the same in DuckDB, Spark and over Spark Connect.
//! Every function takes the SQL text of its argument and returns SQL text.

use super::dialect::{Engine, WHITE_SPACE};

/// The identity-code shape: six digits, a century sign (the 2023 signs too),
/// three digits and one alphanumeric control character, in any case.
const HETU_SHAPE: &str = r"[0-9]{6}[-+A-Fa-fU-Yu-y][0-9]{3}[0-9A-Za-z]";
/// The control-character table: `DDMMYYZZZ mod 31` indexes it.
const CONTROL: &str = "0123456789ABCDEFHJKLMNPRSTUVWXY";

/// A cell as the local reader gives it: trimmed of Unicode white space, blank as NULL.
pub fn cell(e: Engine, column: &str) -> String {
    let text = format!("CAST({column} AS {})", e.text_type());
    let trimmed = e.replace_all(
        &text,
        &format!(r"\A[{WHITE_SPACE}]+|[{WHITE_SPACE}]+\z"),
        "",
    );
    format!("NULLIF({trimmed}, '')")
}

fn int(e: Engine, text: &str) -> String {
    let _ = e;
    format!("TRY_CAST({text} AS BIGINT)")
}

/// Whether `v` has the identity-code shape (the whole value).
pub fn hetu_shaped(e: Engine, v: &str) -> String {
    e.matches(v, &format!(r"\A{HETU_SHAPE}\z"))
}

/// The validation status of a whole value, as `detect::hetu::validate` names
/// it: `valid`, `valid_temporary`, `bad_format`, `bad_date`, `bad_individual`
/// or `bad_checksum`. The date is checked with the calendar written out (the
/// century from the sign, leap years), not with an engine's date parser.
pub fn hetu_status(e: Engine, v: &str) -> String {
    let dd = int(e, &format!("substr({v}, 1, 2)"));
    let mm = int(e, &format!("substr({v}, 3, 2)"));
    let sign = format!("upper(substr({v}, 7, 1))");
    let year = format!(
        "(CASE WHEN {sign} = '+' THEN 1800 WHEN {sign} IN ('A', 'B', 'C', 'D', 'E', 'F') THEN 2000 ELSE 1900 END + {})",
        int(e, &format!("substr({v}, 5, 2)"))
    );
    let leap = format!("(({year} % 4 = 0 AND {year} % 100 <> 0) OR {year} % 400 = 0)");
    let month_days = format!(
        "CASE WHEN {mm} = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END WHEN {mm} IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    );
    let individual = int(e, &format!("substr({v}, 8, 3)"));
    let number = int(e, &format!("substr({v}, 1, 6) || substr({v}, 8, 3)"));
    let control = format!("substr('{CONTROL}', CAST({number} % 31 AS INT) + 1, 1)");
    format!(
        "CASE WHEN NOT {shape} THEN 'bad_format' \
         WHEN NOT ({mm} BETWEEN 1 AND 12 AND {dd} >= 1 AND {dd} <= {month_days}) THEN 'bad_date' \
         WHEN {individual} < 2 THEN 'bad_individual' \
         WHEN upper(substr({v}, 11, 1)) <> {control} THEN 'bad_checksum' \
         WHEN {individual} >= 900 THEN 'valid_temporary' ELSE 'valid' END",
        shape = hetu_shaped(e, v),
    )
}

/// The valid identity codes (temporary ones included) inside free text, in
/// order, as `detect::hetu::find_in_text` finds them: a code must not touch
/// an alphanumeric character (letters such as `ä` included) on either side.
///
/// The boundary is written as explicit character classes, not `\b` (whose
/// meaning next to non-ASCII letters differs between engines and Java
/// versions). Boundaries consume a character, and RE2 has no look-around, so
/// every non-alphanumeric character is doubled first: two codes separated by
/// one space then each find a boundary of their own. A doubled `-`/`+` sign
/// is undone after extraction.
pub fn valid_codes_in_text(e: Engine, text: &str) -> String {
    let alnum = e.alnum();
    let doubled = e.replace_all(text, &format!("([^{alnum}])"), "{1}{1}");
    let pattern = format!(
        r"(?:\A|[^{alnum}])([0-9]{{6}}(?:--|\+\+|[A-Fa-fU-Yu-y])[0-9]{{3}}[0-9A-Za-z])(?:[^{alnum}]|\z)"
    );
    let found = e.extract_all(&doubled, &pattern, 1);
    let undoubled = e.transform(
        &found,
        "CASE WHEN length(x) = 12 THEN substr(x, 1, 7) || substr(x, 9, 4) ELSE x END",
    );
    e.filter(
        &undoubled,
        &format!("({}) IN ('valid', 'valid_temporary')", hetu_status(e, "x")),
    )
}

/// `mask::mask(ValueKind::IdentityCode, v)`: `131052-***T` for an 11-character
/// ASCII value, else the value masked word by word.
pub fn mask_identity_code(e: Engine, v: &str) -> String {
    format!(
        "CASE WHEN length({v}) = 11 AND {ascii} THEN substr({v}, 1, 7) || '***' || substr({v}, 11, 1) ELSE {words} END",
        ascii = e.matches(v, r"\A[\x00-\x7F]*\z"),
        words = mask_words(e, v)
    )
}

/// `Maija Mallikas` → `M*** M***`: each white-space separated word keeps its first character.
pub fn mask_words(e: Engine, v: &str) -> String {
    let single = e.replace_all(v, &format!("[{WHITE_SPACE}]+"), " ");
    let trimmed = e.replace_all(&single, r"\A | \z", "");
    e.replace_all(
        &trimmed,
        &format!("([^{WHITE_SPACE}])[^{WHITE_SPACE}]*"),
        "{1}***",
    )
}

/// `mask::mask_key`: a record key is shown unless it is itself personal (an
/// identity code, an e-mail address or a phone number). Phone numbers are
/// recognised by their shape here (`phone::looks_like_phone`), which also
/// masks the few phone-shaped keys the local parser would not call numbers.
pub fn mask_key(e: Engine, k: &str) -> String {
    let ws = WHITE_SPACE;
    let email = e.matches(k, &format!(r"\A[^@{ws}]+@[^{ws}]+\z"));
    let phone_shape = e.matches(k, r"\A\+?[0-9 \x{A0}()\-]*\z");
    let digits = format!("length({})", e.replace_all(k, r"[^0-9]", ""));
    let first_digit = format!("substr({}, 1, 1)", e.replace_all(k, r"[^0-9]", ""));
    let phone = format!(
        "({phone_shape} AND {digits} BETWEEN 7 AND 17 AND (substr({k}, 1, 1) = '+' OR {first_digit} = '0'))"
    );
    format!(
        "CASE WHEN {hetu} THEN {id} WHEN {email} THEN {masked_email} WHEN {phone} THEN {masked_phone} ELSE {k} END",
        hetu = hetu_shaped(e, k),
        id = mask_identity_code(e, k),
        masked_email = e.replace_all(k, r"\A([^@])[^@]*@", "{1}***@"),
        masked_phone = mask_digits_keep_last_two(e, k),
    )
}

/// `040 123 4567` → `*** *** **67`: the text is reversed so the two digits
/// kept come first, where a pattern without look-ahead can hold them.
fn mask_digits_keep_last_two(e: Engine, v: &str) -> String {
    let reversed = format!("reverse({v})");
    let kept = format!(
        "regexp_extract({reversed}, {}, 1)",
        e.lit(r"(?s)\A([^0-9]*[0-9][^0-9]*[0-9])")
    );
    let rest = format!("substr({reversed}, length({kept}) + 1)");
    format!("reverse({kept} || {})", e.replace_all(&rest, "[0-9]", "*"))
}

/// A keyed hash of a value, for fingerprints: `sha256(k || sha256(k || v))`
/// with the engine key `k` that the runner derives from the fingerprint
/// secret (nested like HMAC, so it cannot be extended). The key lives in the
/// one-row view `regaudit_key` the runner creates, never in the script.
pub fn keyed_hash(e: Engine, v: &str) -> String {
    let key = "(SELECT k FROM regaudit_key)";
    e.sha256(&format!("{key} || {}", e.sha256(&format!("{key} || {v}"))))
}

/// The folding of `text::fold_char` for the accented letters it names.
const FOLD_FROM: &str = "äåáàâöøóôéèêëüúíïšž";
const FOLD_TO: &str = "aaaaaooooeeeeuuiisz";

/// `text::value_key`: lower case, folded, runs of other characters as one
/// space, none at either end — how synonyms and country names are compared.
pub fn value_key(e: Engine, v: &str) -> String {
    let folded = format!(
        "translate(lower({v}), {}, {})",
        e.lit(FOLD_FROM),
        e.lit(FOLD_TO)
    );
    let spaced = e.replace_all(&folded, &format!("[^{}*]+", e.alnum()), " ");
    e.replace_all(&spaced, r"\A +| +\z", "")
}

/// `str::trim`: Unicode white space off both ends.
pub fn trim(e: Engine, v: &str) -> String {
    e.replace_all(v, &format!(r"\A[{WHITE_SPACE}]+|[{WHITE_SPACE}]+\z"), "")
}

/// `text` without the characters at either end that are no letter or digit
/// (`char::is_alphanumeric`), as a matched term is cut to its words.
pub fn trim_to_word(e: Engine, text: &str) -> String {
    let alnum = e.alnum();
    e.replace_all(text, &format!(r"\A[^{alnum}]+|[^{alnum}]+\z"), "")
}

/// An inline table `(VALUES ('k', 'v'), …) AS alias(key, value)` for a
/// lookup by join: engines compute the key once per row, where a long
/// `CASE key WHEN …` can have the key's expression copied into every branch.
pub fn lookup_table(e: Engine, alias: &str, pairs: &[(String, String)]) -> String {
    let rows: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("({}, {})", e.lit(k), e.lit(v)))
        .collect();
    format!(
        "(VALUES {}) AS {alias}(lookup_key, lookup_value)",
        rows.join(", ")
    )
}

/// `mask::mask_digits_keep_last(v, 2)` for a value with at least two digits
/// (phone numbers and long digit runs), for the masks of `masks`.
pub fn digits_keep_last_two(e: Engine, v: &str) -> String {
    mask_digits_keep_last_two(e, v)
}
