//! A problem in a settings file, said the one way every file's problems are
//! said: `file:line:col: message`.

/// A problem in a settings file, with the place it was found (1-based line
/// and column, the column counted in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ConfigError {
    /// A problem with the file as a whole (it cannot be read, it is not
    /// private, it does not exist), placed at its start.
    pub fn whole_file(path: impl Into<String>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: path.into(),
            line: 1,
            column: 1,
            message: message.into(),
        }
    }
}
