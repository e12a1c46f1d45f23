//! How typing, replies and pops change the search: the local index answers
//! at once, the server's answer is merged in when it arrives (older answers
//! are dropped), and a pop opens its customer, offers a chooser, or searches.

use crate::api::SearchHit;
use crate::tui::action::{Effect, Reply};
use crate::tui::input::TextInput;
use crate::tui::list::step;
use crate::tui::search::model::{merge_rows, SearchRow, SearchState, MIN_SERVER_QUERY};
use crate::tui::session::failure::failed;
use crate::tui::session::model::Connection;
use crate::tui::state::{AppState, Place, Screen};
use crate::tui::workspace::update::open_customer;

pub fn refresh_search(state: &mut AppState) -> Vec<Effect> {
    let query = state.search.input.text.clone();
    state.search.local = state.known.search(&query, &mut state.search.narrowing);
    let server_rows: Vec<SearchRow> = state
        .search
        .rows
        .iter()
        .filter(|r| r.from_server)
        .cloned()
        .collect();
    state.search.rows = merge_rows(&state.search.local, server_rows);
    state.search.selected = 0;
    // Any answer to an earlier text is stale now, even if nothing is asked.
    let request = state.next_request();
    state.search.request = request;
    if query.trim().chars().count() < MIN_SERVER_QUERY {
        state.search.waiting = false;
        return vec![];
    }
    state.search.waiting = true;
    vec![Effect::Search { request, query }]
}

pub fn search_results(
    state: &mut AppState,
    request: u64,
    reply: Reply<Vec<SearchHit>>,
) -> Vec<Effect> {
    if request != state.search.request {
        return vec![];
    }
    state.search.waiting = false;
    let hits = match reply {
        Ok(hits) => hits,
        Err(failure) => return failed(state, failure),
    };
    state.connection = Connection::Online;
    for hit in &hits {
        state.known.remember(&hit.customer);
    }
    let server_rows = hits
        .into_iter()
        .map(|h| SearchRow {
            customer: h.customer,
            matched_on: h.matched_on,
            exact: h.exact,
            from_server: true,
        })
        .collect();
    // A selection the agent moved stays on its customer; otherwise the best
    // (possibly newly arrived exact) match is selected.
    let selected_id = (state.search.selected > 0)
        .then(|| {
            state
                .search
                .rows
                .get(state.search.selected)
                .map(|r| r.customer.id)
        })
        .flatten();
    state.search.rows = merge_rows(&state.search.local, server_rows);
    state.search.selected = selected_id
        .and_then(|id| state.search.rows.iter().position(|r| r.customer.id == id))
        .unwrap_or(0);
    vec![]
}

pub fn search_for(state: &mut AppState, query: &str) -> Vec<Effect> {
    state.leave_here(&Place::Search(query.to_string()));
    state.screen = Screen::Search;
    state.overlay = None;
    state.search.input = TextInput::with(query);
    refresh_search(state)
}

/// A new search starts empty.
pub fn open_search(state: &mut AppState) -> Vec<Effect> {
    state.overlay = None;
    state.leave_here(&Place::Search(String::new()));
    state.screen = Screen::Search;
    state.search = SearchState::default();
    vec![]
}

/// `back` to a search: its query again, selected so typing replaces it, and
/// its results asked for again.
pub fn reopen(state: &mut AppState, query: &str) -> Vec<Effect> {
    state.overlay = None;
    state.screen = Screen::Search;
    state.search.adding_number = None;
    state.search.input = TextInput::with(query);
    state.search.input.select_all();
    refresh_search(state)
}

pub fn move_by(state: &mut AppState, delta: isize) -> Vec<Effect> {
    state.search.selected = step(state.search.selected, delta, state.search.rows.len());
    vec![]
}

/// Enter on the results: the selected customer opens.
pub fn open_selected(state: &mut AppState) -> Vec<Effect> {
    let Some(summary) = state
        .search
        .rows
        .get(state.search.selected)
        .map(|row| row.customer.clone())
    else {
        return vec![];
    };
    open_customer(state, summary, None)
}
