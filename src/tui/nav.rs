//! Leaving: `back` closes what is open (overlay, filter, expanded event) or
//! retraces the agent's own path (the trail `AppState::leave_here` keeps) to
//! the place before, reopening it as it was; `quit` asks first when forms
//! would be lost.

use crate::tui::action::Effect;
use crate::tui::boards::update as boards;
use crate::tui::forms::model::Stage;
use crate::tui::keymap::Command;
use crate::tui::offline::model::LocalCache;
use crate::tui::search::update as search;
use crate::tui::state::{AppState, Level, Place, Screen};
use crate::tui::workspace::update::{open_customer, summary_for};

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

/// Quit, asking first (once) when anything typed has not reached the outbox:
/// forms with text or waiting to be confirmed or sent, and drafts kept from
/// the last session. A second quit while the question is up quits.
pub fn quit(state: &mut AppState) -> Vec<Effect> {
    let mut unsent: Vec<String> = state
        .drafts
        .iter()
        .filter(|f| f.dirty || !matches!(f.stage, Stage::Editing))
        .map(|f| {
            let who = summary_for(state, f.customer, None).name;
            format!("{} ({who})", f.kind.title())
        })
        .collect();
    unsent.extend(
        state
            .kept_drafts
            .iter()
            .map(|d| format!("{} ({})", d.kind.title(), d.customer.name)),
    );
    if unsent.is_empty() || state.quit_armed {
        state.quit = true;
        return vec![];
    }
    state.quit_armed = true;
    let fate = match state.local {
        // With a local cache, forms are kept as drafts for next time.
        LocalCache::Ready => "kept as drafts for next time",
        LocalCache::Opening | LocalCache::Without(_) => "lost",
    };
    let key = state
        .keymap
        .key_for(state.mode(), Command::Quit)
        .unwrap_or_else(|| "quit".into());
    state.notify(
        Level::Warning,
        format!(
            "Not sent: {}. Press {key} again to quit ({fate}); any other key stays",
            unsent.join(", ")
        ),
    );
    vec![]
}
