//! What the palette lists for what was typed.

use crate::tui::fuzzy;
use crate::tui::keymap::Command;
use crate::tui::state::AppState;

/// The commands the palette lists for `query`, best first (editing keys are
/// for the field being typed in, so they are not among them).
pub fn palette_commands(state: &AppState, query: &str) -> Vec<Command> {
    let items: Vec<(Command, String)> = Command::ALL
        .iter()
        .filter(|c| c.edit().is_none())
        .map(|c| (*c, format!("{} {}", c.name(), c.description())))
        .collect();
    fuzzy::rank(&items, query)
        .into_iter()
        .filter(|c| *c != Command::CommandPalette || state.overlay.is_none())
        .collect()
}
