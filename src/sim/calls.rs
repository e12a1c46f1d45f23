//! The call simulator: plays the ACD against any server over HTTP with a
//! `system` token. Calls arrive per queue as Poisson processes whose rates
//! follow the day (a morning and an afternoon peak); callers hang up when
//! their patience runs out; calls go, oldest first and by skill, to real
//! desks that have set themselves available and then to the simulated
//! agents; talk and wrap-up times
//! are log-normal. Callers are mostly numbers from a directory it is given
//! (the demo's seeded customers), so screen pops find someone; a key
//! account's contacts ring the premier line, and each call goes first to the
//! key-account manager the server names in its answer to `offered` (the
//! simulator reads no customer: a `system` token may not). `speed`
//! compresses time: at 10, ten times as many calls arrive per second and
//! each lasts a tenth as long. Event times are the real clock.

use crate::api::{AgentStatus, CallCommand, CallEvent, Client, NewAgentState, NewCallEvent};
use crate::domain::{proficiency_for, AgentId, AgentState, CallAction, CallEventKind, Skill};
use chrono::Timelike;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;
use tokio::time::Instant;

/// A number the simulator calls from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimCaller {
    /// E.164.
    pub phone: String,
    /// A key account's contact: rings the premier line.
    pub key_account: bool,
}

/// How the simulation runs.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Time compression, 0.1 to 1000.
    pub speed: f64,
    pub seed: u64,
    /// How many of the simulated agents take calls (all when `None`); with 0,
    /// every call goes to real desks.
    pub agents: Option<usize>,
    /// First play the last half hour of calls at once, with their past times,
    /// so the boards have figures from the start.
    pub warm_up: bool,
    /// Play the day's shape from this hour (UTC, 0 to 24) instead of the
    /// clock's, so a demo at night still has a morning's calls. Event times
    /// stay real.
    pub start_hour: Option<f64>,
    /// Who calls: one in ten calls is from an unknown number besides (all
    /// of them when this is empty).
    pub callers: Vec<SimCaller>,
}

/// The hour of the simulated day at a moment: the clock's, or the day played
/// from `start_hour` at `speed`.
struct DayClock {
    started: chrono::DateTime<chrono::Utc>,
    start_hour: Option<f64>,
    speed: f64,
}

impl DayClock {
    fn hour(&self, t: chrono::DateTime<chrono::Utc>) -> f64 {
        match self.start_hour {
            None => t.hour() as f64 + t.minute() as f64 / 60.0,
            Some(h) => {
                let elapsed_h = (t - self.started).num_milliseconds() as f64 / 3_600_000.0;
                (h + elapsed_h * self.speed).rem_euclid(24.0)
            }
        }
    }
}

/// Calls per hour per queue at the day's average, by queue position.
const BASE_RATES: &[f64] = &[40.0, 30.0, 20.0, 10.0, 5.0];
/// Median talk time and wrap-up, seconds, and the spread of their logarithm.
const TALK_MEDIAN_S: f64 = 240.0;
const WRAP_MEDIAN_S: f64 = 25.0;
const SPREAD: f64 = 0.5;
/// Median caller patience, seconds.
const PATIENCE_MEDIAN_S: f64 = 90.0;
/// The stretch of past calls a warm-up plays.
const WARM_UP: Duration = Duration::from_secs(30 * 60);
/// At most this many calls in a warm-up, however fast the simulation.
const WARM_UP_MAX_CALLS: usize = 2_000;
/// How often the simulator looks at the clock and the agent board.
const STEP: Duration = Duration::from_millis(200);
/// The queue key accounts' callers ring.
const PREMIER_QUEUE: &str = "premier";
/// Share of callers whose number is not in the directory.
const UNKNOWN_CALLERS: f64 = 0.1;

struct Waiting {
    id: String,
    queue: String,
    caller: String,
    gives_up: Instant,
    /// The caller's key-account manager, offered the call first.
    manager: Option<AgentId>,
    /// A transfer to a named agent: only they take it.
    reserved: Option<AgentId>,
}

struct Talking {
    id: String,
    queue: String,
    caller: String,
    agent: AgentId,
    simulated: bool,
    ends: Instant,
}

/// The day's shape: quiet at night, peaks near 11:00 and 15:00 UTC.
fn day_factor(hour: f64) -> f64 {
    let bump = |peak: f64| (-(hour - peak).powi(2) / 6.0).exp();
    0.3 + 1.2 * bump(11.0) + 1.0 * bump(15.0)
}

fn exponential(rng: &mut ChaCha8Rng, rate_per_s: f64) -> f64 {
    -(1.0 - rng.gen::<f64>()).ln() / rate_per_s.max(1e-9)
}

fn log_normal(rng: &mut ChaCha8Rng, median: f64, spread: f64) -> f64 {
    // Box–Muller for a standard normal.
    let (u1, u2) = (1.0 - rng.gen::<f64>(), rng.gen::<f64>());
    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    median * (spread * z).exp()
}

/// The queues each agent serves, from the agent board.
type Skills = HashMap<AgentId, Vec<Skill>>;

/// Which waiting call goes to which free agent next (indices into each): a
/// call transferred to a named agent to that agent, and only to them; a key
/// account's caller to their own manager when the manager is free, oldest
/// such call first; else the oldest call some free agent serves, to
/// the free agent with the highest proficiency for its queue, the one free
/// longest among equals (`free` is in the order agents became free). `None`
/// when no free agent serves any waiting call.
fn next_assignment(
    waiting: &VecDeque<Waiting>,
    free: &VecDeque<AgentId>,
    skills: &Skills,
) -> Option<(usize, usize)> {
    to_named(waiting, free).or_else(|| {
        waiting
            .iter()
            .enumerate()
            .filter(|(_, w)| w.reserved.is_none())
            .find_map(|(call, w)| best_agent(free, &w.queue, skills).map(|agent| (call, agent)))
    })
}

/// A waiting call named for a free agent (a transfer to them, or their key
/// account's caller), oldest first: (call, agent) indices.
fn to_named(waiting: &VecDeque<Waiting>, free: &VecDeque<AgentId>) -> Option<(usize, usize)> {
    waiting.iter().enumerate().find_map(|(call, w)| {
        let named = w.reserved.or(w.manager)?;
        free.iter()
            .position(|a| *a == named)
            .map(|agent| (call, agent))
    })
}

/// The free agent (index) with the highest proficiency for `queue`, the
/// first in `free` among equals.
fn best_agent(free: &VecDeque<AgentId>, queue: &str, skills: &Skills) -> Option<usize> {
    free.iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let theirs = skills.get(a).map_or(&[][..], Vec::as_slice);
            proficiency_for(theirs, queue).map(|p| (i, p))
        })
        .max_by(|(i, p), (j, q)| p.cmp(q).then(j.cmp(i)))
        .map(|(i, _)| i)
}

/// Runs until `stop` resolves.
pub async fn run(
    client: Client,
    options: SimOptions,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let speed = options.speed.clamp(0.1, 1000.0);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let queues: Vec<String> = client
        .refdata()
        .await?
        .queues
        .into_iter()
        .map(|q| q.code)
        .collect();
    let callers = options.callers;
    let premier = queues.iter().any(|q| q == PREMIER_QUEUE);
    let board = client.agent_board().await?.agents;
    let mut skills: Skills = board
        .iter()
        .map(|a| (a.agent_id, a.skills.clone()))
        .collect();
    let available = NewAgentState {
        state: crate::domain::SettableState::Available,
        reason: None,
    };
    let mut idle: VecDeque<AgentId> = VecDeque::new();
    let playing = options.agents.unwrap_or(usize::MAX);
    let players: Vec<AgentId> = board
        .iter()
        .filter(|a| a.simulated)
        .take(playing)
        .map(|a| a.agent_id)
        .collect();
    let run_id: u32 = rng.gen();
    let day = DayClock {
        started: chrono::Utc::now(),
        start_hour: options.start_hour,
        speed,
    };
    if options.warm_up {
        let playing: Skills = players
            .iter()
            .map(|a| (*a, skills.get(a).cloned().unwrap_or_default()))
            .collect();
        let played = warm_up(&client, &queues, &callers, &playing, &mut rng, &day, run_id).await;
        tracing::info!(calls = played, "simulator warmed up the last half hour");
    }
    for a in board.iter().filter(|a| a.simulated).take(playing) {
        if client.set_agent_state(a.agent_id, &available).await.is_ok() {
            idle.push_back(a.agent_id);
        }
    }
    tracing::info!(
        queues = queues.len(),
        agents = idle.len(),
        callers = callers.len(),
        speed,
        "simulator started"
    );
    let started = Instant::now();
    let scaled = |s: f64| Duration::from_secs_f64((s / speed).max(0.01));
    let hour_now = || day.hour(chrono::Utc::now());
    let mut next_arrival: Vec<Instant> = (0..queues.len())
        .map(|i| started + scaled(exponential(&mut rng, rate_per_s(i, hour_now()))))
        .collect();
    let mut waiting: VecDeque<Waiting> = VecDeque::new();
    let mut talking: Vec<Talking> = Vec::new();
    let mut wrapping: Vec<(AgentId, Instant)> = Vec::new();
    let mut busy_real: HashSet<AgentId> = HashSet::new();
    let mut serial = 0u64;
    let mut warm: HashMap<String, String> = HashMap::new();
    let (mut commands, _listening) = super::commands::listen(client.clone());
    tokio::pin!(stop);
    let mut step = tokio::time::interval(STEP);
    loop {
        tokio::select! {
            _ = &mut stop => return Ok(()),
            _ = step.tick() => {}
        }
        let now = Instant::now();
        let hour = hour_now();
        // What desks asked of their calls.
        while let Ok(command) = commands.try_recv() {
            let patience = now + scaled(log_normal(&mut rng, PATIENCE_MEDIAN_S, SPREAD));
            obey(
                &client,
                &command,
                now,
                patience,
                &mut waiting,
                &mut talking,
                &mut warm,
            )
            .await;
        }
        // Arrivals.
        for (i, queue) in queues.iter().enumerate() {
            while next_arrival[i] <= now {
                next_arrival[i] += scaled(exponential(&mut rng, rate_per_s(i, hour)));
                serial += 1;
                let caller = pick_caller(&mut rng, &callers);
                let mut call = Waiting {
                    id: format!("sim-{run_id:08x}-{serial}"),
                    queue: match caller.key_account && premier {
                        true => PREMIER_QUEUE.to_string(),
                        false => queue.clone(),
                    },
                    caller: caller.phone,
                    gives_up: now + scaled(log_normal(&mut rng, PATIENCE_MEDIAN_S, SPREAD)),
                    manager: None,
                    reserved: None,
                };
                // The server names the key-account manager to offer it to first.
                call.manager = report(
                    &client,
                    &call.id,
                    &call.queue,
                    CallEventKind::Offered,
                    None,
                    Some(&call.caller),
                )
                .await
                .and_then(|stored| stored.key_account_manager);
                waiting.push_back(call);
            }
        }
        // Callers who run out of patience.
        let mut still = VecDeque::with_capacity(waiting.len());
        for call in waiting.drain(..) {
            if call.gives_up <= now {
                report(
                    &client,
                    &call.id,
                    &call.queue,
                    CallEventKind::Abandoned,
                    None,
                    None,
                )
                .await;
            } else {
                still.push_back(call);
            }
        }
        waiting = still;
        // Calls that end; simulated agents go to wrap-up, then back.
        let (ended, going): (Vec<Talking>, Vec<Talking>) =
            talking.drain(..).partition(|t| t.ends <= now);
        talking = going;
        for t in ended {
            report(
                &client,
                &t.id,
                &t.queue,
                CallEventKind::Ended,
                Some(t.agent),
                None,
            )
            .await;
            if t.simulated {
                wrapping.push((
                    t.agent,
                    now + scaled(log_normal(&mut rng, WRAP_MEDIAN_S, SPREAD)),
                ));
            } else {
                busy_real.remove(&t.agent);
            }
        }
        let (done, still_wrapping): (Vec<_>, Vec<_>) =
            wrapping.drain(..).partition(|(_, at)| *at <= now);
        wrapping = still_wrapping;
        for (agent, _) in done {
            if client.set_agent_state(agent, &available).await.is_ok() {
                idle.push_back(agent);
            }
        }
        // Route waiting calls to free agents: calls named for a simulated
        // agent to them; then by skill, first to real desks that say they
        // are available (a person who asks for calls gets them), then to
        // the simulated agents.
        let mut assigned = Vec::new();
        while let Some((call, agent)) = to_named(&waiting, &idle) {
            if let (Some(call), Some(agent)) = (waiting.remove(call), idle.remove(agent)) {
                assigned.push((call, agent, true));
            }
        }
        if !waiting.is_empty() {
            let real: Vec<AgentStatus> = match client.agent_board().await {
                Ok(b) => b.agents,
                Err(e) => {
                    tracing::warn!(error = %e, "simulator: cannot read the agent board");
                    Vec::new()
                }
            };
            let mut free_real: VecDeque<AgentId> = VecDeque::new();
            for a in real.into_iter().filter(|a| !a.simulated) {
                if a.state == AgentState::Available && !busy_real.contains(&a.agent_id) {
                    free_real.push_back(a.agent_id);
                }
                skills.insert(a.agent_id, a.skills);
            }
            while let Some((call, agent)) = next_assignment(&waiting, &free_real, &skills) {
                if let (Some(call), Some(agent)) = (waiting.remove(call), free_real.remove(agent)) {
                    assigned.push((call, agent, false));
                }
            }
        }
        while let Some((call, agent)) = next_assignment(&waiting, &idle, &skills) {
            if let (Some(call), Some(agent)) = (waiting.remove(call), idle.remove(agent)) {
                assigned.push((call, agent, true));
            }
        }
        for (call, agent, simulated) in assigned {
            report(
                &client,
                &call.id,
                &call.queue,
                CallEventKind::Answered,
                Some(agent),
                Some(&call.caller),
            )
            .await;
            if !simulated {
                busy_real.insert(agent);
            }
            // A warm transfer's first agent leaves once the second answers.
            if let Some(first) = warm.remove(&call.id) {
                if let Some(t) = talking.iter_mut().find(|t| t.id == first) {
                    t.ends = now;
                }
            }
            talking.push(Talking {
                id: call.id,
                queue: call.queue,
                caller: call.caller,
                agent,
                simulated,
                ends: now + scaled(log_normal(&mut rng, TALK_MEDIAN_S, SPREAD)),
            });
        }
    }
}

/// Calls per second arriving in queue `i` at `hour` (UTC).
fn rate_per_s(i: usize, hour: f64) -> f64 {
    BASE_RATES.get(i).copied().unwrap_or(5.0) * day_factor(hour) / 3600.0
}

/// A caller: mostly one of the directory's, sometimes an unknown number.
fn pick_caller(rng: &mut ChaCha8Rng, callers: &[SimCaller]) -> SimCaller {
    if callers.is_empty() || rng.gen_bool(UNKNOWN_CALLERS) {
        SimCaller {
            phone: format!("+1555{:07}", rng.gen_range(0..10_000_000)),
            key_account: false,
        }
    } else {
        callers[rng.gen_range(0..callers.len())].clone()
    }
}

/// Plays the last half hour of calls at once, with their past times: each
/// call goes to the simulated agent (of `agents`, with their skills) who
/// serves its queue and is free soonest, or is abandoned when the caller's patience runs out first. Calls that would still be going on now
/// are left out. Returns how many calls were played.
async fn warm_up(
    client: &Client,
    queues: &[String],
    callers: &[SimCaller],
    agents: &Skills,
    rng: &mut ChaCha8Rng,
    day: &DayClock,
    run_id: u32,
) -> usize {
    let now = chrono::Utc::now();
    let start = now - WARM_UP;
    let seconds = |s: f64| chrono::Duration::milliseconds((s / day.speed * 1000.0) as i64);
    let mut arrivals: Vec<(chrono::DateTime<chrono::Utc>, usize)> = Vec::new();
    for i in 0..queues.len() {
        let mut t = start;
        loop {
            t += seconds(exponential(rng, rate_per_s(i, day.hour(t))));
            if t >= now || arrivals.len() >= WARM_UP_MAX_CALLS {
                break;
            }
            arrivals.push((t, i));
        }
    }
    arrivals.sort();
    let mut free_at: Vec<(chrono::DateTime<chrono::Utc>, AgentId)> =
        agents.keys().map(|a| (start, *a)).collect();
    let mut played = 0;
    for (serial, (offered, i)) in arrivals.into_iter().enumerate() {
        let id = format!("sim-{run_id:08x}-w{serial}");
        let queue = &queues[i];
        let caller = pick_caller(rng, callers).phone;
        let gives_up = offered + seconds(log_normal(rng, PATIENCE_MEDIAN_S, SPREAD));
        free_at.sort();
        let serves = |agent: &AgentId| {
            proficiency_for(agents.get(agent).map_or(&[][..], Vec::as_slice), queue).is_some()
        };
        let answered = free_at
            .iter()
            .position(|(_, agent)| serves(agent))
            .map(|i| (free_at[i].0.max(offered), free_at[i].1, i));
        let events = match answered {
            Some((at, agent_id, i)) if at <= gives_up => {
                let ended = at + seconds(log_normal(rng, TALK_MEDIAN_S, SPREAD));
                if ended >= now {
                    continue;
                }
                free_at[i].0 = ended + seconds(log_normal(rng, WRAP_MEDIAN_S, SPREAD));
                vec![
                    (CallEventKind::Offered, offered, None),
                    (CallEventKind::Answered, at, Some(agent_id)),
                    (CallEventKind::Ended, ended, Some(agent_id)),
                ]
            }
            _ if gives_up < now => vec![
                (CallEventKind::Offered, offered, None),
                (CallEventKind::Abandoned, gives_up, None),
            ],
            _ => continue,
        };
        for (kind, at, agent) in events {
            post(
                client,
                &call_event(&id, queue, kind, agent, Some(&caller), at),
            )
            .await;
        }
        played += 1;
    }
    played
}

/// Carries out what a desk asked (a `call_command`): holds and resumes are
/// confirmed at once; a hang-up ends the call at the next step; a transfer
/// puts the caller in the queue again as the new leg (for the named agent
/// only, when one was named), and ends the first agent's call at once
/// (cold) or when the new leg is answered (warm). Commands for calls this
/// simulator is not playing are left alone.
async fn obey(
    client: &Client,
    command: &CallCommand,
    now: Instant,
    patience: Instant,
    waiting: &mut VecDeque<Waiting>,
    talking: &mut [Talking],
    warm: &mut HashMap<String, String>,
) {
    let Some(call) = talking.iter_mut().find(|t| t.id == command.call_id) else {
        tracing::info!(call = %command.call_id, "simulator: a command for a call it is not playing");
        return;
    };
    let confirm = |kind| NewCallEvent {
        seq: command.seq,
        ..call_event(
            &call.id,
            &call.queue,
            kind,
            Some(call.agent),
            None,
            chrono::Utc::now(),
        )
    };
    match command.action {
        CallAction::Hold => {
            post(client, &confirm(CallEventKind::Held)).await;
        }
        CallAction::Resume => {
            post(client, &confirm(CallEventKind::Resumed)).await;
        }
        CallAction::HangUp => call.ends = now,
        CallAction::Transfer => {
            let Some(order) = &command.transfer else {
                return;
            };
            let leg = Waiting {
                id: order.new_call_id.clone(),
                queue: order.to_queue.clone(),
                caller: call.caller.clone(),
                gives_up: patience,
                manager: None,
                reserved: order.to_agent_id,
            };
            report(
                client,
                &leg.id,
                &leg.queue,
                CallEventKind::Offered,
                None,
                Some(&leg.caller),
            )
            .await;
            match order.warm {
                true => {
                    warm.insert(leg.id.clone(), call.id.clone());
                }
                false => call.ends = now,
            }
            waiting.push_back(leg);
        }
    }
}

/// A call event to post.
fn call_event(
    call_id: &str,
    queue: &str,
    kind: CallEventKind,
    agent_id: Option<AgentId>,
    caller: Option<&str>,
    occurred_at: chrono::DateTime<chrono::Utc>,
) -> NewCallEvent {
    NewCallEvent {
        call_id: call_id.to_string(),
        kind,
        queue: queue.to_string(),
        caller: caller.map(str::to_string),
        agent_id,
        occurred_at,
        seq: 0,
    }
}

/// Posts one call event, returning what the server stored; failures are
/// logged and the simulation goes on.
async fn post(client: &Client, event: &NewCallEvent) -> Option<CallEvent> {
    match client.post_call(event).await {
        Ok(stored) => Some(stored.body),
        Err(e) => {
            tracing::warn!(error = %e, kind = event.kind.as_str(), "simulator: call event refused");
            None
        }
    }
}

/// Posts one call event as of now, returning what the server stored;
/// failures are logged and the simulation goes on.
async fn report(
    client: &Client,
    call_id: &str,
    queue: &str,
    kind: CallEventKind,
    agent_id: Option<AgentId>,
    caller: Option<&str>,
) -> Option<CallEvent> {
    let now = chrono::Utc::now();
    post(
        client,
        &call_event(call_id, queue, kind, agent_id, caller, now),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(manager: Option<i64>) -> Waiting {
        call_to(PREMIER_QUEUE, manager)
    }

    fn call_to(queue: &str, manager: Option<i64>) -> Waiting {
        Waiting {
            id: String::new(),
            queue: queue.into(),
            caller: String::new(),
            gives_up: Instant::now(),
            manager: manager.map(AgentId),
            reserved: None,
        }
    }

    fn skills(of: &[(i64, &str)]) -> Skills {
        of.iter()
            .map(|(id, text)| (AgentId(*id), crate::domain::parse_skills(text).expect(text)))
            .collect()
    }

    #[test]
    fn a_key_account_caller_goes_to_their_manager_first_else_to_anyone() {
        let calls: VecDeque<_> = [waiting(None), waiting(Some(7))].into();
        let everyone = Skills::new();
        // The manager is free: the key account's call goes to them, though
        // another call waited longer and another agent was free longer.
        assert_eq!(
            next_assignment(&calls, &[AgentId(3), AgentId(7)].into(), &everyone),
            Some((1, 1))
        );
        // The manager is busy: oldest call first, to whoever is free.
        assert_eq!(
            next_assignment(&calls, &[AgentId(3)].into(), &everyone),
            Some((0, 0))
        );
        let key_only: VecDeque<_> = [waiting(Some(7))].into();
        assert_eq!(
            next_assignment(&key_only, &[AgentId(3)].into(), &everyone),
            Some((0, 0))
        );
        assert_eq!(
            next_assignment(&key_only, &VecDeque::new(), &everyone),
            None
        );
    }

    #[test]
    fn calls_go_to_the_best_skilled_free_agent_the_longest_free_first() {
        let skills = skills(&[
            (1, "billing:1"),
            (2, "billing:3,tech:1"),
            (3, "billing:3"),
            (4, "tech:2"),
            (5, ""), // every queue, at 1
        ]);
        let billing: VecDeque<_> = [call_to("billing", None)].into();
        // Agents 2 and 3 are both experts; 3 has been free longer.
        let free: VecDeque<_> = [1, 3, 2, 4, 5].map(AgentId).into();
        assert_eq!(next_assignment(&billing, &free, &skills), Some((0, 1)));
        let free: VecDeque<_> = [1, 2, 3].map(AgentId).into();
        assert_eq!(next_assignment(&billing, &free, &skills), Some((0, 1)));
        // Only agent 4 (tech) is free: billing waits, a later tech call
        // goes ahead of it.
        let calls: VecDeque<_> = [call_to("billing", None), call_to("tech", None)].into();
        assert_eq!(
            next_assignment(&calls, &[AgentId(4)].into(), &skills),
            Some((1, 0))
        );
        assert_eq!(
            next_assignment(&billing, &[AgentId(4)].into(), &skills),
            None
        );
        // The generalist takes what no specialist is free for.
        assert_eq!(
            next_assignment(&billing, &[4, 5].map(AgentId).into(), &skills),
            Some((0, 1))
        );
        // Anyone the board has not told us about serves every queue.
        assert_eq!(
            next_assignment(&billing, &[AgentId(99)].into(), &skills),
            Some((0, 0))
        );
    }

    #[test]
    fn the_samplers_have_the_asked_centre() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let n = 20_000;
        let mean: f64 = (0..n).map(|_| exponential(&mut rng, 0.5)).sum::<f64>() / n as f64;
        assert!((mean - 2.0).abs() < 0.1, "{mean}");
        let mut draws: Vec<f64> = (0..n).map(|_| log_normal(&mut rng, 240.0, 0.5)).collect();
        draws.sort_by(f64::total_cmp);
        let median = draws[n / 2];
        assert!((median - 240.0).abs() < 10.0, "{median}");
        assert!(day_factor(11.0) > day_factor(3.0) * 3.0);
    }

    #[test]
    fn a_played_day_starts_at_its_hour_and_runs_at_the_speed() {
        let started = chrono::Utc::now();
        let day = DayClock {
            started,
            start_hour: Some(23.5),
            speed: 2.0,
        };
        assert!((day.hour(started) - 23.5).abs() < 1e-9);
        let later = started + chrono::Duration::minutes(30);
        assert!((day.hour(later) - 0.5).abs() < 1e-9, "wraps at midnight");
        let earlier = started - chrono::Duration::minutes(30);
        assert!(
            (day.hour(earlier) - 22.5).abs() < 1e-9,
            "the warm-up's past"
        );
    }
}
