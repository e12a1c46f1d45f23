//! Leaving: `back` closes what is open (overlay, filter, expanded event) or
//! retraces the agent's own path (the trail `AppState::leave_here` keeps) to
//! the place before, reopening it as it was; `quit` asks first when forms
//! would be lost.

use crate::tui::action::Effect;
use crate::tui::boards::update as boards;
use crate::tui::forms::model::Stage;
use crate::tui::offline::model::LocalCache;
use crate::tui::search::update as search;
use crate::tui::state::{AppState, Level, Place, Screen};
use crate::tui::workspace::update::open_customer;

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
    let place = state.trail.pop();
    state.retracing = true;
    let effects = match place {
        None | Some(Place::Home) => {
            state.screen = Screen::Home;
            vec![]
        }
        Some(Place::Search(query)) => search::reopen(state, &query),
        Some(Place::Customer(summary)) => open_customer(state, summary, None),
        Some(Place::Board(kind)) => boards::open(state, kind),
    };
    state.retracing = false;
    effects
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
