//! The masks of values whose kind is unknown, in SQL: `mask::mask_auto`
//! (an identity-code shape, an e-mail shape, a phone shape, else the text
//! with the codes, e-mail addresses and long digit runs inside it masked,
//! `mask::mask_embedded`) and `mask::mask(ValueKind::Email, …)`.
//!
//! `mask_embedded` finds its ranges in the whole text: identity-code
//! candidates (`hetu::find_in_text`, valid or not) and e-mail addresses
//! (`email::find_in_text`), sorted by start, a range that starts inside an
//! earlier one skipped; the text between them has its runs of seven or more
//! digits masked. In SQL the text is cut at its `@`s: every address sits
//! around one `@` (its local part the end of the piece before, its domain
//! the start of the piece after) and no code or digit run holds an `@`, so
//! each piece is masked on its own once it is known which of the addresses
//! around it are kept.

use super::dates::Layers;
use super::dialect::{Engine, WHITE_SPACE};
use super::exprs::{digits_keep_last_two, hetu_shaped, mask_identity_code, mask_words};
use super::validators::email_valid;

/// The characters `email::find_in_text` reads as a local part in prose.
const PROSE_LOCAL: &str = r"A-Za-z0-9._%+\-";
/// An identity-code candidate without its boundaries.
const CODE: &str = r"[0-9]{6}[-+A-Fa-fU-Yu-y][0-9]{3}[0-9A-Za-z]";

/// `mask::mask(ValueKind::Email, v)`: the local part's first character,
/// `***@` and the domain; without an `@`, the value masked word by word.
pub fn mask_email(e: Engine, v: &str) -> String {
    let local = format!("regexp_extract({v}, {}, 1)", e.lit(r"\A([^@]*)@"));
    format!(
        "CASE WHEN {has_at} THEN substr({local}, 1, 1) || '***@' || {domain} ELSE {words} END",
        has_at = e.matches(v, "@"),
        domain = e.replace_all(v, r"\A[^@]*@", ""),
        words = mask_words(e, v),
    )
}

/// `email::looks_like_email`: an `@` with something on both sides and no white space.
fn email_shaped(e: Engine, v: &str) -> String {
    e.matches(v, &format!(r"\A[^@{WHITE_SPACE}]+@[^{WHITE_SPACE}]+\z"))
}

/// `phone::looks_like_phone`: an optional `+`, then digits, spaces,
/// no-break spaces, hyphens and parentheses with 7–17 digits, starting with
/// the `+` or a `0`.
fn phone_shaped(e: Engine, v: &str) -> String {
    let digits = e.replace_all(v, "[^0-9]", "");
    format!(
        "({shape} AND length({digits}) BETWEEN 7 AND 17 AND (substr({v}, 1, 1) = '+' OR substr({digits}, 1, 1) = '0'))",
        shape = e.matches(v, r"\A\+?[0-9 \x{A0}()\-]*\z"),
    )
}

/// `mask::mask_auto(v)` as a column added to `layers` (whose rows hold the
/// text column `v`, never NULL); returns the column's name.
pub fn mask_auto(e: Engine, layers: &mut Layers, v: &str) -> String {
    let text = Pieces::add(e, layers, v);
    // One letter per `@`: N (no address kept there), V (an address), O (an
    // address that starts inside the domain of the one before). An address
    // right after a kept one that it overlaps is skipped: pairs `VO`/`OO`
    // are read left to right and the second of each becomes `-`.
    let statuses = layers.name("statuses");
    let status = format!(
        "CASE WHEN j = {n} THEN '' WHEN {valid} AND NOT {tie} THEN CASE WHEN {overlap} THEN 'O' ELSE 'V' END ELSE 'N' END",
        n = text.count,
        valid = text.address_valid("j"),
        tie = text.code_at_local("j"),
        overlap = text.overlaps_domain("j"),
    );
    layers.add(&[(
        statuses.clone(),
        e.join(&e.transform_as(&e.one_to(&text.count), "j", &status), "''"),
    )]);
    let kept = layers.name("kept");
    layers.add(&[(kept.clone(), e.replace_groups(&statuses, "([VO])O", "{1}-"))]);
    let embedded = e.join(
        &e.transform_as(&e.one_to(&text.count), "j", &text.masked_piece("j", &kept)),
        "'@'",
    );
    let masked = layers.name("masked");
    layers.add(&[(
        masked.clone(),
        format!(
            "CASE WHEN {code} THEN {code_mask} WHEN {email} THEN {email_mask} \
             WHEN {phone} THEN {phone_mask} ELSE {embedded} END",
            code = hetu_shaped(e, v),
            code_mask = mask_identity_code(e, v),
            email = email_shaped(e, v),
            email_mask = mask_email(e, v),
            phone = phone_shaped(e, v),
            phone_mask = digits_keep_last_two(e, v),
        ),
    )]);
    masked
}

/// A text cut at its `@`s, as list columns of one element per piece: the
/// pieces, the run at each piece's end that `email::find_in_text` reads back
/// from the `@` after it as a local part (prose local-part characters), that
/// local part (the run without its leading dots), the run at each piece's
/// start that it reads as the domain of the `@` before it (letters, digits,
/// `-` and `.`) and that domain (without trailing dots and hyphens).
/// Piece `j` (from 1) is followed by `@` number `j` when `j < count`.
struct Pieces {
    e: Engine,
    count: String,
    pieces: String,
    local_runs: String,
    locals: String,
    domain_runs: String,
    domains: String,
}

impl Pieces {
    fn add(e: Engine, layers: &mut Layers, v: &str) -> Pieces {
        let pieces = layers.name("pieces");
        layers.add(&[(pieces.clone(), e.split(v, "@"))]);
        let (count, local_runs, domain_runs) = (
            layers.name("count"),
            layers.name("local_runs"),
            layers.name("domain_runs"),
        );
        let extract = |pattern: &str| {
            e.transform_as(
                &pieces,
                "q",
                &format!("regexp_extract(q, {}, 0)", e.lit(pattern)),
            )
        };
        layers.add(&[
            (count.clone(), e.size(&pieces)),
            (local_runs.clone(), extract(&format!(r"[{PROSE_LOCAL}]*\z"))),
            (
                domain_runs.clone(),
                extract(&format!(r"\A[{}.\-]*", e.alnum())),
            ),
        ]);
        let (locals, domains) = (layers.name("locals"), layers.name("domains"));
        layers.add(&[
            (
                locals.clone(),
                e.transform_as(&local_runs, "q", &e.replace_all("q", r"\A\.+", "")),
            ),
            (
                domains.clone(),
                e.transform_as(&domain_runs, "q", &e.replace_all("q", r"[.\-]+\z", "")),
            ),
        ]);
        Pieces {
            e,
            count,
            pieces,
            local_runs,
            locals,
            domain_runs,
            domains,
        }
    }

    fn at(&self, list: &str, j: &str) -> String {
        self.e.element(list, j)
    }

    /// Whether the address at `@` number `j` is one `find_in_text` returns:
    /// valid, not glued to an alphanumeric character or an `@` before its
    /// local part (unless dots were skipped), nor to an `@` after its domain.
    fn address_valid(&self, j: &str) -> String {
        let e = self.e;
        let next = format!("least({j} + 1, {})", self.count);
        let run = self.at(&self.local_runs, j);
        let piece = self.at(&self.pieces, j);
        let local = self.at(&self.locals, j);
        let before = format!(
            "CASE WHEN length({run}) < length({piece}) THEN substr({piece}, length({piece}) - length({run}), 1) \
             WHEN {j} > 1 THEN '@' ELSE '' END"
        );
        let glued_before = format!(
            "(length({local}) = length({run}) AND ({before} = '@' OR {alnum}))",
            alnum = e.matches(&before, &format!(r"\A[{}]\z", e.alnum())),
        );
        let domain_run = self.at(&self.domain_runs, &next);
        let domain = self.at(&self.domains, &next);
        let glued_after = format!(
            "(length({domain_run}) = length({next_piece}) AND {next} < {count} \
             AND length({domain}) = length({domain_run}))",
            next_piece = self.at(&self.pieces, &next),
            count = self.count,
        );
        format!(
            "(NOT {glued_before} AND NOT {glued_after} AND {})",
            email_valid(e, &format!("{local} || '@' || {domain}"))
        )
    }

    /// Whether an identity-code candidate starts where the local part before
    /// `@` number `j` starts: sorted first, it hides the address.
    fn code_at_local(&self, j: &str) -> String {
        let alnum = self.e.alnum();
        self.e.matches(
            &self.at(&self.locals, j),
            &format!(r"\A{CODE}(?:[^{alnum}]|\z)"),
        )
    }

    /// Whether the local part before `@` number `j` starts inside the domain
    /// of the `@` before it (possible only after a non-ASCII letter).
    fn overlaps_domain(&self, j: &str) -> String {
        format!(
            "({j} > 1 AND length({domain}) + length({local}) > length({piece}))",
            domain = self.at(&self.domains, j),
            local = self.at(&self.locals, j),
            piece = self.at(&self.pieces, j),
        )
    }

    /// Piece `j` masked: the domain of a kept address before it shown, the
    /// local part of a kept address after it as its first character and
    /// `***`, and the rest with its codes and long digit runs masked.
    fn masked_piece(&self, j: &str, kept: &str) -> String {
        let e = self.e;
        let kept_before =
            format!("({j} > 1 AND substr({kept}, greatest({j} - 1, 1), 1) IN ('V', 'O'))");
        let kept_after = format!(
            "({j} < {} AND substr({kept}, {j}, 1) IN ('V', 'O'))",
            self.count
        );
        let domain = self.at(&self.domains, j);
        let local = self.at(&self.locals, j);
        let head_length = format!("CASE WHEN {kept_before} THEN length({domain}) ELSE 0 END");
        let tail_length = format!("CASE WHEN {kept_after} THEN length({local}) ELSE 0 END");
        let head = format!("CASE WHEN {kept_before} THEN {domain} ELSE '' END");
        let tail =
            format!("CASE WHEN {kept_after} THEN substr({local}, 1, 1) || '***' ELSE '' END");
        let piece = self.at(&self.pieces, j);
        let middle = format!(
            "substr({piece}, {head_length} + 1, length({piece}) - {head_length} - {tail_length})"
        );
        format!("{head} || {} || {tail}", codes_and_digit_runs(e, &middle))
    }
}

/// A text without `@` with its identity-code candidates masked (`131052-***T`)
/// and, between them, its runs of seven or more digits (spaces inside a run)
/// masked but for the last two digits, as `mask_embedded` masks the text
/// between its ranges.
///
/// A candidate must not touch an alphanumeric character. The pattern takes
/// the characters on both sides, so of two candidates one character apart
/// one pass finds the first; a second pass finds the rest. Each masked code
/// is put between `@`s (absent from the text), which ends the digit runs
/// there; the `@`s are then taken out.
fn codes_and_digit_runs(e: Engine, text: &str) -> String {
    let alnum = e.alnum();
    let pattern = format!(
        r"(\A|[^{alnum}])([0-9]{{6}}[-+A-Fa-fU-Yu-y])[0-9]{{3}}([0-9A-Za-z])([^{alnum}]|\z)"
    );
    let once = e.replace_groups(text, &pattern, "{1}@{2}***{3}@{4}");
    let marked = e.replace_groups(&once, &pattern, "{1}@{2}***{3}@{4}");
    let runs = e.extract_all(&marked, "[0-9][0-9 ]*|[^0-9]+", 0);
    let masked = e.transform_as(
        &runs,
        "x",
        &format!(
            "CASE WHEN length({}) >= 7 THEN {} ELSE x END",
            e.replace_all("x", "[^0-9]", ""),
            digits_keep_last_two(e, "x")
        ),
    );
    format!("replace({}, '@', '')", e.join(&masked, "''"))
}
