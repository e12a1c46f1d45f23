//! How the floor's events and the agent's state changes change the desk:
//! offers pop the caller, the agent's own state follows the server, and a
//! supervisor's decision is told. Called from `tui::update`; no I/O.

use crate::api::{AgentStatus, ContactOffered, FloorEvent, NewAgentState};
use crate::domain::AgentState;
use crate::tui::action::{Effect, Reply};
use crate::tui::boards::update as boards;
use crate::tui::floor::model::{clock, Contact};
use crate::tui::forms::choice::Choice;
use crate::tui::keymap::{Command, Mode};
use crate::tui::search::pop::pop;
use crate::tui::state::{AppState, Level, Overlay};
use crate::tui::workspace::update::{open_customer, reload_customer, summary_for};

/// One event from the stream (already sanitised).
pub fn on_event(state: &mut AppState, event: FloorEvent) -> Vec<Effect> {
    state.floor.streaming = true;
    let mut effects = boards::on_event(state, &event);
    effects.extend(for_me(state, event));
    effects
}

/// What an event means for this desk's own agent.
fn for_me(state: &mut AppState, event: FloorEvent) -> Vec<Effect> {
    let me = state.agent.as_ref().map(|a| a.id);
    match event {
        FloorEvent::ContactOffered(offer) => offered(state, offer),
        FloorEvent::AgentState(status) if Some(status.agent_id) == me => {
            // On the offered call: it has been answered.
            if let Some(contact) = state.floor.contact.as_mut() {
                if status.state == AgentState::OnContact
                    && status.call_id.as_deref() == Some(contact.call_id.as_str())
                {
                    contact.answered = true;
                }
            }
            state.floor.status = Some(status);
            vec![]
        }
        FloorEvent::ApprovalDecided(decision) if Some(decision.requested_by) == me => {
            let note = match decision.note.trim() {
                "" => String::new(),
                note => format!(" \"{note}\""),
            };
            state.notify(Level::Info, format!("{}{note}", decision.message));
            let on_screen = state
                .customer
                .as_ref()
                .is_some_and(|v| v.id == decision.customer_id);
            if on_screen {
                return reload_customer(state);
            }
            vec![]
        }
        _ => vec![],
    }
}

/// A contact offered to this agent: the caller pops at once, by the customer
/// the server matched or else by number (a chooser when several match);
/// but while the agent is in a form (or a prompt) the pop is announced in
/// the status line and the title and waits for `go_to_call`, unless the
/// desk is set to pop over forms.
fn offered(state: &mut AppState, offer: ContactOffered) -> Vec<Effect> {
    state.floor.contact = Some(Contact {
        call_id: offer.call_id.clone(),
        queue: offer.queue.clone(),
        caller: offer.caller.clone(),
        offered_at: offer.offered_at,
        customer: offer.customer_id,
        transfer: offer.transfer.clone(),
        answered: false,
    });
    if let Some(status) = state.floor.status.as_mut() {
        status.state = AgentState::OnContact;
        status.since = Some(offer.offered_at);
        status.reason = None;
        status.queue = Some(offer.queue.clone());
    }
    if in_the_middle_of_something(state) && !state.pop_over_forms {
        let key = state
            .keymap
            .key_for(Mode::Form, Command::GoToCall)
            .unwrap_or_else(|| "the palette's go_to_call".into());
        let caller = offer
            .caller
            .clone()
            .unwrap_or_else(|| "an unknown number".into());
        state.notify(
            Level::Warning,
            format!(
                "Call from {caller} ({} queue): {key} shows them; what you are typing stays as a draft",
                offer.queue
            ),
        );
        state.floor.waiting_pop = Some(offer);
        return vec![];
    }
    pop_offer(state, offer)
}

/// Whether the agent is typing something a pop would take off the screen:
/// a form, or a prompt.
fn in_the_middle_of_something(state: &AppState) -> bool {
    let form = state.screen == crate::tui::state::Screen::Customer
        && state.customer.as_ref().is_some_and(|v| v.form.is_some());
    form || matches!(
        state.overlay,
        Some(Overlay::Transfer(_) | Overlay::Decision(_) | Overlay::Pop { .. })
    )
}

/// `go_to_call`: the caller that waited for the agent to finish typing, or
/// else the customer of the call the agent is on.
pub fn go_to_call(state: &mut AppState) -> Vec<Effect> {
    if let Some(offer) = state.floor.waiting_pop.take() {
        return pop_offer(state, offer);
    }
    match state.floor.contact.as_ref().and_then(|c| c.customer) {
        Some(id) if state.floor.takes_calls() => {
            let summary = summary_for(state, id, None);
            open_customer(state, summary, None)
        }
        _ => {
            state.notify(Level::Info, "No call waiting for you");
            vec![]
        }
    }
}

/// The caller on screen.
fn pop_offer(state: &mut AppState, offer: ContactOffered) -> Vec<Effect> {
    let waited = (state.second - offer.offered_at).num_seconds().max(0);
    let caller = offer.caller.clone().unwrap_or_else(|| "unknown".into());
    // A transferred caller: who handed them on and why comes first.
    let context = match &offer.transfer {
        Some(t) => {
            if !t.notes.trim().is_empty() {
                state.notify(
                    Level::Info,
                    format!(
                        "{}'s notes: {}",
                        t.from_agent_name,
                        t.notes.replace('\n', " / ")
                    ),
                );
            }
            format!(
                "transferred by {} · {} → {}: {}",
                t.from_agent_name, t.from_queue, t.to_queue, t.note
            )
        }
        None => format!(
            "call from {caller} · {} queue · waited {}",
            offer.queue,
            clock(waited)
        ),
    };
    match (offer.customer_id, offer.caller) {
        (Some(id), number) => {
            let mut summary = summary_for(state, id, None);
            if summary.phones.is_empty() {
                summary.phones.extend(number);
            }
            open_customer(state, summary, Some(context))
        }
        (None, Some(number)) => {
            state.notify(Level::Info, context);
            pop(state, &number)
        }
        (None, None) => {
            state.notify(Level::Warning, format!("{context}: no number to look up"));
            vec![]
        }
    }
}

/// The state chooser: available, or not ready with one of the reasons.
/// During a contact, not ready waits for the call and its wrap-up to end,
/// and the chooser says so.
pub fn open_states(state: &mut AppState) -> Vec<Effect> {
    let on = state.floor.status.as_ref().map(|s| s.state);
    let (available, not_ready) = match on {
        Some(AgentState::OnContact) => ("Available after this call", "Not ready after this call"),
        Some(AgentState::WrapUp) => ("Available now (ends wrap-up)", "Not ready after wrap-up"),
        _ => ("Available", "Not ready"),
    };
    let mut options = vec![("available".to_string(), available.to_string())];
    if let Some(refdata) = &state.refdata {
        options.extend(refdata.not_ready_reasons.iter().map(|r| {
            (
                format!("not_ready:{}", r.code),
                format!("{not_ready}: {}", r.label),
            )
        }));
    }
    state.overlay = Some(Overlay::States(
        Choice::new(options).with_selected("available"),
    ));
    vec![]
}

/// Enter in the state chooser.
pub fn chosen(state: &mut AppState, code: &str) -> Vec<Effect> {
    state.notify(Level::Info, "Changing your state…");
    let request = match code.strip_prefix("not_ready:") {
        Some(reason) => NewAgentState {
            state: crate::domain::SettableState::NotReady,
            reason: Some(reason.to_string()),
        },
        None => NewAgentState {
            state: crate::domain::SettableState::Available,
            reason: None,
        },
    };
    vec![Effect::SetState(request)]
}

pub fn state_set(state: &mut AppState, reply: Reply<AgentStatus>) -> Vec<Effect> {
    match reply {
        Ok(status) => {
            let text = match &status.after_call {
                Some(after) => format!(
                    "You stay {} and are not ready{} once the wrap-up ends",
                    status.state.label().to_lowercase(),
                    after
                        .reason
                        .as_ref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                ),
                None => format!("You are now: {}", status.state.label()),
            };
            state.notify(Level::Success, text);
            state.floor.status = Some(status);
            vec![]
        }
        Err(failure) => {
            state.notify(
                Level::Error,
                format!("State not changed: {}", failure.text()),
            );
            vec![]
        }
    }
}
