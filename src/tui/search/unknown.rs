//! An unknown caller: a pop of a number no customer has offers three ways
//! on (a new customer with the number filled in; a record of the number
//! alone to log the contact against; the number added to a customer found
//! by search), besides searching. Each is a write under its own
//! idempotency key, sent at once; the customer it answers with opens.

use super::model::NewCustomerPrompt;
use super::update::search_for;
use crate::api::{CustomerSummary, NewCustomerRecord, NewPhone, PhoneWrite, Write};
use crate::domain::{phone, Customer};
use crate::tui::action::{Effect, Reply};
use crate::tui::forms::choice::Choice;
use crate::tui::state::{AppState, Level, Overlay};
use crate::tui::workspace::update::open_customer;

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
            state.overlay = Some(Overlay::NewCustomer(NewCustomerPrompt::new(&number)));
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
pub fn create(state: &mut AppState, mut prompt: NewCustomerPrompt) -> Vec<Effect> {
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
    let key = match &prompt.sent {
        Some((key, sent)) if *sent == record => key.clone(),
        _ => state.new_key(),
    };
    prompt.sent = Some((key.clone(), record.clone()));
    state.overlay = Some(Overlay::NewCustomer(prompt));
    state.progress("New customer…");
    vec![Effect::WriteCustomer {
        key,
        write: Write::NewCustomer(record),
    }]
}

/// Enter on a search result while adding a number: the number goes to them.
pub fn add_to(state: &mut AppState, number: String, customer: &CustomerSummary) -> Vec<Effect> {
    send(
        state,
        Write::AddPhone(PhoneWrite {
            customer_id: customer.id,
            phone: NewPhone { phone: number },
        }),
    )
}

fn send(state: &mut AppState, write: Write) -> Vec<Effect> {
    state.progress(format!("{}…", write.label()));
    let key = state.new_key();
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
