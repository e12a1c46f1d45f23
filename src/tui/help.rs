//! What help lists over a view: its first rows (the server and who is
//! signed in, where `demo` put its tokens, how calls start coming), the keys
//! of the view under it, and on a board what its columns mean. The overlay
//! draws these lines; `overlays` counts them so scrolling stops at the last
//! page.

use crate::domain::Role;
use crate::tui::boards::model::column_meanings;
use crate::tui::keymap::{Command, Mode};
use crate::tui::layout;
use crate::tui::state::{AppState, Screen};

/// How calls start coming to this agent, while the server has not said they
/// are (`None` once it has, for a `system` sign-in, or when no key sets the
/// state). Home shows it too.
pub fn how_to_take_calls(state: &AppState) -> Option<String> {
    let agent = state.agent.as_ref()?;
    if agent.role == Role::System || state.floor.takes_calls() {
        return None;
    }
    let key = state.keymap.key_for(Mode::Home, Command::SetState)?;
    Some(format!("Press {key} and pick Available to take calls."))
}

/// Help's first rows as (label, text), for an agent new to the desk; a
/// blank line follows them.
pub fn about_rows(state: &AppState) -> Vec<(&'static str, String)> {
    let who = match &state.agent {
        Some(a) => format!("signed in as {} ({})", a.name, a.role.as_str()),
        None => "not signed in".to_string(),
    };
    let mut rows = vec![(
        "Server",
        format!("{} {} {who}", state.server, state.glyphs.separator),
    )];
    if let Some(path) = &state.tokens_file {
        rows.push(("Demo tokens", format!("in {path}")));
    }
    rows.extend(how_to_take_calls(state).map(|calls| ("Calls", calls)));
    rows
}

/// The lines help shows, one per row (text is cut to fit, never wrapped):
/// the first rows and a blank, a key a line, and on a board a heading and a
/// column a line.
pub fn lines(state: &AppState) -> usize {
    let keys = state.keymap.bindings(state.mode_without_overlay()).len();
    let columns = match state.screen {
        Screen::Board(kind) => 1 + column_meanings(kind).len(),
        _ => 0,
    };
    about_rows(state).len() + 1 + keys + columns
}

/// The furthest help scrolls: its last page fills the box.
pub fn last_scroll(state: &AppState) -> usize {
    let (width, height) = state.size;
    lines(state).saturating_sub(layout::overlay_rows(width, height))
}
