//! The flags that choose and adjust the rules, shared by `scan` and `plan`.

use clap::Args;
use regaudit::plan::ScanRequest;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct RuleFlags {
    /// Rules to run: ids or prefixes (RET, MKT001, ALL); comma-separated or repeated.
    #[arg(long)]
    pub select: Vec<String>,
    /// Rules to skip: ids or prefixes.
    #[arg(long)]
    pub ignore: Vec<String>,
    /// Override a rule's severity: ID=LEVEL, repeatable.
    #[arg(long = "severity", value_name = "ID=LEVEL")]
    pub severity: Vec<String>,
    /// A folder of custom rule files (*.toml) to run beside the built-in rules.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules_dir: Option<PathBuf>,
}

impl RuleFlags {
    /// `request` with these rule choices.
    pub fn apply(self, request: ScanRequest) -> ScanRequest {
        ScanRequest {
            select: self.select,
            ignore: self.ignore,
            severity: self.severity,
            rules_dir: self.rules_dir,
            ..request
        }
    }
}
