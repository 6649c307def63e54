//! The HTML report in a real browser: each fixture's report is opened in
//! headless Chromium, which must log nothing to its console (no script
//! error, no blocked or failed request); the charts and a section per rule
//! must be there, the filter must hide exactly the rows it should, and a
//! screenshot of each report is saved under the target directory.
//!
//! Chromium is Debian's `chromium` package (`.ci/run` installs it). Without
//! it the test says so loudly and passes, unless REGAUDIT_REQUIRE_CHROMIUM is
//! set (CI sets it), when it fails.

mod common;

use common::{regaudit, AS_OF};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURES: [&str; 5] = ["harmonia", "helpten", "heltti", "plusterveys", "wellflix"];

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("REGAUDIT_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// What Chromium printed: the page (for --dump-dom) and its log.
struct BrowserRun {
    stdout: String,
    console: Vec<String>,
}

fn open(browser: &Path, page: &Path, hash: &str, extra: &[String]) -> BrowserRun {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}{hash}", page.display());
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(&url)
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium failed on {url}: {out:?}");
    let log = String::from_utf8_lossy(&out.stderr);
    // Every console message (log, error, uncaught exception, a request the
    // page's content policy blocked) and every failed load shows here.
    let console = log
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("net::ERR"))
        .map(str::to_string)
        .collect();
    BrowserRun {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        console,
    }
}

fn render(fixture: &str, format: &str, out: &Path) -> Vec<u8> {
    let run = regaudit()
        .args(["scan", &format!("fixtures/{fixture}"), "--as-of", AS_OF])
        .args(["--format", format, "--output"])
        .arg(out)
        .output()
        .unwrap();
    assert!(run.status.code().unwrap() <= 1, "{fixture}: {run:?}");
    std::fs::read(out).unwrap()
}

/// The text of the element with this id, from a serialised DOM.
fn text_of(dom: &str, id: &str) -> String {
    let start = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &dom[start..];
    let open_end = rest.find('>').unwrap() + 1;
    let close = rest[open_end..].find('<').unwrap();
    rest[open_end..open_end + close].to_string()
}

fn check_fixture(browser: &Path, fixture: &str, dir: &Path) {
    let page = dir.join(format!("{fixture}.html"));
    let html = String::from_utf8(render(fixture, "html", &page)).unwrap();
    let json: Value = serde_json::from_slice(&render(
        fixture,
        "json",
        &dir.join(format!("{fixture}.json")),
    ))
    .unwrap();
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url("),
        "{fixture}: the report refers to something outside itself"
    );
    let findings = json["findings"].as_array().unwrap();

    // The whole page, as a screenshot; nothing may reach the console.
    let shot = dir.join(format!("html-report-{fixture}.png"));
    let run = open(
        browser,
        &page,
        "",
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,3000".into(),
        ],
    );
    assert!(run.console.is_empty(), "{fixture}: {:#?}", run.console);
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "{fixture}: empty screenshot"
    );

    // Filtered by the severity of the first finding, from the address.
    let severity = findings[0]["severity"].as_str().unwrap();
    let expected = findings
        .iter()
        .filter(|f| f["severity"] == severity)
        .count();
    let run = open(
        browser,
        &page,
        &format!("#severity={severity}"),
        &["--dump-dom".into()],
    );
    assert!(run.console.is_empty(), "{fixture}: {:#?}", run.console);
    let dom = run.stdout;
    assert!(
        dom.contains("data-ready=\"yes\""),
        "{fixture}: the script did not run"
    );
    assert!(!dom.contains("id=\"filters\" class=\"filters\" role=\"search\" hidden"));
    for id in [
        "notices",
        "inputs",
        "verdict",
        "charts",
        "rules",
        "chart-rules",
        "chart-places",
    ] {
        assert!(dom.contains(&format!("id=\"{id}\"")), "{fixture}: no #{id}");
    }
    for (rule, _) in json["summary"]["by_rule"].as_object().unwrap() {
        assert!(
            dom.contains(&format!("id=\"rule-{rule}\"")),
            "{fixture}: no section for {rule}"
        );
        assert!(
            dom.contains(&format!("id=\"findings-{rule}\"")),
            "{fixture}: no table for {rule}"
        );
    }
    for (rule, chart) in [("RET001", "chart-retention"), ("MKT001", "chart-marketing")] {
        let fired = json["summary"]["by_rule"].get(rule).is_some();
        assert_eq!(
            dom.contains(&format!("id=\"{chart}\"")),
            fired,
            "{fixture}: {chart}"
        );
    }
    for c in json["coverage"].as_array().unwrap() {
        if c["status"] == "not_evaluated" {
            let rule = c["rule"].as_str().unwrap();
            assert!(dom.contains(&format!("href=\"#rule-{rule}\">{rule}</a></th>")));
        }
    }
    let rows = dom.matches("<tr data-severity=").count();
    assert_eq!(rows, findings.len(), "{fixture}: rows listed");
    let hidden = dom.matches("\" hidden=\"\">").count();
    assert_eq!(text_of(&dom, "f-count"), expected.to_string(), "{fixture}");
    assert_eq!(hidden, findings.len() - expected, "{fixture}: rows hidden");

    // A text nothing contains hides every row.
    let run = open(
        browser,
        &page,
        "#q=no-such-text-anywhere",
        &["--dump-dom".into()],
    );
    assert!(run.console.is_empty(), "{fixture}: {:#?}", run.console);
    assert_eq!(text_of(&run.stdout, "f-count"), "0", "{fixture}");
    assert_eq!(
        run.stdout.matches("\" hidden=\"\">").count(),
        findings.len()
    );
    eprintln!("{fixture}: screenshot {}", shot.display());
}

#[test]
fn every_fixture_report_renders_and_filters_in_headless_chromium() {
    let Some(browser) = chromium() else {
        let message = "chromium is not installed: the HTML report was NOT tested in a browser \
                       (apt-get install chromium, or set REGAUDIT_CHROMIUM)";
        if std::env::var_os("REGAUDIT_REQUIRE_CHROMIUM").is_some() {
            panic!("{message}, and REGAUDIT_REQUIRE_CHROMIUM is set");
        }
        eprintln!("\n!!!!!!!! SKIPPED: {message} !!!!!!!!\n");
        return;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-browser");
    std::fs::create_dir_all(&dir).unwrap();
    std::thread::scope(|scope| {
        for fixture in FIXTURES {
            let (browser, dir) = (&browser, &dir);
            scope.spawn(move || check_fixture(browser, fixture, dir));
        }
    });
}
