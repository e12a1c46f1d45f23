//! The live floor: calls reported by the ACD, agent states, queue statistics,
//! staffing, approvals and the event stream. Call events are stored; the floor
//! itself lives in memory (rebuilt from today's stored call events at start)
//! and publishes what changes to the event hub. Its HTTP handlers are in
//! `server::routes` (`floor.rs`, `events.rs`).

pub mod board;
pub mod calls;
pub mod erlang;
pub mod erlang_a;
pub mod hub;
pub mod stats;

use crate::api::{
    AgentStatus, Approval, ApprovalDecision, CallCommand, CallEvent, ContactOffered, FloorEvent,
    NewAgentState, QueueBoard, TransferContext,
};
use crate::domain::{AgentId, AgentState, CustomerId, Queue, Skill};
use crate::server::store::FloorAgent;
pub use calls::KnownCaller;
use calls::{Call, Seen};
use hub::{Audience, Hub};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Floor settings from `serve`.
#[derive(Debug, Clone, Copy)]
pub struct FloorConfig {
    /// Wrap-up ends by itself after this long (default 120 s).
    pub wrap_up_limit: Duration,
}

impl Default for FloorConfig {
    fn default() -> Self {
        FloorConfig {
            wrap_up_limit: Duration::from_secs(120),
        }
    }
}

/// A call in progress, as call control needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveCall {
    /// The agent on the call.
    pub agent: AgentId,
    pub queue: String,
    pub customer: Option<CustomerId>,
    /// The number the next hold gets.
    pub next_hold: u32,
    /// The hold the caller is on now, if any.
    pub open_hold: Option<u32>,
}

/// Calls are kept in memory for this long after they arrive.
const KEEP_CALLS_MS: i64 = 24 * 3600 * 1000;

/// Where one agent is.
#[derive(Debug, Clone)]
struct Presence {
    name: String,
    simulated: bool,
    state: AgentState,
    reason: Option<String>,
    since_ms: i64,
    call: Option<String>,
    queue: Option<String>,
    customer: Option<CustomerId>,
    customer_name: Option<String>,
    /// Not ready (with its reason) asked for during a contact, taken when
    /// the wrap-up ends.
    after_call: Option<Option<String>>,
    /// The queues they serve, as of the last time the floor read the agent.
    skills: Vec<Skill>,
    /// Since when the caller of their call is on hold.
    on_hold_since: Option<i64>,
}

#[derive(Default)]
struct Live {
    calls: HashMap<String, Call>,
    agents: HashMap<AgentId, Presence>,
}

/// A handle to the live floor, cheap to clone.
#[derive(Clone)]
pub struct Floor {
    inner: Arc<Inner>,
}

struct Inner {
    live: Mutex<Live>,
    queues: Vec<Queue>,
    hub: Hub,
    config: FloorConfig,
    /// Something changed since the last `queue_stats` event.
    dirty: AtomicBool,
}

impl Floor {
    pub fn new(config: FloorConfig, queues: Vec<Queue>) -> Floor {
        Floor {
            inner: Arc::new(Inner {
                live: Mutex::new(Live::default()),
                queues,
                hub: Hub::new(hub::RING_SIZE),
                config,
                dirty: AtomicBool::new(true),
            }),
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, Live> {
        self.inner.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn hub(&self) -> &Hub {
        &self.inner.hub
    }

    pub fn queues(&self) -> &[Queue] {
        &self.inner.queues
    }

    pub fn queue(&self, code: &str) -> Option<&Queue> {
        self.inner.queues.iter().find(|q| q.code == code)
    }

    /// Rebuilds the calls from stored events (at start); agents stay offline.
    pub fn restore(&self, events: &[CallEvent]) {
        let mut live = self.live();
        for e in events {
            record(&mut live, e, None);
        }
    }

    /// Applies a newly stored call event: the call, the agent's state, and the
    /// screen pop for the agent it is routed to. `caller` is the customer the
    /// event's number matched.
    pub fn apply(
        &self,
        event: &CallEvent,
        agent: Option<&FloorAgent>,
        caller: Option<&KnownCaller>,
        transfer: Option<&TransferContext>,
        now_ms: i64,
    ) {
        let mut published = Vec::new();
        {
            let mut live = self.live();
            let live = &mut *live;
            let call = record(live, event, caller).clone();
            let facts = call.facts();
            let id = call.agent();
            let presence = match id {
                Some(id) if live.agents.contains_key(&id) => live.agents.get_mut(&id),
                Some(id) => agent
                    .filter(|a| a.agent.id == id)
                    .map(|a| live.agents.entry(id).or_insert_with(|| offline(a, now_ms))),
                None => None,
            };
            if let (Some(presence), Some(id)) = (presence, id) {
                if let Some(a) = agent.filter(|a| a.agent.id == id) {
                    presence.skills.clone_from(&a.skills);
                }
                if call.popped.is_none() {
                    published.push((
                        Audience::Agent(id),
                        FloorEvent::ContactOffered(ContactOffered {
                            call_id: event.call_id.clone(),
                            queue: call.queue.clone(),
                            caller: call.caller.clone(),
                            customer_id: call.customer,
                            offered_at: millis(facts.offered_at),
                            transfer: transfer.cloned(),
                        }),
                    ));
                }
                let on_this_call = presence.call.as_deref() == Some(event.call_id.as_str())
                    && presence.state == AgentState::OnContact;
                let free = !matches!(presence.state, AgentState::OnContact | AgentState::WrapUp);
                // Answered: on the call. Answered and ended (in either order):
                // wrap-up, unless the agent has moved on to another call.
                let next = match (facts.answered_at.is_some(), facts.ended_at.is_some()) {
                    (true, false) if !on_this_call => Some(AgentState::OnContact),
                    (true, true) if on_this_call || free => Some(AgentState::WrapUp),
                    _ => None,
                };
                if let Some(state) = next {
                    // Answering the next call ends the wrap-up of the last.
                    end_wrap_up(&mut live.calls, presence, now_ms);
                    enter(presence, state, None, now_ms);
                    presence.call = Some(event.call_id.clone());
                    presence.queue = Some(call.queue.clone());
                    presence.customer = call.customer;
                    presence.customer_name = call.customer_name.clone();
                    published.push((
                        Audience::SupervisorsAnd(id),
                        status_event(id, presence, now_ms),
                    ));
                }
                // Held or resumed: the agent's status says so.
                let hold = call.on_hold_since();
                if on_this_call && next.is_none() && presence.on_hold_since != hold {
                    presence.on_hold_since = hold;
                    published.push((
                        Audience::SupervisorsAnd(id),
                        status_event(id, presence, now_ms),
                    ));
                }
                if let Some(call) = live.calls.get_mut(&event.call_id) {
                    call.popped = Some(id);
                }
            }
        }
        self.inner.dirty.store(true, Ordering::Release);
        for (audience, event) in published {
            self.inner.hub.publish(audience, &event);
        }
    }

    /// Wrap-up ends by itself after this long.
    pub fn wrap_up_limit(&self) -> Duration {
        self.inner.config.wrap_up_limit
    }

    /// The desk (or the simulator for its agents) sets available or not ready.
    /// Leaving wrap-up this way records its length on the call. Not ready
    /// during a contact (on the call or in its wrap-up) waits for the wrap-up
    /// to end, so the board never shows a free agent who is on a call;
    /// available then takes that back (and in wrap-up, ends it).
    pub fn set_state(
        &self,
        agent: &FloorAgent,
        state: AgentState,
        reason: Option<String>,
        now_ms: i64,
    ) -> AgentStatus {
        let status = {
            let mut live = self.live();
            let live = &mut *live;
            let presence = live
                .agents
                .entry(agent.agent.id)
                .or_insert_with(|| offline(agent, now_ms));
            presence.skills.clone_from(&agent.skills);
            let busy = matches!(presence.state, AgentState::OnContact | AgentState::WrapUp);
            match state {
                AgentState::NotReady if busy => presence.after_call = Some(reason),
                AgentState::Available if presence.state == AgentState::OnContact => {
                    presence.after_call = None;
                }
                _ => {
                    presence.after_call = None;
                    end_wrap_up(&mut live.calls, presence, now_ms);
                    enter(presence, state, reason, now_ms);
                }
            }
            status_of(agent.agent.id, presence, now_ms)
        };
        self.inner.dirty.store(true, Ordering::Release);
        // The agent's own desk follows its state too.
        self.inner.hub.publish(
            Audience::SupervisorsAnd(agent.agent.id),
            &FloorEvent::AgentState(status.clone()),
        );
        status
    }

    /// An agent logged an interaction: their wrap-up (if any) is over.
    pub fn interaction_logged(&self, agent: AgentId, now_ms: i64) {
        let event = {
            let mut live = self.live();
            let live = &mut *live;
            let Some(presence) = live.agents.get_mut(&agent) else {
                return;
            };
            if presence.state != AgentState::WrapUp {
                return;
            }
            wrap_up_over(&mut live.calls, presence, now_ms);
            status_event(agent, presence, now_ms)
        };
        self.inner.dirty.store(true, Ordering::Release);
        self.inner
            .hub
            .publish(Audience::SupervisorsAnd(agent), &event);
    }

    /// Once a second: ends wrap-ups past the limit, drops old calls, and
    /// publishes the queue statistics if anything changed (at most once a
    /// second, however busy the floor).
    pub fn tick(&self, now_ms: i64) {
        let limit = self.inner.config.wrap_up_limit.as_millis() as i64;
        let mut published = Vec::new();
        let waiting = {
            let mut live = self.live();
            let live = &mut *live;
            for (id, presence) in live.agents.iter_mut() {
                if presence.state == AgentState::WrapUp && now_ms - presence.since_ms >= limit {
                    wrap_up_over(&mut live.calls, presence, now_ms);
                    published.push((*id, status_event(*id, presence, now_ms)));
                }
            }
            live.calls
                .retain(|_, c| now_ms - c.facts().offered_at < KEEP_CALLS_MS);
            live.calls.values().any(|c| c.facts().waiting())
        };
        for (id, event) in published {
            self.inner.hub.publish(Audience::SupervisorsAnd(id), &event);
        }
        // While calls wait, their waits grow: that is a change too.
        if self.inner.dirty.swap(false, Ordering::AcqRel) || waiting {
            let board = self.queue_board(now_ms);
            self.inner
                .hub
                .publish(Audience::Supervisors, &FloorEvent::QueueStats(board));
        }
    }

    /// Every queue's statistics and staffing now.
    pub fn queue_board(&self, now_ms: i64) -> QueueBoard {
        let live = self.live();
        let on_floor: Vec<board::OnFloor> = live
            .agents
            .values()
            .map(|p| board::OnFloor {
                state: p.state,
                skills: &p.skills,
            })
            .collect();
        board::queue_board(&self.inner.queues, live.calls.values(), &on_floor, now_ms)
    }

    /// Every agent in `agents` with their state now (offline when unknown).
    /// Their skills are as `agents` has them (read just now); staffing
    /// takes a change at the agent's next change of state.
    pub fn agent_board(&self, agents: &[FloorAgent], now_ms: i64) -> Vec<AgentStatus> {
        let live = self.live();
        agents
            .iter()
            .map(|a| {
                let mut status = match live.agents.get(&a.agent.id) {
                    Some(p) => status_of(a.agent.id, p, now_ms),
                    None => status_of(a.agent.id, &offline(a, now_ms), now_ms),
                };
                status.skills.clone_from(&a.skills);
                status
            })
            .collect()
    }

    /// The state `agent` is in now (offline when never seen).
    pub fn state_of(&self, agent: AgentId) -> AgentState {
        self.live()
            .agents
            .get(&agent)
            .map_or(AgentState::Offline, |p| p.state)
    }

    /// A call in progress now (answered, not ended): who is on it, its
    /// queue and caller, and its holds.
    pub fn live_call(&self, call_id: &str) -> Option<LiveCall> {
        let live = self.live();
        let call = live.calls.get(call_id)?;
        let facts = call.facts();
        if facts.answered_at.is_none() || facts.ended_at.is_some() || facts.abandoned_at.is_some() {
            return None;
        }
        Some(LiveCall {
            agent: call.agent()?,
            queue: call.queue.clone(),
            customer: call.customer,
            next_hold: call.next_hold(),
            open_hold: call.open_hold(),
        })
    }

    /// Tells the ACD (every `system` token) what a desk asked for.
    pub fn command(&self, command: &CallCommand) {
        self.inner
            .hub
            .publish(Audience::System, &FloorEvent::CallCommand(command.clone()));
    }

    /// Tells supervisors about new approvals.
    pub fn approvals_requested(&self, approvals: Vec<Approval>) {
        for a in approvals {
            self.inner
                .hub
                .publish(Audience::Supervisors, &FloorEvent::ApprovalRequested(a));
        }
    }

    /// Tells supervisors and the agent who asked about a decision.
    pub fn approval_decided(&self, decision: &ApprovalDecision) {
        self.inner.hub.publish(
            Audience::SupervisorsAnd(decision.requested_by),
            &FloorEvent::ApprovalDecided(decision.clone()),
        );
    }
}

/// Records an event on its call, creating the call; returns the call.
fn record<'a>(live: &'a mut Live, e: &CallEvent, caller: Option<&KnownCaller>) -> &'a Call {
    let call = live
        .calls
        .entry(e.call_id.clone())
        .or_insert_with(|| Call::new(&e.queue));
    call.record_nth(
        e.kind,
        e.seq,
        Seen {
            at_ms: e.occurred_at.timestamp_millis(),
            agent: e.agent_id,
        },
    );
    if call.caller.is_none() {
        call.caller = e.caller.clone();
    }
    if call.customer.is_none() && e.customer_id.is_some() {
        call.customer = e.customer_id;
        call.customer_name = caller.map(|c| c.name.clone());
        call.key_account = caller.is_some_and(|c| c.key_account);
    }
    call
}

fn offline(agent: &FloorAgent, now_ms: i64) -> Presence {
    Presence {
        name: agent.agent.name.clone(),
        simulated: agent.simulated,
        state: AgentState::Offline,
        reason: None,
        since_ms: now_ms,
        call: None,
        queue: None,
        customer: None,
        customer_name: None,
        after_call: None,
        skills: agent.skills.clone(),
        on_hold_since: None,
    }
}

/// Puts the agent in `state`; out of a call (available, not ready), their
/// last call, queue and customer are forgotten.
fn enter(p: &mut Presence, state: AgentState, reason: Option<String>, now_ms: i64) {
    p.state = state;
    p.reason = reason;
    p.since_ms = now_ms;
    p.on_hold_since = None;
    if !matches!(state, AgentState::OnContact | AgentState::WrapUp) {
        p.call = None;
        p.queue = None;
        p.customer = None;
        p.customer_name = None;
    }
}

/// The wrap-up is over (logged, or past the limit): the agent is available,
/// or not ready if they asked for it during the contact.
fn wrap_up_over(calls: &mut HashMap<String, Call>, p: &mut Presence, now_ms: i64) {
    end_wrap_up(calls, p, now_ms);
    match p.after_call.take() {
        Some(reason) => enter(p, AgentState::NotReady, reason, now_ms),
        None => enter(p, AgentState::Available, None, now_ms),
    }
}

/// Records how long the agent's wrap-up lasted on their call, if they are in one.
fn end_wrap_up(calls: &mut HashMap<String, Call>, p: &Presence, now_ms: i64) {
    if p.state != AgentState::WrapUp {
        return;
    }
    if let Some(call) = p.call.as_ref().and_then(|id| calls.get_mut(id)) {
        call.wrap_ms.get_or_insert((now_ms - p.since_ms).max(0));
    }
}

fn status_of(id: AgentId, p: &Presence, now_ms: i64) -> AgentStatus {
    let known = p.state != AgentState::Offline;
    AgentStatus {
        agent_id: id,
        name: p.name.clone(),
        simulated: p.simulated,
        state: p.state,
        reason: p.reason.clone(),
        since: known.then(|| millis(p.since_ms)),
        time_in_state_s: known.then(|| (now_ms - p.since_ms).max(0) as f64 / 1000.0),
        queue: p.queue.clone(),
        call_id: p.call.clone(),
        customer_id: p.customer,
        customer_name: p.customer_name.clone(),
        after_call: p.after_call.clone().map(|reason| NewAgentState {
            state: crate::domain::SettableState::NotReady,
            reason,
        }),
        skills: p.skills.clone(),
        on_hold_since: p.on_hold_since.map(millis),
    }
}

fn status_event(id: AgentId, p: &Presence, now_ms: i64) -> FloorEvent {
    FloorEvent::AgentState(status_of(id, p, now_ms))
}

fn millis(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
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
        f.tick(T + 100_000 + 61_000);
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
        f.tick(T + 129_000);
        assert_eq!(state(&f), AgentState::WrapUp, "59 s of wrap-up");
        f.tick(T + 130_000);
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
}
