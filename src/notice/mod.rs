//! Notice metadata: the machine-readable form of a register's privacy notice
//! (`notice.toml`). Lint and draft of the notice text are `crate::notice_lint`.

mod load;
mod model;

pub use load::{load_notice, parse_notice};
pub use model::*;
