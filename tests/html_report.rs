//! The HTML report through the CLI: its language, its limit on listed
//! findings, and that the progress display goes to a terminal only and never
//! into a report. (The browser test is tests/html_browser.rs.)

mod common;

use common::{regaudit, scan_json, AS_OF};
use regaudit::report::ROWS_PER_RULE;

fn html(args: &[&str]) -> String {
    let out = regaudit()
        .arg("scan")
        .args(args)
        .args(["--as-of", AS_OF, "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_page_speaks_the_notice_language_unless_told() {
    // harmonia's notice is in Finnish.
    let fi = html(&["fixtures/harmonia"]);
    assert!(fi.contains("<html lang=\"fi\">"));
    assert!(fi.contains("Tarkastuspäivä") && fi.contains("kriittinen"));
    let en = html(&["fixtures/harmonia", "--lang", "en"]);
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Audit date") && !en.contains("Tarkastuspäivä"));
    // Self-contained: style and script inline, a policy that forbids fetching.
    assert!(en.contains("<style>") && en.contains("<script>"));
    assert!(en.contains("default-src 'none'"));
    assert!(!en.contains("<link") && !en.contains(" src="));
}

#[test]
fn the_header_names_notices_inputs_and_coverage() {
    let page = html(&["fixtures/wellflix", "--lang", "en"]);
    let (_, json) = scan_json(&["fixtures/wellflix"]);
    // The notice's date and controller, every input with its counts.
    assert!(page.contains("2022-11-03"));
    for input in json["inputs"].as_array().unwrap() {
        let path = input["path"].as_str().unwrap();
        let row = format!(
            "<code>{path}</code></th><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            input["format"].as_str().unwrap(),
            input["rows_read"],
            input["rows_audited"],
            input["rows_rejected"]
        );
        assert!(page.contains(&row), "{row}");
    }
    let total = json["summary"]["total"].as_u64().unwrap();
    assert!(page.contains(&format!("<strong>{total}</strong> findings in total")));
    // The RET001 chart counts every RET001 finding.
    let ret = json["summary"]["by_rule"]["RET001"].as_u64().unwrap();
    assert_eq!(charted(&page, "chart-retention"), ret);
}

/// The sum of a chart's figures (its table of data).
fn charted(page: &str, chart: &str) -> u64 {
    let chart = &page[page.find(&format!("id=\"{chart}\"")).unwrap()..];
    let chart = &chart[..chart.find("</figure>").unwrap()];
    chart
        .match_indices("<td class=\"num\">")
        .map(|(i, m)| {
            let rest = &chart[i + m.len()..];
            rest[..rest.find('<').unwrap()].parse::<u64>().unwrap()
        })
        .sum()
}

#[test]
fn the_marketing_and_identity_charts_count_every_finding() {
    // heltti: MKT001 events after bans, and identity codes in free text.
    for name in ["heltti", "wellflix", "helpten"] {
        let page = html(&[&format!("fixtures/{name}"), "--lang", "en"]);
        let (_, json) = scan_json(&[&format!("fixtures/{name}")]);
        let by_rule = &json["summary"]["by_rule"];
        for (rule, chart) in [
            ("MKT001", "chart-marketing"),
            ("RET001", "chart-retention"),
            ("ID001", "chart-where-ID001"),
            ("CAT002", "chart-where-CAT002"),
        ] {
            match by_rule[rule].as_u64() {
                Some(n) => assert_eq!(charted(&page, chart), n, "{name} {rule}"),
                None => assert!(!page.contains(&format!("id=\"{chart}\"")), "{name} {rule}"),
            }
        }
        assert_eq!(
            charted(&page, "chart-rules"),
            json["summary"]["total"].as_u64().unwrap()
        );
    }
}

#[test]
fn past_the_limit_findings_are_counted_not_listed() {
    let dir = tempfile::tempdir().unwrap();
    regaudit()
        .args(["synth", "--rows", "20000", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let target = dir.path().to_str().unwrap();
    let page = html(&[target, "--lang", "en"]);
    let (_, json) = scan_json(&[target]);
    let mut over = 0;
    for (rule, n) in json["summary"]["by_rule"].as_object().unwrap() {
        let n = n.as_u64().unwrap() as usize;
        let listed = n.min(ROWS_PER_RULE);
        let section = &page[page.find(&format!("id=\"rule-{rule}\"")).unwrap()..];
        let section = &section[..section.find("</section>").unwrap()];
        assert_eq!(
            section.matches("<tr data-severity=").count(),
            listed,
            "{rule}"
        );
        assert!(
            section.contains(&format!(
                "{listed} / {n} findings are listed here; the JSON report (--format json) lists all"
            )),
            "{rule}"
        );
        if n > ROWS_PER_RULE {
            over += 1;
        }
    }
    assert!(over > 0, "no rule went past the limit");
}

#[test]
fn progress_goes_to_a_terminal_only_and_never_into_the_report() {
    let dir = tempfile::tempdir().unwrap();
    regaudit()
        .args(["synth", "--rows", "60000", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let target = dir.path().to_str().unwrap();
    // Not a terminal: nothing on stderr.
    let out = regaudit()
        .args(["scan", target, "--as-of", AS_OF, "--threads", "1"])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(!report.contains("rows/s"));

    // A terminal (util-linux `script` gives the scan one): the bar shows
    // when the scan takes over a second, and not with --quiet.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED the terminal part: no `script` command");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("regaudit");
    let run = |quiet: &str| {
        let html = dir.path().join(format!("report{quiet}.html"));
        let command = format!(
            "{} scan {target} --as-of {AS_OF} --threads 1 --batch-rows 2000 --format html -o {} {quiet}",
            bin.display(),
            html.display()
        );
        let out = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .env("REGAUDIT_FINGERPRINT_KEY", common::TEST_KEY)
            .output()
            .unwrap();
        let terminal = String::from_utf8_lossy(&out.stdout).into_owned();
        (terminal, std::fs::read_to_string(html).unwrap())
    };
    let (terminal, report) = run("");
    assert!(terminal.contains("register.csv"), "{terminal}");
    assert!(
        terminal.contains("auditing") && terminal.contains("rows/s"),
        "{terminal}"
    );
    assert!(terminal.contains("MiB"), "{terminal}");
    assert!(!report.contains("rows/s"));
    let (terminal, quiet_report) = run("--quiet");
    assert!(!terminal.contains("rows/s"), "{terminal}");
    assert_eq!(report, quiet_report);
}
