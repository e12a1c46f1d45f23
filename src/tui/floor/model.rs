//! What the desk knows of its agent on the floor, the timers it shows, and
//! the transfer prompt.

use crate::api::{AgentStatus, TransferContext};
use crate::domain::{AgentState, CustomerId};
use crate::tui::forms::choice::Choice;
use crate::tui::input::TextInput;
use chrono::{DateTime, Utc};

/// The contact on this desk now, from its offer.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub call_id: String,
    pub queue: String,
    pub caller: Option<String>,
    pub offered_at: DateTime<Utc>,
    /// The customer the server matched.
    pub customer: Option<CustomerId>,
    /// Handed on by another agent: who, why, and their unsent notes.
    pub transfer: Option<TransferContext>,
    /// The server has said the agent answered it (until then it rings).
    pub answered: bool,
}

/// The transfer prompt (see `floor::calls`).
#[derive(Debug, Clone, PartialEq)]
pub struct TransferPrompt {
    pub call_id: String,
    /// Who is on the line, for the title: "+12125550199".
    pub about: String,
    /// Where to: `queue:CODE` or `agent:ID`.
    pub targets: Choice,
    pub warm: bool,
    pub note: TextInput,
}

/// What the desk knows of its agent on the floor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MyFloor {
    /// The agent's state as the server last said (`None` before it has).
    pub status: Option<AgentStatus>,
    /// The latest contact offered to this desk.
    pub contact: Option<Contact>,
    /// A contact offered while the agent was in a form: announced, and
    /// popped when the agent asks (`go_to_call`).
    pub waiting_pop: Option<crate::api::ContactOffered>,
    /// The event stream is connected.
    pub streaming: bool,
}

impl MyFloor {
    /// Whether a timer on screen counts seconds now (on a contact or in wrap-up).
    pub fn timing(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(|s| matches!(s.state, AgentState::OnContact | AgentState::WrapUp))
    }

    /// The contact the agent is on now (the server, or the offer, says they
    /// are on a contact).
    pub fn on_call(&self) -> Option<&Contact> {
        let talking = self
            .status
            .as_ref()
            .is_some_and(|s| s.state == AgentState::OnContact);
        self.contact.as_ref().filter(|_| talking)
    }

    /// Whether calls come to this agent now: the server says the agent is
    /// available, on a contact or wrapping one up (not known: no).
    pub fn takes_calls(&self) -> bool {
        self.status.as_ref().is_some_and(|s| {
            matches!(
                s.state,
                AgentState::Available | AgentState::OnContact | AgentState::WrapUp
            )
        })
    }

    /// The title bar's state and timer at `now`, e.g. "On contact 3:05".
    pub fn badge(&self, now: DateTime<Utc>) -> Option<String> {
        let status = self.status.as_ref()?;
        let ringing = self.contact.as_ref().is_some_and(|c| !c.answered);
        let label = match (&status.state, &status.reason) {
            (AgentState::NotReady, Some(reason)) => format!("Not ready ({reason})"),
            (AgentState::OnContact, _) if ringing => "Ringing".to_string(),
            (s, _) => s.label().to_string(),
        };
        let since = status.since?;
        let seconds = (now - since).num_seconds().max(0);
        // Seconds count only on a contact and in wrap-up; otherwise the clock
        // moves by the minute, so minutes are shown.
        let then = match &status.after_call {
            Some(_) => ", then not ready",
            None => "",
        };
        // On hold: how long the caller has been waiting on it.
        let held = match status.on_hold_since {
            Some(at) if status.state == AgentState::OnContact => {
                format!(", on hold {}", clock((now - at).num_seconds().max(0)))
            }
            _ => String::new(),
        };
        Some(if self.timing() {
            format!("{label} {}{held}{then}", clock(seconds))
        } else {
            format!("{label} {} min", seconds / 60)
        })
    }
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
