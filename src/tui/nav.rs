//! Leaving: `back` closes what is open (overlay, filter, expanded event) or
//! returns to the screen the agent came from; `quit` asks first when forms
//! would be lost.

use crate::tui::action::Effect;
use crate::tui::boards::update as boards;
use crate::tui::forms::model::Stage;
use crate::tui::offline::model::LocalCache;
use crate::tui::state::{AppState, Level, Screen};

pub fn back(state: &mut AppState) -> Vec<Effect> {
    if state.overlay.take().is_some() {
        return vec![];
    }
    if let (Screen::Customer, Some(view)) = (&state.screen, state.customer.as_mut()) {
        if view.editing_filter {
            view.editing_filter = false;
            return vec![];
        }
        if view.expanded {
            view.expanded = false;
            return vec![];
        }
    }
    let from_board = state.customer.as_ref().and_then(|c| c.from_board);
    state.screen = match state.screen {
        Screen::Customer => match from_board {
            Some(kind) => return boards::open(state, kind),
            None if !state.search.input.text.is_empty() => Screen::Search,
            None => Screen::Home,
        },
        _ => Screen::Home,
    };
    vec![]
}

pub fn quit(state: &mut AppState) -> Vec<Effect> {
    let unsent: Vec<&str> = state
        .drafts
        .iter()
        .filter(|f| f.dirty || !matches!(f.stage, Stage::Editing))
        .map(|f| f.kind.title())
        .collect();
    if unsent.is_empty() || state.quit_armed || state.local == LocalCache::Ready {
        // With a local cache, forms are kept as drafts for next time.
        state.quit = true;
    } else {
        state.quit_armed = true;
        let list = unsent.join(", ");
        state.notify(
            Level::Warning,
            format!("Unsent: {list}. Quit again to quit and lose them"),
        );
    }
    vec![]
}
