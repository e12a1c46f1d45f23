//! Two replicas on PostgreSQL under a floor's load, one killed partway. Run:
//! `SWITCHBOARD_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test cargo bench --bench replicas`
//!
//! Starts two real `switchboard serve` processes on one database, then:
//! - measures a screen pop posted to replica A reaching a desk on replica B
//!   with nothing else going on;
//! - connects 2,000 desks' event streams (1,980 agents, 20 supervisors),
//!   half to each replica, each desk's client given both addresses;
//! - runs the call simulator at ten times a busy hour's rate, routing every
//!   call to the desks, and 200 writes (wrap-ups) a second;
//! - kills replica A with SIGKILL partway, and keeps going on B.
//!
//! Then checks, against the shared event log, that every desk got every
//! event addressed to it once and in order; that every acknowledged write is
//! stored once; how soon the desks on A were back on B; how late events
//! reached desks; and the memory each stream costs replica B.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{TestDb, TestServer};
use futures::StreamExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard::api::*;
use switchboard::domain::*;
use switchboard::server::store::Store;
use tokio::sync::watch;

const AGENTS: usize = 1_980;
const SUPERVISORS: usize = 20;
const WRITES_PER_S: u64 = 200;
const LOAD: Duration = Duration::from_secs(60);
const KILL_AFTER: Duration = Duration::from_secs(25);
/// As the desk's own stream follower waits before reconnecting.
const RECONNECT_WAIT: Duration = Duration::from_millis(500);
const IDLE_POPS: usize = 200;

/// What one desk's stream saw.
#[derive(Default)]
struct Seen {
    ids: Vec<u64>,
    /// Seconds from an agent's change of state to its arrival here.
    lags: Vec<f64>,
    resyncs: usize,
    pops: usize,
    /// When the stream was back after the kill, if it broke.
    back_at: Option<Instant>,
}

struct Desk {
    agent: AgentId,
    supervisor: bool,
    on_a: bool,
    seen: Arc<Mutex<Seen>>,
}

fn main() {
    let Some(db) = TestDb::postgres() else {
        eprintln!("replicas bench: needs PostgreSQL ({})", common::PG_ENV);
        return;
    };
    let args = ["--max-connections", "4000", "--wrap-up-limit", "5"];
    let mut a = TestServer::start_with(db, &args);
    let b = a.replica();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(&mut a, b.base.clone(), b.child.id()));
}

async fn run(a: &mut TestServer, b_base: String, b_pid: u32) {
    let a_base = a.base.clone();
    let store = Store::open(&a.db.url).await.expect("store");
    let money = Money::new(5_000, Currency::USD);
    let acd_token = store
        .add_agent("Bench ACD", Role::System, money)
        .await
        .expect("acd")
        .1;
    let mut tokens = Vec::new();
    for i in 0..AGENTS + SUPERVISORS {
        let role = if i < AGENTS {
            Role::Agent
        } else {
            Role::Supervisor
        };
        let (agent, token) = store
            .add_agent(&format!("Desk {i}"), role, money)
            .await
            .expect("agent");
        tokens.push((agent.id, role == Role::Supervisor, token));
    }

    // 1. A pop posted to A reaching a desk on B, nothing else going on.
    let acd_a = Client::new(&a_base, &acd_token).expect("client");
    let (first, _, first_token) = &tokens[0];
    let on_b = Client::new(&b_base, first_token).expect("client");
    on_b.set_state(&available()).await.expect("available");
    let mut pops = Box::pin(on_b.events(None).await.expect("stream on B"));
    let mut idle = Vec::new();
    for n in 0..IDLE_POPS {
        let sent = Instant::now();
        acd_a
            .post_call(&offered(&format!("idle-{n}"), Some(*first)))
            .await
            .expect("offered");
        loop {
            let (_, event) = pops.next().await.expect("open").expect("event");
            if matches!(event, FloorEvent::ContactOffered(_)) {
                break;
            }
        }
        idle.push(sent.elapsed().as_secs_f64() * 1e3);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(pops);
    report("pop, posted to A, on a desk on B (idle), ms", &mut idle);

    // 2. Desks connect, half to each replica, each knowing both.
    let rss_before = rss_kb(b_pid);
    let start = store.floor_log_latest().await.expect("latest");
    let (stop_tx, stop) = watch::channel(false);
    let (hang_up, desks_stop) = watch::channel(false);
    let mut desks = Vec::new();
    let mut clients = Vec::new();
    for (i, (agent, supervisor, token)) in tokens.iter().enumerate() {
        let on_a = i % 2 == 0;
        let urls = match on_a {
            true => format!("{a_base},{b_base}"),
            false => format!("{b_base},{a_base}"),
        };
        let client = Client::new(&urls, token).expect("client");
        let seen = Arc::new(Mutex::new(Seen::default()));
        tokio::spawn(follow(
            client.clone(),
            start,
            seen.clone(),
            desks_stop.clone(),
        ));
        desks.push(Desk {
            agent: *agent,
            supervisor: *supervisor,
            on_a,
            seen,
        });
        if !supervisor {
            clients.push(client);
        }
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let streams_on_b = desks.iter().filter(|d| !d.on_a).count();
    let rss_after = rss_kb(b_pid);
    for client in &clients {
        client.set_state(&available()).await.expect("available");
    }

    // 3. Load: the simulator at ten times a busy hour, writes at 200/s.
    let callers = a.sim_callers().await;
    let sim_client = Client::new(&format!("{a_base},{b_base}"), &acd_token).expect("client");
    let mut sim_stop = stop.clone();
    let sim = tokio::spawn(switchboard::sim::calls::run(
        sim_client,
        switchboard::sim::calls::SimOptions {
            speed: 10.0,
            seed: 11,
            agents: Some(0),
            warm_up: false,
            start_hour: Some(11.0),
            callers: callers.clone(),
        },
        async move {
            let _ = sim_stop.changed().await;
        },
    ));
    let mut customers = Vec::new();
    for caller in callers.iter().take(50) {
        let query = LookupQuery {
            phone: Some(caller.phone.clone()),
            email: None,
            account: None,
        };
        let found = clients[0].lookup(&query).await.expect("lookup");
        customers.extend(found.matches.first().map(|m| m.id));
    }
    let written = Arc::new(Mutex::new(Writes::default()));
    let writer = tokio::spawn(write_load(
        clients.clone(),
        customers,
        written.clone(),
        stop.clone(),
    ));
    let began = Instant::now();
    tokio::time::sleep(KILL_AFTER).await;
    a.kill();
    let killed = Instant::now();
    eprintln!("replica A killed at {:?}", began.elapsed());
    tokio::time::sleep(LOAD.saturating_sub(KILL_AFTER)).await;
    let _ = stop_tx.send(true);
    let _ = sim.await;
    let _ = writer.await;
    // The load is over: what the log holds by now must reach the desks.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let end = store.floor_log_latest().await.expect("latest");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let _ = hang_up.send(true);

    // 4. Every desk got exactly what the log addressed to it.
    let log = store
        .floor_events_after(start, i64::MAX)
        .await
        .expect("log");
    let log: Vec<_> = log.into_iter().filter(|e| e.id <= end).collect();
    let (mut missing, mut repeated, mut resyncs, mut events, mut pops) = (0, 0, 0, 0, 0);
    let mut lags = Vec::new();
    let mut back = Vec::new();
    for desk in &desks {
        let seen = desk.seen.lock().expect("seen");
        let expected: Vec<u64> = log
            .iter()
            .filter(|e| addressed(e, desk.agent, desk.supervisor))
            .map(|e| e.id)
            .collect();
        let got: Vec<u64> = seen.ids.iter().copied().filter(|id| *id <= end).collect();
        repeated += got.len() - dedup_len(&got);
        let got_set: std::collections::HashSet<u64> = got.iter().copied().collect();
        missing += expected.iter().filter(|id| !got_set.contains(id)).count();
        events += got.len();
        resyncs += seen.resyncs;
        pops += seen.pops;
        lags.extend(seen.lags.iter().map(|s| s * 1e3));
        if desk.on_a {
            if let Some(at) = seen.back_at {
                back.push(at.saturating_duration_since(killed).as_secs_f64());
            }
        }
    }
    let stored = count_noted(&a.db.url).await;
    let (acknowledged, errors) = {
        let w = written.lock().expect("writes");
        (w.acknowledged, w.errors)
    };
    println!(
        "events delivered to desks: {events}, {pops} of them screen pops ({} rows in the log)",
        log.len()
    );
    println!("events missing: {missing}, repeated: {repeated}, resyncs: {resyncs}");
    report("event lag (agent state change to desk), ms", &mut lags);
    println!(
        "desks on A back on B: {} of {}",
        back.len(),
        desks.iter().filter(|d| d.on_a).count()
    );
    report("time from kill to back on B, s", &mut back);
    println!(
        "writes acknowledged: {}, stored: {stored}, errors: {}",
        acknowledged, errors
    );
    println!(
        "replica B memory: {} kB before {streams_on_b} streams, {} kB after: {:.1} kB per stream",
        rss_before,
        rss_after,
        (rss_after.saturating_sub(rss_before)) as f64 / streams_on_b as f64
    );

    // 5. The ceiling: state changes as fast as 64 desks can make them on
    // B (desks the simulator never rang, so each change is a change of
    // state now), with five supervisors' streams (which see every one)
    // reading.
    let from = store.floor_log_latest().await.expect("latest");
    let (hang_up, desks_stop) = watch::channel(false);
    let mut watching = Vec::new();
    for (_, _, token) in tokens
        .iter()
        .filter(|(_, supervisor, _)| *supervisor)
        .take(5)
    {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let client = Client::new(&b_base, token).expect("client");
        tokio::spawn(follow(client, from, seen.clone(), desks_stop.clone()));
        watching.push(seen);
    }
    let began = Instant::now();
    let burst: Vec<_> = clients
        .iter()
        .rev()
        .take(64)
        .cloned()
        .map(|client| {
            tokio::spawn(async move {
                let mut n = 0usize;
                while began.elapsed() < BURST {
                    let state = match n % 2 {
                        0 => available(),
                        _ => NewAgentState {
                            state: SettableState::NotReady,
                            reason: Some("lunch".into()),
                        },
                    };
                    if client.set_state(&state).await.is_ok() {
                        n += 1;
                    }
                }
                n
            })
        })
        .collect();
    let mut changes = 0;
    for task in burst {
        changes += task.await.unwrap_or(0);
    }
    let seconds = began.elapsed().as_secs_f64();
    let rows = store.floor_log_latest().await.expect("latest") - from;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let _ = hang_up.send(true);
    let mut lags: Vec<f64> = watching
        .iter()
        .flat_map(|s| s.lock().expect("seen").lags.clone())
        .map(|s| s * 1e3)
        .collect();
    println!(
        "burst on B: {:.0} state changes/s, {:.0} log rows/s, {:.0} events/s to 5 supervisors",
        changes as f64 / seconds,
        rows as f64 / seconds,
        lags.len() as f64 / seconds
    );
    report("burst event lag to supervisors, ms", &mut lags);
}

const BURST: Duration = Duration::from_secs(10);

const BENCH_NOTE: &str = "replica bench wrap-up";

#[derive(Default)]
struct Writes {
    acknowledged: usize,
    errors: usize,
}

/// 200 wrap-ups a second from the desks, each with its own key.
async fn write_load(
    clients: Vec<Client>,
    customers: Vec<CustomerId>,
    written: Arc<Mutex<Writes>>,
    stop: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(Duration::from_millis(1000 / WRITES_PER_S));
    let mut n = 0usize;
    while !*stop.borrow() {
        tick.tick().await;
        let client = clients[n % clients.len()].clone();
        let customer = customers[n % customers.len()];
        let written = written.clone();
        n += 1;
        tokio::spawn(async move {
            let write = Write::Interaction(NewInteraction {
                customer_id: customer,
                channel: Channel::Voice,
                disposition_code: "billing.late_fee".into(),
                outcome: InteractionOutcome::Resolved,
                tags: vec![],
                notes: BENCH_NOTE.into(),
                suggestion_outcomes: vec![],
                follow_up_at: None,
                acting_for: None,
                tone_flagged: false,
            });
            let key = uuid::Uuid::new_v4().to_string();
            let answer = client.write(&key, &write).await;
            let mut w = written.lock().expect("writes");
            match answer {
                Ok(_) => w.acknowledged += 1,
                Err(e) => {
                    eprintln!("write failed: {e}");
                    w.errors += 1
                }
            }
        });
    }
}

/// One desk's event stream, reconnecting as the desk does (after
/// `RECONNECT_WAIT`, with the last id it had) until told to stop.
async fn follow(
    client: Client,
    start: u64,
    seen: Arc<Mutex<Seen>>,
    mut stop: watch::Receiver<bool>,
) {
    let mut last = start;
    let mut broke = false;
    loop {
        if let Ok(mut events) = client.events(Some(last)).await {
            if broke {
                seen.lock()
                    .expect("seen")
                    .back_at
                    .get_or_insert_with(Instant::now);
            }
            loop {
                let next = tokio::select! {
                    next = events.next() => next,
                    _ = stop.changed() => return,
                };
                let Some(Ok((id, event))) = next else { break };
                let received = chrono::Utc::now();
                let mut seen = seen.lock().expect("seen");
                last = id;
                seen.ids.push(id);
                match event {
                    FloorEvent::Resync(_) => seen.resyncs += 1,
                    FloorEvent::ContactOffered(_) => seen.pops += 1,
                    FloorEvent::AgentState(s) => {
                        if let Some(since) = s.since {
                            let lag = (received - since).num_microseconds().unwrap_or(0);
                            seen.lags.push(lag as f64 / 1e6);
                        }
                    }
                    _ => {}
                }
            }
        }
        broke = true;
        tokio::select! {
            _ = tokio::time::sleep(RECONNECT_WAIT) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Wrap-ups the bench wrote that the database holds.
async fn count_noted(url: &str) -> i64 {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
    sqlx::query_scalar("SELECT COUNT(*) FROM interactions WHERE notes = $1")
        .bind(BENCH_NOTE)
        .fetch_one(&mut conn)
        .await
        .expect("count")
}

fn addressed(
    e: &switchboard::server::store::LoggedEvent,
    agent: AgentId,
    supervisor: bool,
) -> bool {
    match (e.audience.as_str(), supervisor) {
        ("supervisors", true) | ("supervisors_and", true) => true,
        ("agent", _) | ("supervisors_and", _) => e.agent == Some(agent.0),
        _ => false,
    }
}

fn dedup_len(ids: &[u64]) -> usize {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.len()
}

fn available() -> NewAgentState {
    NewAgentState {
        state: SettableState::Available,
        reason: None,
    }
}

fn offered(id: &str, agent: Option<AgentId>) -> NewCallEvent {
    NewCallEvent {
        call_id: id.into(),
        kind: CallEventKind::Offered,
        queue: "billing".into(),
        caller: Some("+12125550199".into()),
        agent_id: agent,
        occurred_at: chrono::Utc::now(),
        seq: 0,
    }
}

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn report(what: &str, samples: &mut [f64]) {
    if samples.is_empty() {
        println!("{what}: no samples");
        return;
    }
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    println!(
        "{what}: n={} p50={:.2} p99={:.2} max={:.2}",
        samples.len(),
        at(0.5),
        at(0.99),
        samples[samples.len() - 1]
    );
}
