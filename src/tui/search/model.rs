//! The search screen's data and the rules for merging local and server
//! matches; how a typed pop is read (phone, e-mail or account).

use crate::api::{CustomerSummary, MatchedOn};
use crate::domain::phone;
use crate::tui::fuzzy::{self, LocalHit, Narrowing};
use crate::tui::input::TextInput;

/// Server search starts at this many characters.
pub const MIN_SERVER_QUERY: usize = 2;
/// Results asked from the server per search.
pub const SEARCH_LIMIT: u32 = 30;

/// One line of search results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRow {
    pub customer: CustomerSummary,
    pub matched_on: MatchedOn,
    pub exact: bool,
    /// From the server's search (as opposed to only the local index).
    pub from_server: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchState {
    pub input: TextInput,
    pub rows: Vec<SearchRow>,
    /// The local index's matches for the current text.
    pub local: Vec<LocalHit>,
    pub narrowing: Narrowing,
    pub selected: usize,
    /// The request whose answer is still wanted; older answers are dropped.
    pub request: u64,
    pub waiting: bool,
    /// An unknown caller's number the agent is adding to the customer they
    /// pick here (enter adds it instead of opening the customer).
    pub adding_number: Option<String>,
    /// The last unknown-caller write sent, with its key: sent again, it
    /// reuses the key.
    pub last_write: Option<(String, crate::api::Write)>,
}

/// The new-customer prompt for an unknown caller: the number, and what the
/// agent types (name, e-mail, language, time zone), one line each.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCustomerPrompt {
    pub number: String,
    pub fields: [TextInput; 4],
    pub focus: usize,
}

impl NewCustomerPrompt {
    pub const LABELS: [&'static str; 4] = ["Name", "E-mail", "Language", "Time zone"];

    pub fn new(number: &str) -> NewCustomerPrompt {
        NewCustomerPrompt {
            number: number.to_string(),
            fields: Default::default(),
            focus: 0,
        }
    }
}

/// Exact identity matches first, then the best fuzzy matches of what the desk
/// knows, then what only the server found, each customer once.
pub fn merge_rows(local: &[fuzzy::LocalHit], server: Vec<SearchRow>) -> Vec<SearchRow> {
    let mut rows: Vec<SearchRow> = Vec::new();
    let exact_server = server.iter().filter(|r| r.exact).cloned();
    let exact_local = local.iter().filter(|h| h.exact).map(local_row);
    let fuzzy_local = local.iter().filter(|h| !h.exact).map(local_row);
    let rest_server = server.iter().filter(|r| !r.exact).cloned();
    for row in exact_server
        .chain(exact_local)
        .chain(fuzzy_local)
        .chain(rest_server)
    {
        if !rows.iter().any(|r| r.customer.id == row.customer.id) {
            rows.push(row);
        }
    }
    rows
}

fn local_row(hit: &fuzzy::LocalHit) -> SearchRow {
    SearchRow {
        customer: hit.customer.clone(),
        matched_on: hit.matched_on,
        exact: hit.exact,
        from_server: false,
    }
}

/// What the lookup endpoint should be asked: phone, e-mail or account.
pub fn classify_pop(query: &str) -> crate::api::LookupQuery {
    let q = query.trim().to_string();
    let mut lookup = crate::api::LookupQuery::default();
    if q.contains('@') {
        lookup.email = Some(q);
    } else if phone::looks_like_phone(&q) {
        lookup.phone = Some(q);
    } else {
        lookup.account = Some(q);
    }
    lookup
}
