//! A register to audit: its notice, data files, key column, column mapping and
//! marketing logs. The one register type: a config or the flags name the
//! notice by path (`Register<PathBuf>`), the scan plan loads it (`Register`).

use crate::columns::ColumnSpec;
use crate::error::Error;
use crate::ingest::{InputPath, ReadOptions};
use crate::notice::{load_notice, Notice};
use std::path::{Path, PathBuf};

/// One input file of a register and how to read it.
#[derive(Debug, Clone)]
pub struct DataInput {
    pub path: InputPath,
    pub read: ReadOptions,
}

impl DataInput {
    /// A file read with options sniffed from its content.
    pub fn file(path: PathBuf) -> Self {
        DataInput {
            path: InputPath::File(path),
            read: ReadOptions::default(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Register<N = Notice> {
    pub name: String,
    pub notice: N,
    pub data: Vec<DataInput>,
    /// Record-key column named by the user; found by the mapping otherwise.
    pub key: Option<String>,
    pub columns: Vec<(String, ColumnSpec)>,
    /// Marketing-event log (key, channel, sent_at).
    pub events: Option<DataInput>,
    /// Marketing-ban log (key, channel, banned_at, lifted_at).
    pub bans: Option<DataInput>,
}

impl<N> Register<N> {
    /// The same register with another notice.
    pub fn with_notice<M>(self, notice: M) -> Register<M> {
        Register {
            name: self.name,
            notice,
            data: self.data,
            key: self.key,
            columns: self.columns,
            events: self.events,
            bans: self.bans,
        }
    }
}

impl Register<PathBuf> {
    pub fn load_notice(self) -> Result<Register, Error> {
        let notice = load_notice(&self.notice)?;
        Ok(self.with_notice(notice))
    }
}

impl Register {
    /// Every file the audit reads (standard input aside), which no output may overwrite.
    pub fn input_files(&self) -> impl Iterator<Item = &Path> {
        let logs = self.events.iter().chain(&self.bans);
        self.data
            .iter()
            .chain(logs)
            .filter_map(|d| match &d.path {
                InputPath::File(p) => Some(p.as_path()),
                InputPath::Stdin | InputPath::Database(_) => None,
            })
            .chain(self.notice.given.then_some(self.notice.path.as_path()))
    }
}
