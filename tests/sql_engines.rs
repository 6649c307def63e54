//! The differential test of `regaudit plan`: the same registers — an edge-case
//! pack and a generated register — through the local engine (`scan`), DuckDB
//! and Spark in local mode must give identical canonical findings (rule,
//! severity, register, file, record, column, evidence, message), for several
//! thread/partition counts and shuffled input; DuckDB and Spark must also
//! agree on every fingerprint.
//!
//! The engines are Python packages (`duckdb`, `pyspark`); the interpreter is
//! `$REGAUDIT_SQL_PYTHON` (default `python3`). Without them the test skips
//! with a notice, unless `REGAUDIT_REQUIRE_SQL_ENGINES=1` (CI), where a
//! missing engine fails it.

mod common;

use common::{regaudit, AS_OF, TEST_KEY};
use regaudit::detect::hetu::control_char;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

type Canonical = Vec<[String; 8]>;

fn python() -> String {
    std::env::var("REGAUDIT_SQL_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Whether the engine's package imports; a missing one fails under CI's flag.
fn engine_ready(module: &str) -> bool {
    let ok = Command::new(python())
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let message = format!(
            "SQL engine `{module}` is not importable by {} (pip install {module}; .ci/sql-engines.sh)",
            python()
        );
        if std::env::var("REGAUDIT_REQUIRE_SQL_ENGINES").is_ok_and(|v| v == "1") {
            panic!("{message}");
        }
        eprintln!("SKIPPED: {message}");
    }
    ok
}

/// A valid code for `ddmmyy`, sign and individual number.
fn code(ddmmyy: &str, sign: char, individual: u16) -> String {
    let control = control_char(ddmmyy.parse().unwrap(), individual) as char;
    format!("{ddmmyy}{sign}{individual:03}{control}")
}

/// The edge-case pack: every century sign, 29 February in and out of leap
/// years, individual numbers 000/001/002/899/900/999, codes glued to
/// punctuation and to letters such as `ä`, keys that are personal themselves.
fn edge_rows() -> Vec<[String; 5]> {
    let mut rows = Vec::new();
    let mut n = 0;
    let mut key = || {
        n += 1;
        format!("E{n:04}")
    };
    for sign in "+-YXWVUABCDEF".chars() {
        rows.push([key(), code("010190", sign, 123), String::new()]);
        rows.push([
            key(),
            code("311299", sign.to_ascii_lowercase(), 124).to_lowercase(),
            String::new(),
        ]);
    }
    for (date, sign) in [
        ("290200", 'A'),
        ("290100", '-'),
        ("290200", '+'),
        ("290204", 'B'),
        ("290203", 'C'),
        ("290296", 'Y'),
        ("290297", '-'),
        ("310490", '-'),
        ("300490", 'X'),
        ("000190", '-'),
        ("011390", '-'),
        ("290288", '+'),
        ("290200", '-'),
    ] {
        rows.push([key(), code(date, sign, 234), String::new()]);
    }
    for individual in [0, 1, 2, 899, 900, 999] {
        rows.push([key(), code("131052", '-', individual), String::new()]);
    }
    let v = code("131052", '-', 308);
    let w = code("150385", 'A', 402);
    let temp = code("020202", 'B', 950);
    let bad = format!("{}{}", &v[..10], if v.ends_with('A') { 'B' } else { 'A' });
    for hetu in [
        "12345",
        "abc def",
        "131052 308T",
        "131052-308TT",
        &bad,
        "  131052-308T ",
        "ÄÄÄ",
    ] {
        rows.push([key(), hetu.to_string(), String::new()]);
    }
    let notes = [
        format!("({v})"),
        format!("{v}."),
        format!("hetu:{v},"),
        format!("ä{v}"),
        format!("{v}ä"),
        format!("{v} {w}"),
        format!("{v}-{w}"),
        format!("1{v}"),
        format!("{v}1"),
        format!("x {bad} y"),
        format!("\u{a0}{v}\u{a0}"),
        v.to_lowercase(),
        format!("{v}\n{w}"),
        format!("日本{v}"),
        format!("١{v}"),
        format!("{v}\u{301}"),
        format!("{v}_x"),
        format!("väliaikainen {temp}"),
        format!("{v},{v},{v}"),
        format!("Soita 040 123 4567 tai {w}!"),
        v[..10].to_string(),
        "ei tunnuksia 123456-".to_string(),
    ];
    for note in notes {
        rows.push([key(), String::new(), note]);
    }
    // Keys that are personal themselves, and a row without a key.
    rows.push([v.clone(), String::new(), format!("oma {w}")]);
    rows.push(["maija@example.fi".into(), String::new(), w.clone()]);
    rows.push(["040 123 4567".into(), String::new(), w.clone()]);
    rows.push([String::new(), w.clone(), v.clone()]);
    // Transfer countries: codes in any case, names, and values that are neither.
    let countries = [
        "US",
        "us",
        "Yhdysvallat",
        "Kanada",
        "CN",
        "Kiina",
        "Suomi",
        "FI",
        "XX",
        "U.S.A.",
        "Intia",
        " in ",
        "Japani",
        "brasilia",
        "Sveitsi",
        "GB",
        "Venäjä",
        "RU",
        "",
    ];
    // Legal bases: synonyms in any case, several in one cell, empty parts, unknown words.
    let bases = [
        "sopimus",
        "Suostumus",
        "sopimus; suostumus",
        "markkinointi",
        "",
        "6(1)(f)",
        "Art. 6(1)(a)",
        " / sopimus",
        "LUPA+avtal",
        "oikeutettu etu",
        "Lakisääteinen velvoite",
        "sopimus,, ",
        "SOPIMUS / ??",
        "elintärkeä etu",
        "x",
    ];
    rows.into_iter()
        .zip(countries.iter().cycle())
        .zip(bases.iter().cycle())
        .map(|(([a, b, c], country), basis)| [a, b, c, country.to_string(), basis.to_string()])
        .collect()
}

fn write_csv(path: &Path, rows: &[[String; 5]]) {
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer
        .write_record([
            "asiakasnro",
            "henkilötunnus",
            "lisätiedot",
            "käsittelymaa",
            "oikeusperuste",
        ])
        .unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

/// A deterministic shuffle (no RNG crate needed).
fn shuffled<T: Clone>(rows: &[T]) -> Vec<T> {
    let mut out: Vec<(u64, T)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                (i as u64 + 1)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .rotate_left(17),
                r.clone(),
            )
        })
        .collect();
    out.sort_by_key(|(k, _)| *k);
    out.into_iter().map(|(_, r)| r).collect()
}

/// Two registers over the same rows: one whose notice excludes identity
/// codes (ID001), one that declares them (ID002, ID003); their notices'
/// transfer policies differ too (TRF001).
fn edge_config(dir: &Path, data: &str) -> PathBuf {
    for name in ["harmonia", "heltti"] {
        std::fs::copy(
            common::fixture(name).join("notice.toml"),
            dir.join(format!("{name}.toml")),
        )
        .unwrap();
    }
    let columns = r#"columns = { "henkilötunnus" = "identity_code", "lisätiedot" = "notes", "käsittelymaa" = "processing_country", "oikeusperuste" = "legal_basis" }"#;
    let config = format!(
        "[registers.excluded]\nnotice = \"harmonia.toml\"\ndata = \"{data}\"\nkey = \"asiakasnro\"\n{columns}\n\n\
         [registers.declared]\nnotice = \"heltti.toml\"\ndata = \"{data}\"\nkey = \"asiakasnro\"\n{columns}\n"
    );
    let path = dir.join(format!("{data}.toml"));
    std::fs::write(&path, config).unwrap();
    path
}

fn canonical(report: &Value) -> Canonical {
    let text = |f: &Value, k: &str| f[k].as_str().unwrap_or("").to_string();
    let mut out: Canonical = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            [
                text(f, "rule"),
                text(f, "severity"),
                text(f, "register"),
                text(f, "file"),
                text(f, "record"),
                text(f, "column"),
                text(f, "evidence"),
                text(f, "message"),
            ]
        })
        .collect();
    out.sort();
    out
}

fn fingerprints(report: &Value) -> BTreeMap<String, String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["fingerprint"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn json_of(output: std::process::Output, what: &str) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{what} failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{what}: {e}\n{stdout}"))
}

fn local(dir: &Path, config: &Path, select: &str) -> Value {
    let output = regaudit()
        .current_dir(dir)
        .args(["scan", "--config"])
        .arg(config)
        .args(["--as-of", AS_OF, "--select", select, "--format", "json"])
        .output()
        .unwrap();
    json_of(output, "scan")
}

/// Plans for `engine`, runs the runner with `runner_args`, reads the table back.
fn planned(
    dir: &Path,
    config: &Path,
    select: &str,
    engine: &str,
    runner_args: &[&str],
    name: &str,
) -> Value {
    let out = dir.join(format!("plan-{name}"));
    // A `csv` variant writes the table as CSV, which the test also reads for leaks.
    let extension = if name.contains("csv") {
        "csv"
    } else {
        "parquet"
    };
    let findings = dir.join(format!("findings-{name}.{extension}"));
    regaudit()
        .current_dir(dir)
        .args(["plan", "--engine", engine, "--out-dir"])
        .arg(&out)
        .arg("--config")
        .arg(config)
        .args(["--as-of", AS_OF, "--select", select])
        .assert()
        .success();
    let runner = out.join(format!("run_{engine}.py"));
    let run = Command::new(python())
        .current_dir(dir)
        .arg(&runner)
        .arg("--findings")
        .arg(&findings)
        .args(runner_args)
        .env("REGAUDIT_FINGERPRINT_KEY", TEST_KEY)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{engine} runner failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    if extension == "csv" {
        // The engine's table holds masked evidence and hashes, never a raw code.
        let table = std::fs::read_to_string(&findings).unwrap();
        for raw in [code("131052", '-', 308), code("150385", 'A', 402)] {
            assert!(!table.contains(&raw), "{engine} wrote {raw}");
        }
        assert!(table.lines().count() > 10, "the table has findings");
    }
    let output = regaudit()
        .current_dir(dir)
        .args(["report", "--findings"])
        .arg(&findings)
        .arg("--manifest")
        .arg(out.join("manifest.json"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    json_of(output, "report")
}

struct Pack {
    dir: tempfile::TempDir,
    configs: Vec<(PathBuf, &'static str)>,
}

/// The edge pack in file order and shuffled, and a generated register.
fn pack() -> Pack {
    let dir = tempfile::tempdir().unwrap();
    let rows = edge_rows();
    write_csv(&dir.path().join("edge.csv"), &rows);
    write_csv(&dir.path().join("edge_shuffled.csv"), &shuffled(&rows));
    let mut configs = vec![
        (
            edge_config(dir.path(), "edge.csv"),
            "ID,TRF,LB001,LB002,COV",
        ),
        (
            edge_config(dir.path(), "edge_shuffled.csv"),
            "ID,TRF,LB001,LB002,COV",
        ),
    ];
    let synth = dir.path().join("synth");
    regaudit()
        .args(["synth", "--rows", "3000", "--out"])
        .arg(&synth)
        .assert()
        .success();
    configs.push((synth.join("regaudit.toml"), "ID,TRF,LB001,LB002,COV"));
    Pack { dir, configs }
}

/// Checks `engine` against the local engine; returns the edge pack's fingerprints.
fn check_engine(engine: &str, variants: &[(&str, Vec<&str>)]) -> BTreeMap<String, String> {
    let pack = pack();
    let dir = pack.dir.path();
    let mut fingerprint_sets = Vec::new();
    for (n, (config, select)) in pack.configs.iter().enumerate() {
        let expected = canonical(&local(dir, config, select));
        assert!(expected.len() > 10, "the pack makes findings: {expected:?}");
        // Every variant on the edge pack; one each, in turn, on the others
        // (a Spark session takes long to start on a small machine).
        let chosen: Vec<&(&str, Vec<&str>)> = if n == 0 {
            variants.iter().collect()
        } else {
            vec![&variants[n % variants.len()]]
        };
        for (label, args) in chosen {
            let report = planned(dir, config, select, engine, args, &format!("{n}-{label}"));
            let got = canonical(&report);
            let missing: Vec<_> = expected.iter().filter(|f| !got.contains(f)).collect();
            let extra: Vec<_> = got.iter().filter(|f| !expected.contains(f)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{engine} {label} on {}: missing {missing:#?}\nextra {extra:#?}",
                config.display()
            );
            assert_eq!(got.len(), expected.len());
            let rules: std::collections::BTreeSet<&str> =
                got.iter().map(|f| f[0].as_str()).collect();
            eprintln!(
                "{engine} {label} {}: {} findings ({rules:?}) as locally",
                config.display(),
                got.len()
            );
            if n < 2 {
                fingerprint_sets.push(fingerprints(&report));
            }
        }
    }
    // Fingerprints name findings, not positions: every variant agrees.
    for set in &fingerprint_sets[1..] {
        assert_eq!(set, &fingerprint_sets[0]);
    }
    fingerprint_sets.swap_remove(0)
}

#[test]
fn duckdb_finds_what_the_local_engine_finds() {
    if !engine_ready("duckdb") {
        return;
    }
    check_engine("duckdb", &duckdb_variants());
}

fn duckdb_variants() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("threads1", vec!["--threads", "1"]),
        ("threads3", vec!["--threads", "3"]),
        ("csv-threads2", vec!["--threads", "2"]),
    ]
}

#[test]
fn spark_finds_what_the_local_engine_finds() {
    if !engine_ready("pyspark") {
        return;
    }
    let spark = check_engine(
        "spark",
        &[
            ("partitions1", vec!["--partitions", "1"]),
            ("partitions4", vec!["--partitions", "4"]),
        ],
    );
    // Both engines write the same hashes, so their fingerprints agree.
    if engine_ready("duckdb") {
        assert_eq!(spark, check_engine("duckdb", &duckdb_variants()[..1]));
    }
}
