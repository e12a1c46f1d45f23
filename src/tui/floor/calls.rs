//! Call control from the keyboard: hold and resume (one key), hang up
//! (asked first), and transfer (a prompt: where to, warm or cold, and a
//! note; the unsent notes of the customer's wrap-up go with it). The ACD
//! carries them out and confirms with call events, which come back as the
//! agent's status (on hold since…, wrap-up). No I/O.

use crate::api::{CallCommand, NewTransfer};
use crate::domain::{CallAction, Suggestion};
use crate::tui::action::{Effect, Reply};
use crate::tui::floor::model::TransferPrompt;
use crate::tui::forms::choice::Choice;
use crate::tui::forms::model::Field;
use crate::tui::input::TextInput;
use crate::tui::state::{AppState, Level, Overlay};

/// The queue senior agents answer, where a hand-off to a senior agent goes
/// when the customer has no key-account manager.
pub const SENIOR_QUEUE: &str = "premier";

/// The call this desk's agent is on now, and who is on the line.
fn on_call(state: &mut AppState) -> Option<(String, String)> {
    let call = state.floor.on_call().map(|c| {
        (
            c.call_id.clone(),
            c.caller.clone().unwrap_or_else(|| "the caller".into()),
        )
    });
    if call.is_none() {
        state.notify(Level::Info, "You are not on a call");
    }
    call
}

/// Hold, or resume when the caller is on hold.
pub fn toggle_hold(state: &mut AppState) -> Vec<Effect> {
    let Some((call_id, _)) = on_call(state) else {
        return vec![];
    };
    let held = state
        .floor
        .status
        .as_ref()
        .is_some_and(|s| s.on_hold_since.is_some());
    let (action, doing) = match held {
        true => (CallAction::Resume, "Taking the caller off hold…"),
        false => (CallAction::Hold, "Putting the caller on hold…"),
    };
    state.notify(Level::Info, doing);
    vec![Effect::ControlCall { call_id, action }]
}

/// Asks before hanging up.
pub fn ask_hang_up(state: &mut AppState) -> Vec<Effect> {
    if let Some((call_id, about)) = on_call(state) {
        state.overlay = Some(Overlay::HangUp { call_id, about });
    }
    vec![]
}

/// Enter on the hang-up question.
pub fn hang_up(state: &mut AppState, call_id: String) -> Vec<Effect> {
    state.notify(Level::Info, "Hanging up…");
    vec![Effect::ControlCall {
        call_id,
        action: CallAction::HangUp,
    }]
}

/// The transfer prompt: the queues, and the customer's key-account manager
/// when they have one (first).
pub fn open_transfer(state: &mut AppState) -> Vec<Effect> {
    open_transfer_to(state, None, String::new())
}

/// Acting on a "hand to a senior agent" suggestion during a call: the
/// transfer prompt, to the key-account manager or the senior queue, with
/// the suggestion's reasons as the note. `false` when not on a call.
pub fn open_for_suggestion(state: &mut AppState, suggestion: &Suggestion) -> bool {
    if state.floor.on_call().is_none() {
        return false;
    }
    let note = match suggestion.reasons.is_empty() {
        true => suggestion.title.clone(),
        false => format!("{}: {}", suggestion.title, suggestion.reasons.join(", ")),
    };
    let manager = manager_target(state).map(|(code, _)| code);
    let target = manager.unwrap_or_else(|| format!("queue:{SENIOR_QUEUE}"));
    open_transfer_to(state, Some(&target), note);
    true
}

fn open_transfer_to(state: &mut AppState, target: Option<&str>, note: String) -> Vec<Effect> {
    let Some((call_id, about)) = on_call(state) else {
        return vec![];
    };
    let mut options: Vec<(String, String)> = manager_target(state).into_iter().collect();
    if let Some(refdata) = &state.refdata {
        options.extend(
            refdata
                .queues
                .iter()
                .map(|q| (format!("queue:{}", q.code), format!("Queue: {}", q.name))),
        );
    }
    if options.is_empty() {
        state.notify(
            Level::Warning,
            "Nowhere to transfer to yet: the queues are still loading",
        );
        return vec![];
    }
    let mut targets = Choice::new(options);
    if let Some(code) = target {
        targets = targets.with_selected(code);
    }
    let mut input = TextInput::default();
    input.insert(&note);
    state.overlay = Some(Overlay::Transfer(TransferPrompt {
        call_id,
        about,
        targets,
        warm: true,
        note: input,
    }));
    vec![]
}

/// The open customer's key-account manager as a transfer target.
fn manager_target(state: &AppState) -> Option<(String, String)> {
    let view = state.customer.as_ref()?;
    let manager = view.affiliation()?.key_account_manager.as_ref()?;
    Some((
        format!("agent:{}", manager.agent_id.0),
        format!("Key-account manager: {}", manager.name),
    ))
}

/// Tab in the prompt: warm or cold.
pub fn toggle_warm(prompt: &mut TransferPrompt) {
    prompt.warm = !prompt.warm;
}

/// Enter in the transfer prompt: sent when it has a note; the unsent notes
/// of the customer's wrap-up go with it.
pub fn send_transfer(state: &mut AppState, mut prompt: TransferPrompt) -> Vec<Effect> {
    let note = prompt.note.text.trim().to_string();
    if note.is_empty() {
        state.notify(
            Level::Warning,
            "Say why in the note: the next agent reads it before they speak",
        );
        state.overlay = Some(Overlay::Transfer(prompt));
        return vec![];
    }
    let Some((code, label)) = prompt.targets.pick().cloned() else {
        state.overlay = Some(Overlay::Transfer(prompt));
        return vec![];
    };
    let (to_agent_id, to_queue) = match code.split_once(':') {
        Some(("agent", id)) => (id.parse().ok().map(crate::domain::AgentId), None),
        Some((_, queue)) => (None, Some(queue.to_string())),
        None => (None, None),
    };
    state.notify(Level::Info, format!("Transferring to {label}…"));
    vec![Effect::TransferCall {
        call_id: prompt.call_id,
        body: NewTransfer {
            to_agent_id,
            to_queue,
            warm: prompt.warm,
            note,
            notes: unsent_notes(state),
        },
    }]
}

/// The notes typed in the open customer's wrap-up and not yet sent.
fn unsent_notes(state: &AppState) -> String {
    let Some(id) = state.customer.as_ref().map(|v| v.id) else {
        return String::new();
    };
    state
        .drafts
        .iter()
        .filter(|f| f.customer == id)
        .flat_map(|f| f.fields.iter())
        .filter_map(|(_, field)| match field {
            Field::Notes(notes) => Some(notes.text()),
            _ => None,
        })
        .filter(|text| !text.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The server's answer: sent to the ACD, or why not.
pub fn commanded(state: &mut AppState, reply: Reply<CallCommand>) -> Vec<Effect> {
    match reply {
        Ok(command) => {
            let said = match command.action {
                CallAction::Hold => "The ACD is putting the caller on hold",
                CallAction::Resume => "The ACD is taking the caller off hold",
                CallAction::HangUp => "The ACD is ending the call",
                CallAction::Transfer => match command.transfer.as_ref().is_some_and(|t| t.warm) {
                    true => "Transfer sent: stay on the line until they answer",
                    false => "Transfer sent: the caller is on their way",
                },
            };
            state.notify(Level::Success, said);
        }
        Err(failure) => state.notify(
            Level::Error,
            format!("The call was not changed: {}", failure.text()),
        ),
    }
    vec![]
}
