//! regaudit: audits exports of personal-data registers against what their
//! privacy notice declares. The library never prints or exits; the binary's
//! `cli` module does that.
#![warn(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod allowlist;
pub mod audit;
pub mod baseline;
pub mod clean;
pub mod columns;
pub mod compare;
pub mod compile;
pub mod config;
pub mod detect;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod finding;
pub mod ingest;
pub mod keys;
pub mod mask;
pub mod notice;
pub mod notice_lint;
pub mod plan;
pub mod progress;
pub mod register;
pub mod report;
pub mod result;
pub mod rules;
pub mod select;
pub mod synth;
pub mod text;
pub mod toml_reader;
pub mod triage;
pub mod values;
