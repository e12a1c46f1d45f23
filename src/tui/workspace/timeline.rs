//! Moving through the open customer's timeline and suggestions, paging in
//! older events as the selection nears the end, and the channel and kind
//! filters (applied by the server, so pages stay complete).

use crate::domain::{Channel, CustomerId, EventKind};
use crate::tui::action::Effect;
use crate::tui::input::TextInput;
use crate::tui::layout;
use crate::tui::list::step;
use crate::tui::state::{AppState, Level, Screen};
use crate::tui::workspace::model::{timeline_query, visible_events, Focus};

/// Load the next page when the selection comes this close to the end.
const PREFETCH_MARGIN: usize = 20;

/// Rows in a page of the list in view.
pub fn page(state: &AppState) -> usize {
    layout::timeline_rows(state.size.0, state.size.1).max(1)
}

pub fn keep_selection_visible(state: &mut AppState) {
    let rows = page(state);
    if let Some(view) = state.customer.as_mut() {
        if view.selected < view.offset {
            view.offset = view.selected;
        } else if view.selected >= view.offset + rows {
            view.offset = view.selected + 1 - rows;
        }
    }
}

pub fn load_more_if_near_end(state: &mut AppState) -> Vec<Effect> {
    let Some(view) = state.customer.as_ref() else {
        return vec![];
    };
    let visible = visible_events(view).len();
    if view.loading_more || view.next_before.is_none() || view.selected + PREFETCH_MARGIN < visible
    {
        return vec![];
    }
    let (id, request, before) = (view.id, view.timeline_request, view.next_before.clone());
    let (account, query) = (view.account, timeline_query(view, before));
    if let Some(view) = state.customer.as_mut() {
        view.loading_more = true;
    }
    vec![Effect::LoadTimeline {
        request,
        id,
        account,
        query,
        append: true,
    }]
}

enum FilterStep {
    Channel,
    Kind,
    Clear,
    /// Between this customer's own events and their organisation's whole account.
    Scope(Option<CustomerId>),
}

/// Filters by channel and kind are applied by the server, so the pages stay
/// complete; changing one reloads the timeline.
fn cycle_filter(state: &mut AppState, which: FilterStep) -> Vec<Effect> {
    if state.screen != Screen::Customer {
        return vec![];
    }
    let request = state.next_request();
    let Some(view) = state.customer.as_mut() else {
        return vec![];
    };
    match which {
        FilterStep::Channel => view.channel = next_of(Channel::ALL, view.channel),
        FilterStep::Kind => view.kind = next_of(EventKind::ALL, view.kind),
        FilterStep::Clear => {
            view.channel = None;
            view.kind = None;
            view.text_filter = TextInput::default();
        }
        FilterStep::Scope(account) => view.account = account,
    }
    view.timeline_request = request;
    view.events.clear();
    view.next_before = None;
    view.timeline_loaded = false;
    view.loading_more = true;
    view.selected = 0;
    view.offset = 0;
    vec![Effect::LoadTimeline {
        request,
        id: view.id,
        account: view.account,
        query: timeline_query(view, None),
        append: false,
    }]
}

/// Switches the timeline between the open customer's own events and the
/// whole account: of the organisation a contact is calling for, or of the
/// organisation itself. A consumer has no account.
pub fn toggle_account(state: &mut AppState) -> Vec<Effect> {
    let Some(view) = state.customer.as_ref() else {
        return vec![];
    };
    if view.profile.is_none() {
        return vec![];
    }
    let Some(organisation) = view.account_id() else {
        state.notify(
            Level::Info,
            "A consumer: there is no business account to show.",
        );
        return vec![];
    };
    let next = match view.account {
        Some(_) => None,
        None => Some(organisation),
    };
    cycle_filter(state, FilterStep::Scope(next))
}

/// The value after `current` in `all`, then none, then the first again.
fn next_of<T: Copy + PartialEq>(all: &[T], current: Option<T>) -> Option<T> {
    match current {
        None => all.first().copied(),
        Some(c) => all
            .iter()
            .position(|x| *x == c)
            .and_then(|i| all.get(i + 1))
            .copied(),
    }
}

/// Moves the selection in the focused pane by `delta`, paging in older
/// events near the end of the timeline.
pub fn move_by(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let Some(view) = state.customer.as_mut() else {
        return vec![];
    };
    if view.focus == Focus::Suggestions {
        let len = view.suggestions.as_ref().map_or(0, Vec::len);
        view.selected_suggestion = step(view.selected_suggestion, delta, len);
        return vec![];
    }
    let visible = visible_events(view).len();
    view.selected = step(view.selected, delta, visible);
    keep_selection_visible(state);
    load_more_if_near_end(state)
}

pub fn filter_by_channel(state: &mut AppState) -> Vec<Effect> {
    cycle_filter(state, FilterStep::Channel)
}

pub fn filter_by_kind(state: &mut AppState) -> Vec<Effect> {
    cycle_filter(state, FilterStep::Kind)
}

pub fn clear_filters(state: &mut AppState) -> Vec<Effect> {
    cycle_filter(state, FilterStep::Clear)
}
