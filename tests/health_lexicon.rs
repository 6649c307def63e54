//! The CAT002 health lexicon on a labelled corpus: `fixtures/lexicon/notes.csv`
//! holds 470 free-text notes in Finnish, Swedish and English, each labelled by
//! meaning (does it reveal data concerning someone's health?), written without
//! reading the lexicon (see `fixtures/lexicon/README.md`). Precision and recall
//! are printed overall, by language and by kind, with every false positive and
//! false negative; the test fails below precision 0.95 or recall 0.90 on the
//! whole corpus.
//!
//! The corpus is split by note id (FNV-1a) into a development part (70 %), which
//! the lexicon was tuned on, and a held-out part (30 %), whose text was not read
//! while tuning. Set `LEXICON_DEV_ONLY=1` to leave the held-out part out (no
//! figures, no listed mistakes) while tuning.
//!
//! Before the lexicon was extended (word-start stems and whole words only, in
//! Finnish and English) it scored precision 0.707 and recall 0.481 on the whole
//! corpus (fi 0.712 / 0.578, sv 0.800 / 0.182, en 0.667 / 0.500).
//! First measurement of the held-out part, after tuning on the development part
//! only: precision 0.985 (66/67), recall 0.930 (66/71). Its one false positive
//! and five misses were left as found, so that figure stays honest.

mod common;

use common::{held_out, root};
use regaudit::rules::data::health_word;
use std::collections::BTreeMap;

struct Note {
    id: String,
    language: String,
    health: bool,
    kind: String,
    text: String,
    held_out: bool,
}

fn notes() -> Vec<Note> {
    let mut reader = csv::Reader::from_path(root().join("fixtures/lexicon/notes.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Note {
                id: r[0].to_string(),
                language: r[1].to_string(),
                health: &r[2] == "1",
                kind: r[3].to_string(),
                text: r[4].to_string(),
                held_out: held_out(&r[0]),
            }
        })
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Counts {
    true_pos: u32,
    false_pos: u32,
    false_neg: u32,
    true_neg: u32,
}

impl Counts {
    fn add(&mut self, health: bool, flagged: bool) {
        match (health, flagged) {
            (true, true) => self.true_pos += 1,
            (false, true) => self.false_pos += 1,
            (true, false) => self.false_neg += 1,
            (false, false) => self.true_neg += 1,
        }
    }

    fn precision(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_pos)
    }

    fn recall(&self) -> f64 {
        ratio(self.true_pos, self.true_pos + self.false_neg)
    }

    fn line(&self, name: &str) -> String {
        let positives = self.true_pos + self.false_neg;
        let negatives = self.false_pos + self.true_neg;
        let mut line = format!("  {name:<16} {:>3} notes", positives + negatives);
        if positives > 0 {
            line += &format!(
                "  recall {:.3} ({}/{positives})",
                self.recall(),
                self.true_pos
            );
        }
        if self.true_pos + self.false_pos > 0 {
            line += &format!(
                "  precision {:.3} ({}/{})",
                self.precision(),
                self.true_pos,
                self.true_pos + self.false_pos
            );
        }
        if negatives > 0 {
            line += &format!("  flagged {}/{negatives} non-health", self.false_pos);
        }
        line
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

#[test]
fn health_lexicon_on_the_labelled_corpus() {
    let dev_only = std::env::var_os("LEXICON_DEV_ONLY").is_some();
    let mut all = Counts::default();
    let (mut dev, mut held) = (Counts::default(), Counts::default());
    let mut by_language: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, Counts> = BTreeMap::new();
    let (mut false_pos, mut false_neg) = (Vec::new(), Vec::new());
    for note in notes() {
        if dev_only && note.held_out {
            continue;
        }
        let found = health_word(&note.text);
        all.add(note.health, found.is_some());
        if note.held_out { &mut held } else { &mut dev }.add(note.health, found.is_some());
        by_language
            .entry(note.language.clone())
            .or_default()
            .add(note.health, found.is_some());
        by_kind
            .entry(note.kind.clone())
            .or_default()
            .add(note.health, found.is_some());
        let part = if note.held_out { "held-out" } else { "dev" };
        match (note.health, found) {
            (false, Some(word)) => false_pos.push(format!(
                "  {} {} {part:<8} {:<14} [{word}] {}",
                note.id, note.language, note.kind, note.text
            )),
            (true, None) => false_neg.push(format!(
                "  {} {} {part:<8} {:<14} {}",
                note.id, note.language, note.kind, note.text
            )),
            _ => {}
        }
    }
    println!("{}", all.line(if dev_only { "development" } else { "all" }));
    if !dev_only {
        println!("{}", dev.line("development"));
        println!("{}", held.line("held-out"));
    }
    println!("by language:");
    for (language, counts) in &by_language {
        println!("{}", counts.line(language));
    }
    println!("by kind:");
    for (kind, counts) in &by_kind {
        println!("{}", counts.line(kind));
    }
    println!("false positives ({}):", false_pos.len());
    println!("{}", false_pos.join("\n"));
    println!("false negatives ({}):", false_neg.len());
    println!("{}", false_neg.join("\n"));
    assert!(
        all.precision() >= 0.95,
        "precision {:.3} is below 0.95",
        all.precision()
    );
    assert!(
        all.recall() >= 0.90,
        "recall {:.3} is below 0.90",
        all.recall()
    );
}
