//! The screen pop of a typed or offered number, e-mail or account: one match
//! opens, several offer a chooser, none searches; but a number no customer
//! has offers the ways on (a new customer with the number filled in; a
//! record of the number alone to log the contact against; the number added
//! to a customer found by search), besides searching. Each is a write sent
//! at once under an idempotency key (the same write sent again, after a
//! failure, under the same key); the customer it answers with opens.

use super::model::NewCustomerPrompt;
use super::update::search_for;
use crate::api::{CustomerSummary, NewCustomerRecord, NewPhone, PhoneWrite, Write};
use crate::domain::{phone, Customer};
use crate::tui::action::{Effect, Failure, Reply};
use crate::tui::forms::choice::Choice;
use crate::tui::session::failure::failed;
use crate::tui::session::model::Connection;
use crate::tui::state::{AppState, Level, Overlay};
use crate::tui::workspace::update::open_customer;

/// Starts a screen pop for a typed or pasted number, e-mail or account.
pub fn pop(state: &mut AppState, query: &str) -> Vec<Effect> {
    if query.is_empty() {
        return vec![];
    }
    let request = state.next_request();
    state.search.request = request;
    state.progress(format!("Looking up {query}…"));
    vec![Effect::Lookup {
        request,
        query: query.to_string(),
    }]
}

pub fn pop_results(
    state: &mut AppState,
    request: u64,
    query: String,
    reply: Reply<Vec<CustomerSummary>>,
) -> Vec<Effect> {
    if request != state.search.request {
        return vec![];
    }
    let matches = match reply {
        Ok(m) => m,
        Err(Failure::Refused(message)) => {
            // The server could not read it (not a phone, e-mail or account):
            // search for it instead.
            state.notify(Level::Warning, format!("{message}; searching instead"));
            return search_for(state, &query);
        }
        Err(failure) => return failed(state, failure),
    };
    state.connection = Connection::Online;
    for m in &matches {
        state.known.remember(m);
    }
    match matches.len() {
        0 if is_number(&query) => offer(state, &query),
        0 => {
            state.notify(Level::Warning, format!("No customer matches {query}"));
            search_for(state, &query)
        }
        1 => {
            state.clear_passing_notice();
            open_customer(
                state,
                matches[0].clone(),
                Some(format!("popped for {query}")),
            )
        }
        n => {
            state.notify(
                Level::Info,
                format!("{n} customers match {query}: pick one"),
            );
            state.overlay = Some(Overlay::Chooser {
                query,
                matches,
                selected: 0,
            });
            vec![]
        }
    }
}

/// Whether a pop of `query` that matched no one offers the ways on: it is a
/// number.
pub fn is_number(query: &str) -> bool {
    phone::looks_like_phone(query.trim())
}

/// The ways on for `number`.
pub fn offer(state: &mut AppState, number: &str) -> Vec<Effect> {
    state.notify(
        Level::Warning,
        format!("No customer has {number}: pick how to go on"),
    );
    let options = [
        ("new", "New customer (the number filled in)…"),
        ("number", "Log against this number only"),
        ("add", "Add this number to a customer (search)…"),
        ("search", "Search instead"),
    ];
    state.overlay = Some(Overlay::UnknownCaller {
        number: number.to_string(),
        choice: Choice::new(
            options
                .iter()
                .map(|(code, label)| (code.to_string(), label.to_string()))
                .collect(),
        ),
    });
    vec![]
}

/// Enter on the ways on.
pub fn chosen(state: &mut AppState, number: String, code: &str) -> Vec<Effect> {
    match code {
        "new" => {
            state.overlay = Some(Overlay::NewCustomer(Box::new(NewCustomerPrompt::new(
                &number,
            ))));
            vec![]
        }
        "number" => send(
            state,
            Write::NewCustomer(NewCustomerRecord {
                name: None,
                phone: number,
                email: None,
                language: None,
                time_zone: None,
            }),
        ),
        "add" => {
            let effects = search_for(state, "");
            state.notify(
                Level::Info,
                format!("Find the customer to add {number} to, then enter"),
            );
            state.search.adding_number = Some(number);
            effects
        }
        _ => search_for(state, &number),
    }
}

/// Tab in the new-customer prompt: the next line.
pub fn next_field(prompt: &mut NewCustomerPrompt) {
    prompt.focus = (prompt.focus + 1) % prompt.fields.len();
}

/// Enter in the new-customer prompt: sent when it has a name. The prompt
/// stays until the customer opens, so a refusal can be corrected; the same
/// request sent again goes under the same key.
pub fn create(state: &mut AppState, prompt: Box<NewCustomerPrompt>) -> Vec<Effect> {
    let [name, email, language, zone] = prompt.fields.clone().map(|f| {
        let text = f.text.trim().to_string();
        (!text.is_empty()).then_some(text)
    });
    if name.is_none() {
        state.notify(Level::Warning, "A new customer needs a name");
        state.overlay = Some(Overlay::NewCustomer(prompt));
        return vec![];
    }
    let record = NewCustomerRecord {
        name,
        phone: prompt.number.clone(),
        email,
        language,
        time_zone: zone,
    };
    state.overlay = Some(Overlay::NewCustomer(prompt));
    send(state, Write::NewCustomer(record))
}

/// Enter on a search result while adding `number`: the number goes to
/// them.
pub fn add_to_selected(state: &mut AppState, number: String) -> Vec<Effect> {
    let Some(id) = state
        .search
        .rows
        .get(state.search.selected)
        .map(|row| row.customer.id)
    else {
        return vec![];
    };
    send(
        state,
        Write::AddPhone(PhoneWrite {
            customer_id: id,
            phone: NewPhone { phone: number },
        }),
    )
}

/// Sends `write`; the same write sent again (after a failure) goes under
/// the same key, so the server records it once.
fn send(state: &mut AppState, write: Write) -> Vec<Effect> {
    state.progress(format!("{}…", write.label()));
    let key = match &state.search.last_write {
        Some((key, sent)) if *sent == write => key.clone(),
        _ => state.new_key(),
    };
    state.search.last_write = Some((key.clone(), write.clone()));
    vec![Effect::WriteCustomer { key, write }]
}

/// The server's answer: the customer opens, or why not (the prompt's
/// input is kept for another try).
pub fn written(state: &mut AppState, reply: Reply<Customer>) -> Vec<Effect> {
    match reply {
        Ok(customer) => {
            state.search.adding_number = None;
            state.notify(
                Level::Success,
                format!("Saved: {} ({})", customer.name, customer.account_number),
            );
            let summary = CustomerSummary::from(&customer);
            state.known.remember(&summary);
            open_customer(state, summary, Some("new on this call".into()))
        }
        Err(failure) => {
            state.notify(Level::Error, format!("Not saved: {}", failure.text()));
            vec![]
        }
    }
}
