//! Call control on the desk (issue 15), through `update` with the default
//! keymap: hold toggles with the caller's state, hang-up asks first, the
//! transfer prompt needs a note and carries the wrap-up's notes, a call
//! that comes in over a form waits for the agent's key, and a transferred
//! caller pops with who handed them on.

use super::*;
use crate::api::{AgentStatus, CallCommand, ContactOffered, FloorEvent, TransferContext};
use crate::domain::{AgentId, AgentState, CallAction};

const F8: KeyCode = KeyCode::F(8);
const F9: KeyCode = KeyCode::F(9);
const F10: KeyCode = KeyCode::F(10);

fn offer(call: &str, customer: i64, transfer: Option<TransferContext>) -> Action {
    Action::Floor(FloorEvent::ContactOffered(ContactOffered {
        call_id: call.into(),
        queue: "billing".into(),
        caller: Some("+14155550100".into()),
        customer_id: Some(CustomerId(customer)),
        offered_at: chrono::Utc::now(),
        transfer,
    }))
}

fn status(state: AgentState, on_hold: bool) -> AgentStatus {
    AgentStatus {
        agent_id: AgentId(1),
        name: "Alex".into(),
        simulated: false,
        state,
        reason: None,
        since: Some(chrono::Utc::now()),
        time_in_state_s: Some(0.0),
        queue: Some("billing".into()),
        call_id: Some("c1".into()),
        customer_id: Some(CustomerId(1)),
        customer_name: None,
        after_call: None,
        skills: Vec::new(),
        on_hold_since: on_hold.then(chrono::Utc::now),
    }
}

/// A desk on a call with customer 1, profile loaded.
fn on_a_call() -> AppState {
    let mut s = state();
    s.agent = Some(crate::domain::Agent {
        id: AgentId(1),
        name: "Alex".into(),
        role: crate::domain::Role::Agent,
        waiver_limit: crate::domain::Money::new(0, crate::domain::Currency::USD),
    });
    s.floor.status = Some(status(AgentState::Available, false));
    update(&mut s, offer("c1", 1, None));
    open_with_profile(&mut s);
    s.floor.status = Some(status(AgentState::OnContact, false));
    if let Some(refdata) = s.refdata.as_mut() {
        refdata.queues = ["general", "billing"]
            .map(|code| crate::domain::Queue {
                code: code.into(),
                name: code.into(),
                target_pct: 80,
                target_seconds: 20,
            })
            .into();
    }
    s
}

fn control(effects: &[Effect]) -> Option<(String, CallAction)> {
    match effects {
        [Effect::ControlCall { call_id, action }] => Some((call_id.clone(), *action)),
        _ => None,
    }
}

#[test]
fn hold_follows_the_callers_state_and_hang_up_asks_first() {
    let mut s = state();
    assert_eq!(control(&update(&mut s, key(F8))), None);
    assert!(s
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("not on a call")));
    let mut s = on_a_call();
    // Offered, not yet answered: it rings; the server's word that the
    // agent is on it makes it a call.
    assert!(s
        .floor
        .badge(s.now)
        .is_some_and(|b| b.starts_with("Ringing")));
    update(
        &mut s,
        Action::Floor(FloorEvent::AgentState(status(AgentState::OnContact, false))),
    );
    assert!(s
        .floor
        .badge(s.now)
        .is_some_and(|b| b.starts_with("On contact")));
    assert_eq!(
        control(&update(&mut s, key(F8))),
        Some(("c1".into(), CallAction::Hold))
    );
    // The ACD confirmed: the next press resumes, and the title counts.
    s.floor.status = Some(status(AgentState::OnContact, true));
    assert!(s
        .floor
        .badge(s.now)
        .is_some_and(|b| b.contains("on hold 0:")));
    assert_eq!(
        control(&update(&mut s, key(F8))),
        Some(("c1".into(), CallAction::Resume))
    );
    // Hang up: a question first; esc keeps the call, enter ends it.
    assert!(update(&mut s, key(F10)).is_empty());
    assert!(matches!(s.overlay, Some(Overlay::HangUp { .. })));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.overlay.is_none());
    update(&mut s, key(F10));
    assert_eq!(
        control(&update(&mut s, key(KeyCode::Enter))),
        Some(("c1".into(), CallAction::HangUp))
    );
    // The server's answer is told.
    let sent = CallCommand {
        id: 1,
        call_id: "c1".into(),
        action: CallAction::HangUp,
        agent_id: AgentId(1),
        requested_by: AgentId(1),
        seq: 0,
        transfer: None,
        issued_at: chrono::Utc::now(),
    };
    update(&mut s, Action::CallCommanded(Ok(sent)));
    assert!(s
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("ending the call")));
}

#[test]
fn a_transfer_needs_a_note_and_carries_the_unsent_wrap_up_notes() {
    let mut s = on_a_call();
    let queues = s.refdata.as_mut().map(|r| std::mem::take(&mut r.queues));
    update(&mut s, key(F9));
    assert!(s.overlay.is_none(), "no queues loaded: nowhere to go");
    if let (Some(refdata), Some(queues)) = (s.refdata.as_mut(), queues) {
        refdata.queues = queues;
    }
    // Notes typed in the wrap-up, not sent.
    update(&mut s, key(KeyCode::Char('l')));
    update(&mut s, key(KeyCode::Tab));
    typed(&mut s, "Charged twice");
    update(&mut s, key(F9));
    let Some(Overlay::Transfer(prompt)) = &s.overlay else {
        panic!("the transfer prompt");
    };
    assert!(prompt.warm, "warm by default");
    assert_eq!(prompt.targets.options[0].0, "queue:general");
    // No note: not sent, and the prompt stays.
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(matches!(s.overlay, Some(Overlay::Transfer(_))));
    // Billing, cold, with a note.
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Tab));
    typed(&mut s, "Wants a refund");
    let effects = update(&mut s, key(KeyCode::Enter));
    let [Effect::TransferCall { call_id, body }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(call_id, "c1");
    assert_eq!(
        (body.to_queue.as_deref(), body.to_agent_id, body.warm),
        (Some("billing"), None, false)
    );
    assert_eq!(
        (body.note.as_str(), body.notes.as_str()),
        ("Wants a refund", "Charged twice")
    );
}

#[test]
fn a_call_over_a_form_waits_for_the_agents_key_and_the_form_stays() {
    let mut s = on_a_call();
    update(&mut s, key(KeyCode::Char('l')));
    update(&mut s, key(KeyCode::Tab));
    typed(&mut s, "Half-written");
    // The next call, for customer 2: announced, not popped.
    let effects = update(&mut s, offer("c2", 2, None));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(s.customer.as_ref().map(|v| v.id), Some(CustomerId(1)));
    assert!(s.active_form().is_some(), "the form stays on screen");
    assert!(s
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("ctrl-g shows them")));
    assert!(s.floor.waiting_pop.is_some());
    // ctrl-g: the caller pops; the form is kept as a draft.
    update(&mut s, ctrl('g'));
    assert_eq!(s.customer.as_ref().map(|v| v.id), Some(CustomerId(2)));
    assert!(s.floor.waiting_pop.is_none());
    assert!(s.drafts.iter().any(|f| f.customer == CustomerId(1)));
    // Set to pop over forms: it takes the screen at once.
    let mut s = on_a_call();
    s.pop_over_forms = true;
    update(&mut s, key(KeyCode::Char('l')));
    update(&mut s, offer("c2", 2, None));
    assert_eq!(s.customer.as_ref().map(|v| v.id), Some(CustomerId(2)));
}

#[test]
fn a_transferred_caller_pops_with_who_handed_them_on_and_their_notes() {
    let mut s = state();
    s.refdata = Some(crate::tui::forms::tests::refdata());
    let context = TransferContext {
        from_agent_id: AgentId(9),
        from_agent_name: "Alex Kim".into(),
        from_queue: "billing".into(),
        to_queue: "retention".into(),
        warm: true,
        note: "Wants to cancel".into(),
        notes: "Moving abroad".into(),
    };
    update(&mut s, offer("t1-c1", 1, Some(context)));
    let view = s.customer.as_ref().expect("popped");
    assert_eq!(
        view.context.as_deref(),
        Some("transferred by Alex Kim · billing → retention: Wants to cancel")
    );
    assert!(s
        .notice
        .as_ref()
        .is_some_and(|n| n.text == "Alex Kim's notes: Moving abroad"));
}
