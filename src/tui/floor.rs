//! The agent's side of the live floor: the event stream's contact offers pop
//! the caller, the agent's own state (with the handle-time and wrap-up timers
//! the title bar shows), state changes from the keyboard with reason codes,
//! and supervisors' decisions on what the agent asked. Called from `update`;
//! no I/O.

use super::action::{Effect, Reply};
use super::forms::choice::Choice;
use super::state::{AppState, Level, Overlay};
use crate::api::{AgentStatus, ContactOffered, FloorEvent, NewAgentState};
use crate::domain::AgentState;
use chrono::{DateTime, Utc};

/// The contact on this desk now, from its offer.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub call_id: String,
    pub queue: String,
    pub caller: Option<String>,
    pub offered_at: DateTime<Utc>,
}

/// What the desk knows of its agent on the floor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MyFloor {
    /// The agent's state as the server last said (`None` before it has).
    pub status: Option<AgentStatus>,
    /// The latest contact offered to this desk.
    pub contact: Option<Contact>,
    /// The event stream is connected.
    pub streaming: bool,
}

/// One event from the stream (already sanitised).
pub fn on_event(state: &mut AppState, event: FloorEvent) -> Vec<Effect> {
    state.floor.streaming = true;
    let mut effects = super::boards::update::on_event(state, &event);
    effects.extend(for_me(state, event));
    effects
}

/// What an event means for this desk's own agent.
fn for_me(state: &mut AppState, event: FloorEvent) -> Vec<Effect> {
    let me = state.agent.as_ref().map(|a| a.id);
    match event {
        FloorEvent::ContactOffered(offer) => offered(state, offer),
        FloorEvent::AgentState(status) if Some(status.agent_id) == me => {
            state.floor.status = Some(status);
            vec![]
        }
        FloorEvent::ApprovalDecided(decision) if Some(decision.requested_by) == me => {
            state.notify(Level::Info, format!("Supervisor: {}", decision.message));
            let on_screen = state
                .customer
                .as_ref()
                .is_some_and(|v| v.id == decision.customer_id);
            if on_screen {
                return super::update::reload_customer(state);
            }
            vec![]
        }
        _ => vec![],
    }
}

/// A contact offered to this agent: the caller pops at once, by the customer
/// the server matched or else by number (a chooser when several match).
fn offered(state: &mut AppState, offer: ContactOffered) -> Vec<Effect> {
    let waited = (state.now - offer.offered_at).num_seconds().max(0);
    let caller = offer.caller.clone().unwrap_or_else(|| "unknown".into());
    let context = format!(
        "call from {caller} · {} queue · waited {}",
        offer.queue,
        clock(waited)
    );
    state.floor.contact = Some(Contact {
        call_id: offer.call_id.clone(),
        queue: offer.queue.clone(),
        caller: offer.caller.clone(),
        offered_at: offer.offered_at,
    });
    if let Some(status) = state.floor.status.as_mut() {
        status.state = AgentState::OnContact;
        status.since = Some(offer.offered_at);
        status.reason = None;
        status.queue = Some(offer.queue.clone());
    }
    match (offer.customer_id, offer.caller) {
        (Some(id), number) => {
            let mut summary = super::update::summary_for(state, id, None);
            if summary.phones.is_empty() {
                summary.phones.extend(number);
            }
            super::update::open_customer(state, summary, Some(context))
        }
        (None, Some(number)) => {
            state.notify(Level::Info, context);
            super::update::pop(state, &number)
        }
        (None, None) => {
            state.notify(Level::Warning, format!("{context}: no number to look up"));
            vec![]
        }
    }
}

/// The state chooser: available, or not ready with one of the reasons.
pub fn open_states(state: &mut AppState) -> Vec<Effect> {
    let mut options = vec![("available".to_string(), "Available".to_string())];
    if let Some(refdata) = &state.refdata {
        options.extend(refdata.not_ready_reasons.iter().map(|r| {
            (
                format!("not_ready:{}", r.code),
                format!("Not ready: {}", r.label),
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
            state: AgentState::NotReady,
            reason: Some(reason.to_string()),
        },
        None => NewAgentState {
            state: AgentState::Available,
            reason: None,
        },
    };
    vec![Effect::SetState(request)]
}

pub fn state_set(state: &mut AppState, reply: Reply<AgentStatus>) -> Vec<Effect> {
    match reply {
        Ok(status) => {
            let label = status.state.label();
            state.notify(Level::Success, format!("You are now: {label}"));
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

/// Whether a timer on screen counts seconds now (on a contact or in wrap-up).
pub fn timing(state: &AppState) -> bool {
    state
        .floor
        .status
        .as_ref()
        .is_some_and(|s| matches!(s.state, AgentState::OnContact | AgentState::WrapUp))
}

/// The title bar's state and timer, e.g. "On contact 3:05".
pub fn badge(state: &AppState) -> Option<String> {
    let status = state.floor.status.as_ref()?;
    let label = match (&status.state, &status.reason) {
        (AgentState::NotReady, Some(reason)) => format!("Not ready ({reason})"),
        (s, _) => s.label().to_string(),
    };
    let since = status.since?;
    let seconds = (state.now - since).num_seconds().max(0);
    // Seconds count only on a contact and in wrap-up; otherwise the clock
    // moves by the minute, so minutes are shown.
    Some(if timing(state) {
        format!("{label} {}", clock(seconds))
    } else {
        format!("{label} {} min", seconds / 60)
    })
}

/// Seconds as m:ss, or h:mm:ss from an hour.
pub fn clock(seconds: i64) -> String {
    match seconds {
        s if s >= 3600 => format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60),
        s => format!("{}:{:02}", s / 60, s % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read_like_a_wallboard() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(65), "1:05");
        assert_eq!(clock(3725), "1:02:05");
    }
}
