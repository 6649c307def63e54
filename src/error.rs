//! Errors that stop a run (exit status 2). Every one names the file and, where
//! it is known, the line and column, and quotes no personal data unmasked.

use crate::diagnostic::Diagnostics;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with an input file: missing, unreadable, or not the format it claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: PathBuf,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl InputError {
    pub fn new(file: &Path, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn at(file: &Path, line: u64, column: u64, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_path_buf(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    /// Describes an I/O failure on opening or reading `file` in words a user can act on.
    pub fn io(file: &Path, err: &std::io::Error) -> Self {
        let message = match err.kind() {
            std::io::ErrorKind::NotFound => "file not found".to_string(),
            std::io::ErrorKind::PermissionDenied => {
                "permission denied: cannot read the file".into()
            }
            _ if file.is_dir() => "is a directory, expected a file".to_string(),
            _ => format!("cannot read: {err}"),
        };
        InputError::new(file, message)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for InputError {}

/// Everything that makes a run fail before or while auditing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Config, notice or rule files with problems (all of them listed).
    #[error("{0}")]
    Invalid(#[from] Diagnostics),
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {message}")]
    Output { path: PathBuf, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
