//! A failed request, as the agent sees it: the status line says what went
//! wrong and the title bar's link state follows.

use crate::tui::action::{Effect, Failure};
use crate::tui::session::model::Connection;
use crate::tui::state::{AppState, Level};

pub(crate) fn failed(state: &mut AppState, failure: Failure) -> Vec<Effect> {
    match failure {
        Failure::Unreachable(m) => {
            state.notify(Level::Error, format!("Server unreachable: {m}"));
            state.connection = Connection::Offline(m);
        }
        Failure::Unauthenticated(m) => {
            state.notify(Level::Error, format!("Signed out by the server: {m}"));
        }
        Failure::Retry(m) => {
            state.notify(Level::Error, m.clone());
            state.connection = Connection::Degraded(m);
        }
        Failure::Refused(m) => state.notify(Level::Error, m),
    }
    vec![]
}
