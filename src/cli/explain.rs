//! `regaudit rules` and `regaudit explain ID`: the catalogue, from the same
//! metadata the engine uses.

use super::Outcome;
use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use regaudit::error::Error;
use regaudit::rules::catalogue;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print the catalogue as JSON.
    #[arg(long)]
    json: bool,
    /// Include the custom rules in DIR.
    #[arg(long = "rules", value_name = "DIR")]
    rules_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule id, e.g. ID001.
    id: String,
    /// Include the custom rules in DIR.
    #[arg(long = "rules", value_name = "DIR")]
    rules_dir: Option<PathBuf>,
}

pub fn rules(args: RulesArgs) -> Result<Outcome, Error> {
    let rules = catalogue(args.rules_dir.as_deref())?;
    if args.json {
        let metas: Vec<_> = rules.iter().map(|r| &r.meta).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&metas).map_err(|e| Error::Usage(e.to_string()))?
        );
        return Ok(Outcome::Clean);
    }
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(120)
        .set_header(vec!["id", "name", "severity", "summary"]);
    for r in &rules {
        table.add_row(vec![
            r.meta.id.clone(),
            r.meta.name.clone(),
            r.meta.severity.to_string(),
            r.meta.summary.clone(),
        ]);
    }
    println!("{table}");
    Ok(Outcome::Clean)
}

pub fn explain(args: ExplainArgs) -> Result<Outcome, Error> {
    let id = args.id.trim().to_ascii_uppercase();
    let rules = catalogue(args.rules_dir.as_deref())?;
    let notice_rules = regaudit::notice_lint::catalogue::notice_rules();
    let m = rules
        .iter()
        .map(|r| &r.meta)
        .chain(&notice_rules)
        .find(|m| m.id == id || m.name == args.id.trim())
        .ok_or_else(|| {
            Error::Usage(format!(
                "unknown rule `{}`: run `regaudit rules` for the list",
                args.id
            ))
        })?;
    println!("{} {} ({})", m.id, m.name, m.severity);
    println!("Legal reference: {}", m.legal.join("; "));
    println!("\n{}\n", m.summary);
    println!("What it does\n{}\n", m.doc.what.trim());
    println!("Why it matters\n{}\n", m.doc.why.trim());
    println!("Example\n{}", m.doc.example.trim_end());
    Ok(Outcome::Clean)
}
