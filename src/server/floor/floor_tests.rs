//! The live floor's tests: calls, agent states, wrap-ups and the hub.

use super::*;
use crate::domain::{Agent, CallEventKind, Currency, Money, Role};
use hub::{Batch, Viewer};

const T: i64 = 1_700_000_000_000;

fn floor() -> Floor {
    let queue = Queue {
        code: "billing".into(),
        name: "Billing".into(),
        target_pct: 80,
        target_seconds: 30,
    };
    Floor::new(
        FloorConfig {
            wrap_up_limit: Duration::from_secs(60),
        },
        vec![queue],
    )
}

fn alex() -> FloorAgent {
    FloorAgent {
        agent: Agent {
            id: AgentId(7),
            name: "Alex".into(),
            role: Role::Agent,
            waiver_limit: Money::new(0, Currency::USD),
        },
        simulated: false,
        skills: Vec::new(),
    }
}

fn event(kind: CallEventKind, at: i64, agent: Option<AgentId>) -> CallEvent {
    CallEvent {
        call_id: "c1".into(),
        kind,
        queue: "billing".into(),
        caller: None,
        customer_id: None,
        agent_id: agent,
        occurred_at: millis(at),
        received_at: millis(at),
        key_account_manager: None,
        seq: 0,
    }
}

fn state(f: &Floor) -> AgentState {
    f.agent_board(&[alex()], T).remove(0).state
}

#[test]
fn an_end_reported_before_the_answer_still_ends_in_wrap_up() {
    let f = floor();
    let a = alex();
    f.set_state(&a, AgentState::Available, None, T);
    f.apply(&event(CallEventKind::Offered, T, None), None, None, None, T);
    f.apply(
        &event(CallEventKind::Ended, T + 90_000, Some(a.agent.id)),
        Some(&a),
        None,
        None,
        T,
    );
    assert_eq!(state(&f), AgentState::Available, "not answered yet");
    f.apply(
        &event(CallEventKind::Answered, T + 5_000, Some(a.agent.id)),
        Some(&a),
        None,
        None,
        T,
    );
    assert_eq!(state(&f), AgentState::WrapUp);
}

#[test]
fn not_ready_during_a_contact_waits_for_the_wrap_up_to_end() {
    let f = floor();
    let a = alex();
    let id = Some(a.agent.id);
    f.set_state(&a, AgentState::Available, None, T);
    f.apply(&event(CallEventKind::Offered, T, None), None, None, None, T);
    f.apply(
        &event(CallEventKind::Answered, T, id),
        Some(&a),
        None,
        None,
        T,
    );
    let asked = f.set_state(&a, AgentState::NotReady, Some("lunch".into()), T + 10_000);
    assert_eq!(asked.state, AgentState::OnContact, "still on the call");
    assert_eq!(
        asked.after_call.and_then(|s| s.reason).as_deref(),
        Some("lunch")
    );
    f.apply(
        &event(CallEventKind::Ended, T + 60_000, id),
        Some(&a),
        None,
        None,
        T + 60_000,
    );
    assert_eq!(state(&f), AgentState::WrapUp, "the wrap-up still comes");
    f.interaction_logged(a.agent.id, T + 70_000);
    let now = f
        .agent_board(std::slice::from_ref(&a), T + 70_000)
        .remove(0);
    assert_eq!(now.state, AgentState::NotReady);
    assert_eq!(now.reason.as_deref(), Some("lunch"));
    assert_eq!(now.after_call, None);
    // At the wrap-up limit too.
    f.set_state(&a, AgentState::Available, None, T + 80_000);
    let second = |kind, at| CallEvent {
        call_id: "c2".into(),
        ..event(kind, at, id)
    };
    f.apply(
        &second(CallEventKind::Offered, T + 90_000),
        None,
        None,
        None,
        T + 90_000,
    );
    f.apply(
        &second(CallEventKind::Answered, T + 90_000),
        Some(&a),
        None,
        None,
        T + 90_000,
    );
    f.set_state(&a, AgentState::NotReady, Some("break".into()), T + 95_000);
    f.apply(
        &second(CallEventKind::Ended, T + 100_000),
        Some(&a),
        None,
        None,
        T + 100_000,
    );
    f.tick(T + 100_000 + 61_000, true);
    assert_eq!(state(&f), AgentState::NotReady, "after the 60 s limit");
}

#[test]
fn answering_the_next_call_ends_the_wrap_up_of_the_last() {
    let f = floor();
    let a = alex();
    let id = Some(a.agent.id);
    let second = |kind, at| CallEvent {
        call_id: "c2".into(),
        ..event(kind, at, id)
    };
    f.set_state(&a, AgentState::Available, None, T);
    f.apply(&event(CallEventKind::Offered, T, None), None, None, None, T);
    f.apply(
        &event(CallEventKind::Answered, T, id),
        Some(&a),
        None,
        None,
        T,
    );
    f.apply(
        &event(CallEventKind::Ended, T + 60_000, id),
        Some(&a),
        None,
        None,
        T + 60_000,
    );
    assert_eq!(state(&f), AgentState::WrapUp);
    f.apply(
        &second(CallEventKind::Offered, T + 70_000),
        None,
        None,
        None,
        T + 70_000,
    );
    f.apply(
        &second(CallEventKind::Answered, T + 75_000),
        Some(&a),
        None,
        None,
        T + 75_000,
    );
    assert_eq!(state(&f), AgentState::OnContact);
    // The first call: 60 s of talk and 15 s of wrap-up.
    let board = f.queue_board(T + 75_000);
    assert_eq!(board.queues[0].today.aht_s, Some(75.0));
}

#[test]
fn wrap_up_ends_at_the_limit_and_is_counted_in_the_handle_time() {
    let f = floor();
    let a = alex();
    f.set_state(&a, AgentState::Available, None, T);
    f.apply(&event(CallEventKind::Offered, T, None), None, None, None, T);
    f.apply(
        &event(CallEventKind::Answered, T + 10_000, Some(a.agent.id)),
        Some(&a),
        None,
        None,
        T + 10_000,
    );
    assert_eq!(state(&f), AgentState::OnContact);
    f.apply(
        &event(CallEventKind::Ended, T + 70_000, None),
        None,
        None,
        None,
        T + 70_000,
    );
    assert_eq!(state(&f), AgentState::WrapUp);
    f.tick(T + 129_000, true);
    assert_eq!(state(&f), AgentState::WrapUp, "59 s of wrap-up");
    f.tick(T + 130_000, true);
    assert_eq!(state(&f), AgentState::Available, "60 s: the limit");
    // Talk 60 s + wrap-up 60 s.
    let board = f.queue_board(T + 130_000);
    assert_eq!(board.queues[0].today.aht_s, Some(120.0));
    // Supervisors saw each change; the agent saw the pop.
    let boss = Viewer {
        agent: AgentId(1),
        role: Role::Supervisor,
    };
    let Batch::Events(events, _) = f.hub().after(0, &boss) else {
        panic!("resync")
    };
    let states: Vec<_> = events
        .iter()
        .filter(|e| e.name == "agent_state")
        .map(|e| {
            serde_json::from_str::<AgentStatus>(&e.data)
                .expect("json")
                .state
        })
        .collect();
    assert_eq!(
        states,
        [
            AgentState::Available,
            AgentState::OnContact,
            AgentState::WrapUp,
            AgentState::Available
        ]
    );
    let me = Viewer {
        agent: a.agent.id,
        role: Role::Agent,
    };
    let Batch::Events(mine, _) = f.hub().after(0, &me) else {
        panic!("resync")
    };
    // The agent gets its pop and its own state changes, nothing else.
    let names: Vec<_> = mine.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "agent_state",
            "contact_offered",
            "agent_state",
            "agent_state",
            "agent_state"
        ]
    );
}

#[test]
fn a_replica_told_the_changes_of_another_shows_the_same_floor() {
    let (a, b) = (floor(), floor());
    let (relay, mut log) = tokio::sync::mpsc::unbounded_channel();
    a.hub().relay_to(relay, 0);
    let alex = alex();
    a.set_state(&alex, AgentState::Available, None, T);
    a.apply(
        &event(CallEventKind::Offered, T + 1_000, None),
        None,
        None,
        None,
        T + 1_000,
    );
    let answered = event(CallEventKind::Answered, T + 5_000, Some(alex.agent.id));
    a.apply(&answered, Some(&alex), None, None, T + 5_000);
    a.apply(
        &event(CallEventKind::Ended, T + 65_000, Some(alex.agent.id)),
        Some(&alex),
        None,
        None,
        T + 65_000,
    );
    a.interaction_logged(alex.agent.id, T + 80_000);
    // What went to the log: desk events, and the four floor changes.
    let mut changes = 0;
    while let Ok(out) = log.try_recv() {
        if out.audience == Audience::Replicas {
            assert_eq!(out.name, mirror::INPUT_EVENT);
            let input: FloorInput = serde_json::from_str(&out.data).expect("a floor change");
            b.mirror(&input);
            changes += 1;
        }
    }
    assert_eq!(changes, 5);
    let now = T + 90_000;
    assert_eq!(
        a.agent_board(std::slice::from_ref(&alex), now),
        b.agent_board(std::slice::from_ref(&alex), now)
    );
    assert_eq!(a.queue_board(now), b.queue_board(now));
    assert_eq!(state(&b), AgentState::Available);
    // Mirroring publishes nothing: the replica that made the change did.
    assert_eq!(b.hub().latest(), 0);
}
