//! Notice metadata: the machine-readable form of a register's privacy notice
//! (`notice.toml`). Later: lint and draft of the notice text itself.

mod load;
mod model;

pub use load::{load_notice, parse_notice};
pub use model::*;
