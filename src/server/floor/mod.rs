//! The live floor: calls reported by the ACD, agent states, queue statistics,
//! staffing, approvals and the event stream. Call events are stored; the floor
//! itself lives in memory (rebuilt at start from today's stored call events,
//! or on replicas from the day's shared log) and publishes what changes to
//! the event hub; on replicas each change is also shared (`mirror`) so every
//! replica's floor agrees. Its HTTP handlers are in `server::routes`
//! (`floor.rs`, `events.rs`).

pub mod board;
pub mod calls;
pub mod erlang;
pub mod erlang_a;
pub mod hub;
pub mod mirror;
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
pub use mirror::FloorInput;
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

/// A stretch of time one agent spent in one state, closed when they left it.
#[derive(Debug, Clone, PartialEq)]
pub struct StateInterval {
    pub agent: AgentId,
    pub state: AgentState,
    pub reason: Option<String>,
    pub started_ms: i64,
    pub ended_ms: i64,
}

/// Where one agent is.
#[derive(Debug, Clone)]
struct Presence {
    agent: AgentId,
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
    /// States left since the floor last handed them out (`take_intervals`).
    closed: Vec<StateInterval>,
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
        let published = self.take_call_event(event, agent, caller, transfer, now_ms);
        self.share(&FloorInput::Call {
            event: event.clone(),
            agent: agent.cloned(),
            caller: caller.cloned(),
            now_ms,
        });
        for (audience, event) in published {
            self.inner.hub.publish(audience, &event);
        }
    }

    /// Takes a change another replica made, publishing nothing: that
    /// replica told the desks.
    pub fn mirror(&self, input: &FloorInput) {
        match input {
            FloorInput::Call {
                event,
                agent,
                caller,
                now_ms,
            } => {
                self.take_call_event(event, agent.as_ref(), caller.as_ref(), None, *now_ms);
            }
            FloorInput::State {
                agent,
                state,
                reason,
                now_ms,
            } => {
                self.take_state(agent, *state, reason.clone(), *now_ms);
            }
            FloorInput::Logged { agent, now_ms } => {
                self.take_logged(*agent, *now_ms);
            }
        }
    }

    /// Tells the other replicas (if any) of a change made here.
    fn share(&self, input: &FloorInput) {
        if self.inner.hub.relayed() {
            match serde_json::to_string(input) {
                Ok(data) => self.inner.hub.share(mirror::INPUT_EVENT, data),
                Err(e) => tracing::error!(error = %e, "a floor change could not be shared"),
            }
        }
    }

    /// The call event on the floor; returns what to publish.
    fn take_call_event(
        &self,
        event: &CallEvent,
        agent: Option<&FloorAgent>,
        caller: Option<&KnownCaller>,
        transfer: Option<&TransferContext>,
        now_ms: i64,
    ) -> Vec<(Audience, FloorEvent)> {
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
        published
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
        let status = self.take_state(agent, state, reason.clone(), now_ms);
        self.share(&FloorInput::State {
            agent: agent.clone(),
            state,
            reason,
            now_ms,
        });
        // The agent's own desk follows its state too.
        self.inner.hub.publish(
            Audience::SupervisorsAnd(agent.agent.id),
            &FloorEvent::AgentState(status.clone()),
        );
        status
    }

    fn take_state(
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
        status
    }

    /// An agent logged an interaction: their wrap-up (if any) is over.
    pub fn interaction_logged(&self, agent: AgentId, now_ms: i64) {
        if let Some(event) = self.take_logged(agent, now_ms) {
            self.share(&FloorInput::Logged { agent, now_ms });
            self.inner
                .hub
                .publish(Audience::SupervisorsAnd(agent), &event);
        }
    }

    /// Ends the agent's wrap-up, if they are in one; returns their new status.
    fn take_logged(&self, agent: AgentId, now_ms: i64) -> Option<FloorEvent> {
        let event = {
            let mut live = self.live();
            let live = &mut *live;
            let presence = live.agents.get_mut(&agent)?;
            if presence.state != AgentState::WrapUp {
                return None;
            }
            wrap_up_over(&mut live.calls, presence, now_ms);
            status_event(agent, presence, now_ms)
        };
        self.inner.dirty.store(true, Ordering::Release);
        Some(event)
    }

    /// Once a second: ends wrap-ups past the limit, drops old calls, and
    /// publishes the queue statistics if anything changed (at most once a
    /// second, however busy the floor). Every replica keeps its floor so;
    /// only the `leader` tells the desks, once for the whole floor.
    pub fn tick(&self, now_ms: i64, leader: bool) {
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
        if !leader {
            return;
        }
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

    /// The states agents left since the last call, each once.
    pub fn take_intervals(&self) -> Vec<StateInterval> {
        self.live()
            .agents
            .values_mut()
            .flat_map(|p| std::mem::take(&mut p.closed))
            .collect()
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
        agent: agent.agent.id,
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
        closed: Vec::new(),
    }
}

/// Puts the agent in `state`; out of a call (available, not ready), their
/// last call, queue and customer are forgotten.
fn enter(p: &mut Presence, state: AgentState, reason: Option<String>, now_ms: i64) {
    if p.state != AgentState::Offline && now_ms > p.since_ms {
        p.closed.push(StateInterval {
            agent: p.agent,
            state: p.state,
            reason: p.reason.take(),
            started_ms: p.since_ms,
            ended_ms: now_ms,
        });
    }
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
#[path = "floor_tests.rs"]
mod tests;
