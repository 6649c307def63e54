//! Measures the notice lint (NTC001–NTC020) on the hand-labelled notices of
//! `fixtures/notices/` (labels.toml, written before the linter ran), beside a
//! plain keyword baseline on the same cells, and the notice draft against the
//! hand-written notice.toml of the five shared notices. Prints the figures
//! (`cargo test --test notice_lint_eval -- --nocapture`) and fails below the
//! floors set from the first honest measurement.

use regaudit::columns::covers;
use regaudit::notice_lint::checks::Verdict;
use regaudit::notice_lint::{document, draft, lint_document};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/notices")
}

#[derive(Debug, serde::Deserialize)]
struct Labels {
    notice: Vec<Labelled>,
}

#[derive(Debug, serde::Deserialize)]
struct Labelled {
    file: String,
    lang: String,
    kind: String,
    split: String,
    #[serde(default)]
    na: Vec<String>,
    #[serde(default)]
    violated: BTreeMap<String, String>,
    #[allow(dead_code)]
    source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gold {
    Violated,
    NotApplicable,
    Ok,
}

fn labels() -> Vec<Labelled> {
    let text = std::fs::read_to_string(dir().join("labels.toml")).unwrap();
    let labels: Labels = toml::from_str(&text).unwrap();
    labels.notice
}

const ITEMS: [&str; 20] = [
    "NTC001", "NTC002", "NTC003", "NTC004", "NTC005", "NTC006", "NTC007", "NTC008", "NTC009",
    "NTC010", "NTC011", "NTC012", "NTC013", "NTC014", "NTC015", "NTC016", "NTC017", "NTC018",
    "NTC019", "NTC020",
];

/// The plain keyword baseline: an item is "violated" when none of its words
/// occurs anywhere in the notice (for the items that flag a presence, when
/// one does). No sections, sentences, negation or applicability.
fn baseline(item: &str, text: &str) -> bool {
    let t = text.to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| t.contains(w));
    match item {
        "NTC001" => !any(&["rekisterinpitäjä", "personuppgiftsansvarig", "controller"]),
        "NTC002" => !any(&[
            "tietosuojavastaava",
            "dataskyddsombud",
            "data protection officer",
        ]),
        "NTC003" => !any(&["tarkoitus", "ändamål", "purpose"]),
        "NTC004" => !any(&[
            "oikeusperuste",
            "rättslig grund",
            "laglig grund",
            "legal basis",
            "lawful basis",
        ]),
        "NTC005" => !any(&[
            "oikeutettu etu",
            "berättigat intresse",
            "legitimate interest",
        ]),
        "NTC006" => !any(&["luovut", "vastaanottaj", "mottagare", "recipient"]),
        "NTC007" => !any(&[
            "vakiosopimuslauseke",
            "standardavtalsklausul",
            "standard contractual",
            "adequacy",
            "riittävyyspäätös",
        ]),
        "NTC008" => any(&["privacy shield", "safe harbo"]),
        "NTC009" => !any(&[
            "säilytysaika",
            "lagringstid",
            "retention period",
            "säilytetään",
        ]),
        "NTC010" => {
            !(any(&["tarkastusoikeus", "tillgång", "access"])
                && any(&["oikaisu", "rättelse", "rectification"])
                && any(&["poisto", "radering", "erasure"])
                && any(&["rajoittaminen", "begränsning", "restriction"])
                && any(&["vastustaa", "invända", "object"])
                && any(&["siirtää", "dataportabilitet", "portability"]))
        }
        "NTC011" => !any(&["peruuttaa", "återkalla", "withdraw"]),
        "NTC012" => !any(&["valitus", "klagomål", "complaint"]),
        "NTC013" => !any(&[
            "pakollinen",
            "vapaaehtoinen",
            "obligatorisk",
            "frivillig",
            "mandatory",
            "voluntary",
        ]),
        "NTC014" => !any(&[
            "automaattinen päätöksenteko",
            "profilointi",
            "automatiserat beslutsfattande",
            "profilering",
            "automated decision",
            "profiling",
        ]),
        "NTC015" => any(&[
            "henkilötietolaki",
            "henkilötietolain",
            "523/1999",
            "516/2004",
            "95/46",
        ]),
        "NTC016" => any(&["tietoyhteiskuntakaar"]),
        "NTC017" => any(&["kerran vuodessa", "kolmen kuukauden"]),
        "NTC018" => !any(&[
            "suoramarkkinoin",
            "direktmarknadsföring",
            "direct marketing",
        ]),
        "NTC019" => !any(&["9 artikla", "artikla 9", "article 9", "9(2)"]),
        "NTC020" => !any(&["29 §"]),
        _ => unreachable!(),
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Counts {
    fn add(&mut self, gold: Gold, predicted: bool) {
        match (gold == Gold::Violated, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

struct Cell {
    notice: String,
    split: String,
    kind: String,
    lang: String,
    item: &'static str,
    gold: Gold,
    lint: bool,
    baseline: bool,
    /// The linter said the item does not apply.
    lint_na: bool,
}

fn cells() -> Vec<Cell> {
    let mut cells = Vec::new();
    for l in labels() {
        let text = std::fs::read_to_string(dir().join(&l.file)).unwrap();
        let outcomes = lint_document(&document::parse(&text));
        for item in ITEMS {
            let gold = if l.violated.contains_key(item) {
                Gold::Violated
            } else if l.na.iter().any(|n| n == item) {
                Gold::NotApplicable
            } else {
                Gold::Ok
            };
            let verdict = &outcomes.iter().find(|o| o.rule == item).unwrap().verdict;
            cells.push(Cell {
                notice: l.file.clone(),
                split: l.split.clone(),
                kind: l.kind.clone(),
                lang: l.lang.clone(),
                item,
                gold,
                lint: matches!(verdict, Verdict::Checked(hits) if !hits.is_empty()),
                baseline: baseline(item, &text),
                lint_na: matches!(verdict, Verdict::NotApplicable(_)),
            });
        }
    }
    cells
}

fn totals<'a>(cells: impl Iterator<Item = &'a Cell>) -> (Counts, Counts) {
    let (mut lint, mut base) = (Counts::default(), Counts::default());
    for c in cells {
        lint.add(c.gold, c.lint);
        base.add(c.gold, c.baseline);
    }
    (lint, base)
}

fn line(name: &str, (lint, base): (Counts, Counts)) -> String {
    format!(
        "{name:<22} lint P {:.3} R {:.3} (tp {:>3} fp {:>2} fn {:>2}) | keywords P {:.3} R {:.3} (tp {:>3} fp {:>2} fn {:>2})",
        lint.precision(),
        lint.recall(),
        lint.tp,
        lint.fp,
        lint.fn_,
        base.precision(),
        base.recall(),
        base.tp,
        base.fp,
        base.fn_
    )
}

#[test]
fn notice_lint_precision_and_recall_per_item_against_a_keyword_baseline() {
    let cells = cells();
    println!("Notice lint, \"violated\" cells (NTC001–NTC020) on fixtures/notices/ ({} notices × 20 items):", cells.len() / 20);
    for item in ITEMS {
        println!(
            "{}",
            line(item, totals(cells.iter().filter(|c| c.item == item)))
        );
    }
    let pooled = totals(cells.iter());
    println!("{}", line("pooled", pooled));
    for split in ["dev", "heldout", "unseen"] {
        println!(
            "{}",
            line(
                &format!("split {split}"),
                totals(cells.iter().filter(|c| c.split == split))
            )
        );
    }
    println!(
        "{}",
        line(
            "held out from tuning",
            totals(cells.iter().filter(|c| c.split != "dev"))
        )
    );
    for kind in ["shared", "real", "written"] {
        println!(
            "{}",
            line(
                &format!("kind {kind}"),
                totals(cells.iter().filter(|c| c.kind == kind))
            )
        );
    }
    for lang in ["fi", "sv", "en"] {
        println!(
            "{}",
            line(
                &format!("language {lang}"),
                totals(cells.iter().filter(|c| c.lang == lang))
            )
        );
    }
    let real_unseen = totals(cells.iter().filter(|c| c.kind != "written"));
    println!("{}", line("not written by us", real_unseen));
    for c in cells
        .iter()
        .filter(|c| (c.gold == Gold::Violated) != c.lint)
    {
        println!(
            "  {} {} {}: labelled {:?}, lint {}",
            if c.lint { "FP" } else { "FN" },
            c.item,
            c.notice,
            c.gold,
            if c.lint {
                "violated"
            } else if c.lint_na {
                "not applicable"
            } else {
                "ok"
            }
        );
    }
    // An item that does not apply is never a finding.
    let na_flagged: Vec<String> = cells
        .iter()
        .filter(|c| c.gold == Gold::NotApplicable && c.lint)
        .map(|c| format!("{} {}", c.item, c.notice))
        .collect();
    println!("not-applicable cells flagged: {}", na_flagged.len());
    // No false "missing" on a complete notice.
    let complete: Vec<&Cell> = cells
        .iter()
        .filter(|c| c.notice.contains("complete") && c.lint)
        .collect();
    assert!(
        complete.is_empty(),
        "findings on a complete notice: {:?}",
        complete.iter().map(|c| c.item).collect::<Vec<_>>()
    );
    let (lint, base) = pooled;
    assert!(
        lint.precision() >= PRECISION_FLOOR,
        "pooled precision {:.3}",
        lint.precision()
    );
    assert!(
        lint.recall() >= RECALL_FLOOR,
        "pooled recall {:.3}",
        lint.recall()
    );
    // Held out from tuning: the heldout split (read while labelling, never run
    // before its first measurement) and the unseen split (found after the
    // vocabulary was frozen).
    let (held, _) = totals(cells.iter().filter(|c| c.split != "dev"));
    assert!(
        held.precision() >= HELDOUT_PRECISION_FLOOR,
        "held-out precision {:.3}",
        held.precision()
    );
    assert!(
        held.recall() >= HELDOUT_RECALL_FLOOR,
        "held-out recall {:.3}",
        held.recall()
    );
    assert!(lint.precision() > base.precision() && lint.recall() >= base.recall() - 0.05);
}

// The targets on our set; measured 0.978 / 0.978 when set.
const PRECISION_FLOOR: f64 = 0.95;
const RECALL_FLOOR: f64 = 0.93;
// Below the 0.933 / 0.933 measured on the 7 notices held out from tuning.
const HELDOUT_PRECISION_FLOOR: f64 = 0.90;
const HELDOUT_RECALL_FLOOR: f64 = 0.90;

/// The gold notice.toml of the five shared notices, as plain TOML.
fn gold(name: &str) -> toml::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
        .join("notice.toml");
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn strings(v: Option<&toml::Value>) -> Vec<String> {
    match v {
        Some(toml::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        Some(toml::Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn same(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

#[test]
fn drafted_fields_against_the_hand_written_notice_metadata() {
    let shared = [
        ("harmonia", "harmonia-rekisteriseloste.txt"),
        ("helpten", "helpten-rekisteriseloste-2011.txt"),
        ("heltti", "heltti-jasenrekisteri.txt"),
        ("plusterveys", "plusterveys-yritysasiakasrekisteri.txt"),
        ("wellflix", "wellflix-asiakasrekisteri.txt"),
    ];
    // field -> (drafted values, correct drafted values, gold fields)
    let mut tally: BTreeMap<&str, (u32, u32, u32)> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (name, file) in shared {
        let text = std::fs::read_to_string(dir().join(file)).unwrap();
        let d = draft::draft_text(&text);
        let g = gold(name);
        let notice = &g["notice"];
        let mut score =
            |field: &'static str, drafted: u32, correct: u32, in_gold: bool, detail: String| {
                let t = tally.entry(field).or_default();
                t.0 += drafted;
                t.1 += correct;
                t.2 += u32::from(in_gold);
                if correct < drafted {
                    wrong.push(format!("{name} {field}: {detail}"));
                }
            };
        if let Some(c) = &d.controller {
            let ok = same(&c.value, notice["controller"].as_str().unwrap());
            score("controller", 1, u32::from(ok), true, c.value.clone());
        } else {
            score("controller", 0, 0, true, String::new());
        }
        let gold_id = notice.get("business_id").and_then(|v| v.as_str());
        match &d.business_id {
            Some(b) => score(
                "business_id",
                1,
                u32::from(Some(b.value.as_str()) == gold_id),
                gold_id.is_some(),
                b.value.clone(),
            ),
            None => score("business_id", 0, 0, gold_id.is_some(), String::new()),
        }
        match &d.register {
            Some(r) => score(
                "register",
                1,
                u32::from(same(&r.value, notice["register"].as_str().unwrap())),
                true,
                r.value.clone(),
            ),
            None => score("register", 0, 0, true, String::new()),
        }
        let gold_bases: BTreeSet<String> = g
            .get("purposes")
            .and_then(|p| p.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|p| p["legal_basis"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let good = d
            .bases
            .iter()
            .filter(|b| gold_bases.contains(b.value.name()))
            .count() as u32;
        score(
            "legal bases",
            d.bases.len() as u32,
            good,
            !gold_bases.is_empty(),
            format!(
                "{:?}",
                d.bases.iter().map(|b| b.value.name()).collect::<Vec<_>>()
            ),
        );
        let cats = g.get("categories");
        let gold_declared = strings(cats.and_then(|c| c.get("declared")));
        let good = d
            .declared
            .iter()
            .filter(|c| gold_declared.iter().any(|gd| covers(gd, &c.value)))
            .count() as u32;
        score(
            "declared categories",
            d.declared.len() as u32,
            good,
            !gold_declared.is_empty(),
            format!(
                "{:?}",
                d.declared
                    .iter()
                    .map(|c| (&c.value, &c.quote))
                    .collect::<Vec<_>>()
            ),
        );
        let gold_excluded = strings(cats.and_then(|c| c.get("excluded")));
        let good = d
            .excluded
            .iter()
            .filter(|c| gold_excluded.contains(&c.value))
            .count() as u32;
        score(
            "excluded categories",
            d.excluded.len() as u32,
            good,
            !gold_excluded.is_empty(),
            format!(
                "{:?}",
                d.excluded.iter().map(|c| &c.value).collect::<Vec<_>>()
            ),
        );
        let gold_ret = g.get("retention");
        match &d.retention {
            Some(r) => {
                let ok = gold_ret.is_some_and(|gr| {
                    strings(gr.get("from")).first().map(String::as_str) == Some(r.value.from.name())
                        && gr.get("period").and_then(|p| p.as_str())
                            == Some(r.value.period.as_str())
                });
                score(
                    "retention",
                    1,
                    u32::from(ok),
                    gold_ret.is_some(),
                    format!("{:?}", r.value),
                );
            }
            None => score("retention", 0, 0, gold_ret.is_some(), String::new()),
        }
        let gold_policy = g
            .get("transfers")
            .and_then(|t| t.get("outside_eea"))
            .and_then(|p| p.as_str())
            .unwrap_or("none")
            .to_string();
        match &d.transfers {
            Some(t) => score(
                "transfers",
                1,
                u32::from(t.value.0 == gold_policy),
                true,
                format!("{:?}", t.value),
            ),
            None => score("transfers", 0, 0, true, String::new()),
        }
        let gold_channels = strings(g.get("marketing").and_then(|m| m.get("channels")));
        let good = d
            .channels
            .iter()
            .filter(|c| gold_channels.contains(&c.value))
            .count() as u32;
        score(
            "marketing channels",
            d.channels.len() as u32,
            good,
            !gold_channels.is_empty(),
            format!(
                "{:?}",
                d.channels.iter().map(|c| &c.value).collect::<Vec<_>>()
            ),
        );
    }
    println!("Notice draft against fixtures/<register>/notice.toml of the five shared notices:");
    let (mut drafted, mut correct, mut fields, mut filled) = (0, 0, 0, 0);
    for (field, (d, c, g)) in &tally {
        println!("{field:<22} drafted {d:>3} correct {c:>3} precision {:.3} (gold has it in {g} notices)", ratio(*c, *d));
        drafted += d;
        correct += c;
        fields += g;
    }
    for (field, (d, _, _)) in &tally {
        // A field counts as drafted for a notice when at least one value was written.
        let _ = field;
        filled += u32::from(*d > 0);
    }
    let _ = filled;
    for w in &wrong {
        println!("  wrong: {w}");
    }
    println!(
        "pooled drafted-value precision {:.3} ({correct}/{drafted})",
        ratio(correct, drafted)
    );
    let share = notice_fields_drafted(&shared);
    println!(
        "share of gold fields drafted {:.3} ({}/{fields})",
        f64::from(share) / f64::from(fields.max(1)),
        share
    );
    assert!(
        ratio(correct, drafted) >= DRAFT_PRECISION_FLOOR,
        "draft precision {:.3}",
        ratio(correct, drafted)
    );
}

// The target; measured 1.000 (48/48 values) when set.
const DRAFT_PRECISION_FLOOR: f64 = 0.95;

/// Per notice and field present in the gold metadata: was anything drafted?
fn notice_fields_drafted(shared: &[(&str, &str)]) -> u32 {
    let mut n = 0;
    for (name, file) in shared {
        let text = std::fs::read_to_string(dir().join(file)).unwrap();
        let d = draft::draft_text(&text);
        let g = gold(name);
        let cats = g.get("categories");
        let checks = [
            (true, d.controller.is_some()),
            (
                g["notice"].get("business_id").is_some(),
                d.business_id.is_some(),
            ),
            (true, d.register.is_some()),
            (g.get("purposes").is_some(), !d.bases.is_empty()),
            (
                cats.and_then(|c| c.get("declared")).is_some(),
                !d.declared.is_empty(),
            ),
            (
                cats.and_then(|c| c.get("excluded")).is_some(),
                !d.excluded.is_empty(),
            ),
            (g.get("retention").is_some(), d.retention.is_some()),
            (true, d.transfers.is_some()),
            (
                g.get("marketing").and_then(|m| m.get("channels")).is_some(),
                !d.channels.is_empty(),
            ),
        ];
        n += checks
            .iter()
            .filter(|(gold, drafted)| *gold && *drafted)
            .count() as u32;
    }
    n
}
