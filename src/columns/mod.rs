//! The column vocabulary: roles (what a column means to the rules), data
//! categories, header synonyms, and how each column of a file was mapped
//! (config, header or content). Everything that reads or reports columns
//! speaks it; it depends only on the detectors and the reader.

mod content;
mod headers;
mod info;
mod resolve;
mod role;
mod vocabulary;

pub use content::{thousands, ContentKind, ContentProfile};
pub use headers::{header_words, HeaderEvidence, HeaderMatch};
pub use info::{ColumnInfo, ColumnSpec, MappingSource};
pub use resolve::{resolve_columns, ColumnSample};
pub use role::Role;
pub use vocabulary::{
    covers, normalize_header, vocabulary, CategoryInfo, CellKind, RoleInfo, Vocabulary,
    CATEGORIES_TOML, COLUMNS_TOML,
};
