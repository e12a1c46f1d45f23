//! The one checker for the TOML files people write for Switchboard
//! (`config.toml`, keymaps, themes, and whatever file comes next): it parses a
//! file into a tree that remembers where every key and value was written,
//! places each problem as `file:line:col: message`, and suggests the name
//! that was meant when one is misspelt.
//!
//! A loader reads a file with [`read`], makes a [`Checker`] for its text,
//! walks the [`Table`] that [`Checker::parse`] returns, reports what is wrong
//! with [`Checker::report`] and [`Checker::unknown`] as it goes, and ends with
//! [`Checker::into_errors`]: every problem in the file at once, in the order
//! they were found.

mod checker;
mod error;
mod hint;
mod tree;

pub use checker::Checker;
pub use error::ConfigError;
pub use hint::{hint, unknown};
pub use tree::{Entry, Node, Table, Value};

use std::path::Path;

/// The text of the file at `path`: `None` when there is no such file, an
/// error placed at its first line when it cannot be read.
pub fn read(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError::whole_file(
            path.display().to_string(),
            format!("cannot read: {e}"),
        )),
    }
}
