//! `regaudit notice draft`: the `notice.toml` a notice's text supports.
//! Every value carries a comment quoting the sentence (and line) it came
//! from; a field the text does not settle is a TODO comment, never a guess.
//! Required strings that cannot be found are written as "TODO" so the draft
//! still loads in `scan`.

use super::checks::sharing::possible_transfers;
use super::checks::{short, Ctx};
use super::document::{self, Document, Sentence};
use super::vocabulary::{vocabulary, Concept, Heading};
use crate::columns::{vocabulary as columns_vocabulary, Role};
use crate::detect::business_id::{validate, BusinessIdStatus};
use crate::notice::LegalBasis;
use regex::Regex;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// One drafted value with the sentence it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drafted<T> {
    pub value: T,
    pub line: u64,
    pub quote: String,
}

fn drafted<T>(value: T, s: &Sentence) -> Drafted<T> {
    Drafted {
        value,
        line: s.line,
        quote: short(&s.text),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRetention {
    pub from: Role,
    /// `24 months`, or `0 days` for "while a member".
    pub period: String,
}

/// What the text says, field by field; `None` or empty is a TODO.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub controller: Option<Drafted<String>>,
    pub business_id: Option<Drafted<String>>,
    pub register: Option<Drafted<String>>,
    pub bases: Vec<Drafted<LegalBasis>>,
    pub declared: Vec<Drafted<String>>,
    pub excluded: Vec<Drafted<String>>,
    pub special: Vec<Drafted<(String, &'static str)>>,
    pub retention: Option<Drafted<DraftRetention>>,
    /// Retention sentences with a period but no anchor, for the TODO.
    pub retention_unanchored: Vec<Drafted<()>>,
    /// `none`, or `listed` with the countries named.
    pub transfers: Option<Drafted<(String, Vec<String>)>>,
    pub transfers_unsettled: Option<Drafted<()>>,
    pub channels: Vec<Drafted<String>>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in pattern"))
}

pub fn draft_text(text: &str) -> Draft {
    draft_document(&document::parse(text))
}

pub fn draft_document(doc: &Document) -> Draft {
    let ctx = Ctx {
        doc,
        vocab: vocabulary(),
    };
    Draft {
        controller: controller(&ctx),
        business_id: business_id(&ctx),
        register: register(&ctx),
        bases: bases(&ctx),
        declared: declared(&ctx),
        excluded: excluded(&ctx),
        special: special(&ctx),
        retention: retention(&ctx),
        retention_unanchored: unanchored(&ctx),
        transfers: transfers(&ctx),
        transfers_unsettled: transfers_unsettled(&ctx),
        channels: channels(&ctx),
    }
}

const LEGAL_FORM: &str = r"(?:Oyj|Oy|Ab|AB|Ltd|ry|rf|Ky|Tmi|Inc|GmbH|LLC)";

fn controller(ctx: &Ctx<'_>) -> Option<Drafted<String>> {
    static ORG: OnceLock<Regex> = OnceLock::new();
    let org = re(
        &ORG,
        &format!(r"\b(\p{{Lu}}[\p{{L}}\d&\-]*(?:\s+[\p{{L}}\d&\-]+){{0,5}}?\s+{LEGAL_FORM})\b"),
    );
    let found = |s: &&Sentence| org.captures(&s.text).map(|c| c[1].to_string());
    ctx.sentences_under(Heading::Controller)
        .chain(ctx.saying(Concept::Controller))
        .find_map(|s| found(&s).map(|name| drafted(name, s)))
}

fn business_id(ctx: &Ctx<'_>) -> Option<Drafted<String>> {
    static ID: OnceLock<Regex> = OnceLock::new();
    let id = re(&ID, r"\b(\d{7}-\d)\b");
    ctx.doc.sentences.iter().find_map(|s| {
        id.captures_iter(&s.text)
            .map(|c| c[1].to_string())
            .find(|v| validate(v) == BusinessIdStatus::Valid)
            .map(|v| drafted(v, s))
    })
}

fn register(ctx: &Ctx<'_>) -> Option<Drafted<String>> {
    ctx.sentences_under(Heading::RegisterName)
        .next()
        .map(|s| drafted(s.text.trim_end_matches('.').to_string(), s))
}

const BASES: [(Concept, LegalBasis); 5] = [
    (Concept::BasisConsent, LegalBasis::Consent),
    (Concept::BasisContract, LegalBasis::Contract),
    (Concept::BasisLegalObligation, LegalBasis::LegalObligation),
    (
        Concept::BasisLegitimateInterest,
        LegalBasis::LegitimateInterests,
    ),
    (Concept::BasisPublicTask, LegalBasis::PublicTask),
];

fn bases(ctx: &Ctx<'_>) -> Vec<Drafted<LegalBasis>> {
    BASES
        .iter()
        .filter_map(|(concept, basis)| ctx.relies_on(*concept).map(|s| drafted(*basis, s)))
        .collect()
}

/// Data-content items (`Etu- ja sukunimi`, `Sähköpostiosoite`) read through
/// the same header vocabulary `scan` maps columns with.
fn declared(ctx: &Ctx<'_>) -> Vec<Drafted<String>> {
    static SPLIT: OnceLock<Regex> = OnceLock::new();
    let split = re(
        &SPLIT,
        r"(?i)[,;:/()]|\s(?:ja|tai|sekä|och|eller|samt|and|or)\s",
    );
    let vocab = columns_vocabulary();
    let mut found: BTreeMap<String, Drafted<String>> = BTreeMap::new();
    for s in ctx.sentences_under(Heading::DataContent) {
        if ctx.says(Concept::NotCollected, s) {
            continue;
        }
        for item in split.split(&s.text) {
            let item = item.trim().trim_end_matches('.');
            if item.is_empty() || item.split_whitespace().count() > 5 {
                continue;
            }
            let Some(role) = vocab.role_for_header(item) else {
                continue;
            };
            if matches!(role, Role::Other | Role::Notes | Role::Key) {
                continue;
            }
            let category = role.category().to_string();
            if category.starts_with("user.") && !vocab.is_special(&category) {
                found.entry(category.clone()).or_insert_with(|| Drafted {
                    value: category,
                    line: s.line,
                    quote: short(item),
                });
            }
        }
    }
    found.into_values().collect()
}

const NATIONAL_ID: &str = "user.government_id.national_identification_number";

fn excluded(ctx: &Ctx<'_>) -> Vec<Drafted<String>> {
    ctx.saying(Concept::IdentityCode)
        .find(|s| ctx.says(Concept::NotCollected, s))
        .map(|s| drafted(NATIONAL_ID.to_string(), s))
        .into_iter()
        .collect()
}

fn special(ctx: &Ctx<'_>) -> Vec<Drafted<(String, &'static str)>> {
    let Some(health) = ctx.special_category() else {
        return Vec::new();
    };
    let condition = [
        (Concept::ConditionExplicitConsent, "explicit_consent"),
        (Concept::ConditionHealthCare, "health_care"),
    ]
    .into_iter()
    .find_map(|(c, name)| ctx.first_saying(c).map(|s| (name, s)));
    condition
        .map(|(name, s)| {
            let mut d = drafted(("user.health_and_medical".to_string(), name), s);
            d.quote = format!("{} / {}", short(&health.text), d.quote);
            d
        })
        .into_iter()
        .collect()
}

const ANCHORS: [(Concept, Role); 4] = [
    (Concept::AnchorLastService, Role::LastService),
    (Concept::AnchorRelationshipEnd, Role::RelationshipEnd),
    (Concept::AnchorLastPurchase, Role::LastPurchase),
    (Concept::AnchorCreated, Role::Created),
];

fn period_regex() -> &'static Regex {
    static PERIOD: OnceLock<Regex> = OnceLock::new();
    re(
        &PERIOD,
        r"(?i)\b(\d{1,3})\s*(?:\(\d+\)\s*)?(vuo\w*|v\b|kuukau\w*|kk\b|päiv\w*|viik\w*|years?|months?|days?|weeks?|år\b|års|månad\w*|dag\w*|veck\w*)",
    )
}

/// `24 kuukautta` → `24 months`.
fn period_name(n: &str, unit: &str) -> Option<String> {
    let u = unit.to_lowercase();
    let unit = if u.starts_with("vuo") || u == "v" || u.starts_with("year") || u.starts_with("år")
    {
        "years"
    } else if u.starts_with("kuukau")
        || u == "kk"
        || u.starts_with("month")
        || u.starts_with("månad")
    {
        "months"
    } else if u.starts_with("viik") || u.starts_with("week") || u.starts_with("veck") {
        "weeks"
    } else if u.starts_with("päiv") || u.starts_with("day") || u.starts_with("dag") {
        "days"
    } else {
        return None;
    };
    Some(format!("{n} {unit}"))
}

fn retention_sentences<'a>(ctx: &'a Ctx<'a>) -> impl Iterator<Item = &'a Sentence> + 'a {
    super::checks::retention::retention_sentences(ctx)
}

/// The first retention rule with both a period and an anchor (the period
/// nearest before the anchor's words), or "while a member".
fn retention(ctx: &Ctx<'_>) -> Option<Drafted<DraftRetention>> {
    for s in retention_sentences(ctx) {
        for (concept, role) in ANCHORS {
            let Some(anchor) = ctx.vocab.find(concept, &s.text) else {
                continue;
            };
            let anchor_at = s.text.find(anchor).unwrap_or(0);
            let period = period_regex()
                .captures_iter(&s.text[..anchor_at])
                .last()
                .and_then(|c| period_name(&c[1], &c[2]));
            if let Some(period) = period {
                return Some(drafted(DraftRetention { from: role, period }, s));
            }
        }
        if ctx.says(Concept::WhileRelationship, s) && !period_regex().is_match(&s.text) {
            return Some(drafted(
                DraftRetention {
                    from: Role::RelationshipEnd,
                    period: "0 days".into(),
                },
                s,
            ));
        }
    }
    None
}

fn unanchored(ctx: &Ctx<'_>) -> Vec<Drafted<()>> {
    retention_sentences(ctx)
        .filter(|s| period_regex().is_match(&s.text))
        .take(3)
        .map(|s| drafted((), s))
        .collect()
}

fn transfers(ctx: &Ctx<'_>) -> Option<Drafted<(String, Vec<String>)>> {
    let possible = possible_transfers(ctx);
    if possible.is_empty() {
        return ctx
            .saying(Concept::Transfer)
            .find(|s| ctx.says(Concept::TransferDenied, s))
            .map(|s| drafted(("none".to_string(), Vec::new()), s));
    }
    possible
        .iter()
        .find(|s| ctx.says(Concept::CountryUs, s))
        .map(|s| drafted(("listed".to_string(), vec!["US".to_string()]), s))
}

fn transfers_unsettled(ctx: &Ctx<'_>) -> Option<Drafted<()>> {
    let possible = possible_transfers(ctx);
    if possible.iter().any(|s| ctx.says(Concept::CountryUs, s)) {
        return None;
    }
    possible.first().map(|s| drafted((), s))
}

fn channels(ctx: &Ctx<'_>) -> Vec<Drafted<String>> {
    let mut found: BTreeMap<&str, Drafted<String>> = BTreeMap::new();
    for s in ctx.positive_saying(Concept::DirectMarketing) {
        for (concept, name) in [
            (Concept::ChannelEmail, "email"),
            (Concept::ChannelSms, "sms"),
            (Concept::ChannelPhone, "phone"),
            (Concept::ChannelPost, "post"),
        ] {
            if ctx.says(concept, s) {
                found
                    .entry(name)
                    .or_insert_with(|| drafted(name.to_string(), s));
            }
        }
    }
    found.into_values().collect()
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn comment<T>(d: &Drafted<T>) -> String {
    format!(
        "# line {}: \"{}\"",
        d.line,
        d.quote.replace(['\n', '\r'], " ")
    )
}

impl Draft {
    /// The `notice.toml` text.
    pub fn to_toml(&self, source: &str) -> String {
        let mut out = String::new();
        let w = &mut out;
        let _ = writeln!(
            w,
            "# Draft notice metadata written by `regaudit notice draft` from {source}."
        );
        let _ = writeln!(
            w,
            "# Each value quotes the sentence it came from; TODO marks what the text does not"
        );
        let _ = writeln!(w, "# settle. Review every line before relying on it.\n");
        let _ = writeln!(w, "[notice]");
        match &self.controller {
            Some(d) => {
                let _ = writeln!(w, "{}\ncontroller = {}", comment(d), toml_string(&d.value));
            }
            None => {
                let _ = writeln!(w, "# TODO: no controller with a legal form (Oy, Ab, ry, Ltd …) found\ncontroller = \"TODO\"");
            }
        }
        match &self.business_id {
            Some(d) => {
                let _ = writeln!(w, "{}\nbusiness_id = {}", comment(d), toml_string(&d.value));
            }
            None => {
                let _ = writeln!(w, "# TODO: business_id (no valid Y-tunnus in the text)");
            }
        }
        match &self.register {
            Some(d) => {
                let _ = writeln!(w, "{}\nregister = {}", comment(d), toml_string(&d.value));
            }
            None => {
                let _ = writeln!(
                    w,
                    "# TODO: no \"Rekisterin nimi\" / register name section\nregister = \"TODO\""
                );
            }
        }
        let _ = writeln!(w, "source = {}", toml_string(source));
        if self.bases.is_empty() {
            let _ = writeln!(
                w,
                "\n# TODO: [[purposes]]: the text states no legal basis (see NTC004)"
            );
        }
        for d in &self.bases {
            let _ = writeln!(
                w,
                "\n[[purposes]]\n{}\nname = {}\nlegal_basis = \"{}\"",
                comment(d),
                toml_string(&d.quote),
                d.value.name()
            );
        }
        let _ = writeln!(w, "\n[categories]");
        if self.declared.is_empty() {
            let _ = writeln!(
                w,
                "# TODO: declared (no data-content section items were recognised)"
            );
        } else {
            let _ = writeln!(w, "declared = [");
            for d in &self.declared {
                let _ = writeln!(w, "  {},  {}", toml_string(&d.value), comment(d));
            }
            let _ = writeln!(w, "]");
        }
        if !self.excluded.is_empty() {
            let _ = writeln!(w, "excluded = [");
            for d in &self.excluded {
                let _ = writeln!(w, "  {},  {}", toml_string(&d.value), comment(d));
            }
            let _ = writeln!(w, "]");
        }
        for d in &self.special {
            let _ = writeln!(
                w,
                "\n[[special_categories]]\n{}\ncategory = {}\ncondition = \"{}\"",
                comment(d),
                toml_string(&d.value.0),
                d.value.1
            );
        }
        match &self.retention {
            Some(d) => {
                let _ = writeln!(
                    w,
                    "\n[retention]\n{}\nfrom = \"{}\"\nperiod = \"{}\"\ndescription = {}",
                    comment(d),
                    d.value.from.name(),
                    d.value.period,
                    toml_string(&d.quote)
                );
            }
            None => {
                let _ = writeln!(w, "\n# TODO: [retention]: no period with an anchor (\"24 kuukautta viimeisestä palvelutapahtumasta\") found");
                for d in &self.retention_unanchored {
                    let _ = writeln!(
                        w,
                        "#   period without an anchor, {}",
                        comment(d).trim_start_matches("# ")
                    );
                }
            }
        }
        match (&self.transfers, &self.transfers_unsettled) {
            (Some(d), _) => {
                let (policy, countries) = &d.value;
                let list: Vec<String> = countries.iter().map(|c| toml_string(c)).collect();
                let _ = writeln!(
                    w,
                    "\n[transfers]\n{}\noutside_eea = \"{policy}\"\ncountries = [{}]",
                    comment(d),
                    list.join(", ")
                );
            }
            (None, Some(d)) => {
                let _ = writeln!(w, "\n# TODO: [transfers]: the notice leaves transfers outside the EU/EEA possible but names");
                let _ = writeln!(
                    w,
                    "# no country ({}); without this table scan assumes none",
                    comment(d).trim_start_matches("# ")
                );
            }
            (None, None) => {
                let _ = writeln!(w, "\n# TODO: [transfers]: the text says nothing about transfers outside the EU/EEA; without this table scan assumes none");
            }
        }
        if self.channels.is_empty() {
            let _ = writeln!(
                w,
                "\n# TODO: [marketing]: no direct-marketing channel named"
            );
        } else {
            let _ = writeln!(w, "\n[marketing]\nchannels = [");
            for d in &self.channels {
                let _ = writeln!(w, "  {},  {}", toml_string(&d.value), comment(d));
            }
            let _ = writeln!(w, "]");
        }
        out
    }
}
