//! The session's data: the state of the link to the server and the sign-in
//! form.

use crate::tui::input::TextInput;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// Signing in or not yet tried.
    Connecting,
    Online,
    /// The server answers, but slowly or with errors; the text says how.
    Degraded(String),
    /// The last request could not reach the server; the text says why.
    Offline(String),
}

/// The sign-in form, shown when no server or token was configured, or when the
/// server refused the token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignIn {
    pub server: TextInput,
    pub token: TextInput,
    /// 0 = server, 1 = token.
    pub focus: usize,
    pub busy: bool,
}
