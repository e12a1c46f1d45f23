//! Replicas on PostgreSQL: two real `switchboard serve` processes on one
//! database are one floor. A call posted to one pops on a desk connected to
//! the other; a desk resumes its event stream on either without losing or
//! repeating an event; both show the same queue statistics; the leader's
//! work moves when the leader is killed; and a desk given both addresses
//! fails over, its replayed write landing once.

mod common;

use chrono::Utc;
use common::{TestDb, TestServer};
use futures::{Stream, StreamExt};
use std::time::Duration;
use switchboard::api::*;
use switchboard::domain::*;

/// Dana Whitfield's number (a seeded fixture).
const DANA: &str = "+12125550199";

fn call(id: &str, kind: CallEventKind, agent: Option<AgentId>) -> NewCallEvent {
    NewCallEvent {
        call_id: id.into(),
        kind,
        queue: "billing".into(),
        caller: Some(DANA.into()),
        agent_id: agent,
        occurred_at: Utc::now(),
        seq: 0,
    }
}

const AVAILABLE: NewAgentState = NewAgentState {
    state: SettableState::Available,
    reason: None,
};

/// Events with their ids until `last` picks one out, within `secs` seconds.
async fn read_until<S>(
    stream: &mut S,
    secs: u64,
    last: impl Fn(&FloorEvent) -> bool,
) -> Vec<(u64, FloorEvent)>
where
    S: Stream<Item = Result<(u64, FloorEvent), ClientError>> + Unpin,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    let mut seen = Vec::new();
    loop {
        let next = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("the event in time")
            .expect("the stream is open")
            .expect("a well-formed event");
        let done = last(&next.1);
        seen.push(next);
        if done {
            return seen;
        }
    }
}

fn pop_of(call_id: &str) -> impl Fn(&FloorEvent) -> bool + '_ {
    move |e| matches!(e, FloorEvent::ContactOffered(o) if o.call_id == call_id)
}

/// Waits up to `secs` seconds for `done` to hold, asking it every 100 ms.
async fn eventually<F, Fut>(secs: u64, what: &str, done: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not within {secs} s: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What `/readyz` says once the replica is ready (it answers 503 until its
/// listener follows the log).
async fn ready(base: &str) -> Ready {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let answer = reqwest::get(format!("{base}/readyz"))
            .await
            .expect("readyz answers");
        if answer.status() == 200 {
            return answer.json().await.expect("readyz json");
        }
        assert_eq!(answer.status(), 503, "not ready is 503");
        assert!(tokio::time::Instant::now() < deadline, "{base} never ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn postgres() -> Option<TestServer> {
    TestDb::postgres().map(TestServer::start)
}

/// The counts a queue board is made of (not its waits, which grow by the
/// millisecond between two reads).
fn counts(board: &QueueBoard) -> Vec<(String, u32, u32, u32)> {
    let mut agents = vec![(
        "agents".to_string(),
        board.agents.available,
        board.agents.on_contact,
        board.agents.wrap_up,
    )];
    agents.extend(board.queues.iter().map(|q| {
        (
            q.queue.code.clone(),
            q.waiting,
            q.today.offered,
            q.today.answered,
        )
    }));
    agents
}

#[tokio::test]
async fn a_call_posted_to_one_replica_pops_on_the_other_and_the_stream_resumes_on_either() {
    let Some(a) = postgres() else { return };
    let b = a.replica();
    let acd = Client::new(
        &a.base,
        &common::add_agent(&a.db.url, "Test ACD", "system", "0"),
    )
    .expect("client");
    // Alex's desk is on replica B; the ACD talks to replica A.
    let alex_on_b = Client::new(&b.base, &a.agent_token).expect("client");
    let alex = alex_on_b.me().await.expect("me").id;
    let mut stream = Box::pin(alex_on_b.events(None).await.expect("Alex listens on B"));
    alex_on_b.set_state(&AVAILABLE).await.expect("available");

    acd.post_call(&call("r1", CallEventKind::Offered, Some(alex)))
        .await
        .expect("offered");
    let first = read_until(&mut stream, 10, pop_of("r1")).await;
    let Some((_, FloorEvent::ContactOffered(pop))) = first.last() else {
        panic!("no pop")
    };
    assert_eq!(pop.caller.as_deref(), Some(DANA));
    assert!(pop.customer_id.is_some(), "the caller was looked up on A");

    // Both replicas' floors agree, whichever took the change.
    acd.post_call(&call("r1", CallEventKind::Answered, Some(alex)))
        .await
        .expect("answered");
    acd.post_call(&call("r2", CallEventKind::Offered, None))
        .await
        .expect("second call waits");
    let boss_a = a.supervisor();
    let boss_b = Client::new(&b.base, &a.supervisor_token).expect("client");
    eventually(10, "the boards agree", || async {
        let (qa, qb) = (boss_a.queues().await, boss_b.queues().await);
        matches!((qa, qb), (Ok(qa), Ok(qb)) if counts(&qa) == counts(&qb)
            && qa.agents.on_contact == 1 && qa.queues.iter().any(|q| q.waiting == 1))
    })
    .await;
    let board_b = boss_b.agent_board().await.expect("board");
    let on_b = board_b
        .agents
        .iter()
        .find(|s| s.agent_id == alex)
        .expect("Alex");
    assert_eq!(on_b.state, AgentState::OnContact);
    assert_eq!(on_b.call_id.as_deref(), Some("r1"));

    // Three more pops; the desk saw ids a..; resuming from the first on A
    // gives exactly the rest, in order, once each.
    acd.post_call(&call("r1", CallEventKind::Ended, Some(alex)))
        .await
        .expect("ended");
    alex_on_b.set_state(&AVAILABLE).await.expect("available");
    for id in ["r3", "r4", "r5"] {
        acd.post_call(&call(id, CallEventKind::Offered, Some(alex)))
            .await
            .expect("offered");
    }
    let rest = read_until(&mut stream, 10, pop_of("r5")).await;
    let seen: Vec<u64> = first.iter().chain(&rest).map(|(id, _)| *id).collect();
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "ids increase: {seen:?}"
    );
    let alex_on_a = a.agent();
    let mut resumed = Box::pin(alex_on_a.events(Some(seen[0])).await.expect("resume on A"));
    let again = read_until(&mut resumed, 10, pop_of("r5")).await;
    let again: Vec<u64> = again.iter().map(|(id, _)| *id).collect();
    assert_eq!(again, seen[1..], "resumed on the other replica");
}

#[tokio::test]
async fn the_leaders_work_moves_when_the_leader_is_killed() {
    let Some(mut a) = postgres() else { return };
    eventually(10, "A leads", || async { ready(&a.base).await.leader }).await;
    let b = a.replica();
    let b_ready = ready(&b.base).await;
    assert!(!b_ready.leader, "one leader at a time");
    assert_ne!(b_ready.replica, ready(&a.base).await.replica);
    // Queue statistics reach supervisors from the leader only: once each.
    let boss_b = Client::new(&b.base, &a.supervisor_token).expect("client");
    let mut stats = Box::pin(boss_b.events(None).await.expect("listens on B"));
    a.kill();
    eventually(10, "B takes the lead", || async {
        ready(&b.base).await.leader
    })
    .await;
    // B, now leading, publishes the statistics when the floor changes.
    let acd = Client::new(
        &b.base,
        &common::add_agent(&a.db.url, "Test ACD", "system", "0"),
    )
    .expect("client");
    acd.post_call(&call("k1", CallEventKind::Offered, None))
        .await
        .expect("offered");
    let seen = read_until(
        &mut stats,
        10,
        |e| matches!(e, FloorEvent::QueueStats(q) if q.queues.iter().any(|q| q.waiting == 1)),
    )
    .await;
    assert!(!seen.is_empty());
}

#[tokio::test]
async fn a_desk_given_two_addresses_fails_over_and_its_replayed_write_lands_once() {
    let Some(mut a) = postgres() else { return };
    let b = a.replica();
    let desk = Client::new(&format!("{}, {}", a.base, b.base), &a.agent_token).expect("client");
    assert_eq!(desk.base(), a.base);
    let me = desk.me().await.expect("me").id;
    let customer = common::customer_at(&desk, DANA).await;
    let write = Write::Interaction(NewInteraction {
        customer_id: customer,
        channel: Channel::Voice,
        disposition_code: "billing.late_fee".into(),
        outcome: InteractionOutcome::Resolved,
        tags: vec![],
        notes: "logged as the server died".into(),
        suggestion_outcomes: vec![],
        follow_up_at: None,
        acting_for: None,
        tone_flagged: false,
    });
    let key = common::key();
    let first = desk.write(&key, &write).await.expect("written on A");
    let mut events = Box::pin(desk.events(None).await.expect("listens on A"));
    desk.set_state(&AVAILABLE).await.expect("available");
    let (seen, _) = events.next().await.expect("an event").expect("ok");

    a.kill();
    // The outbox sends it again (its answer was lost): it lands once, on B.
    let again = desk.write(&key, &write).await.expect("replayed on B");
    assert_eq!(desk.base(), b.base, "moved to the next server");
    assert!(again.replayed, "the key is shared by the replicas");
    assert_eq!(format!("{:?}", again.body), format!("{:?}", first.body));
    // The stream resumes on B after the last event it had.
    let mut resumed = Box::pin(desk.events(Some(seen)).await.expect("resumes on B"));
    desk.set_state(&NewAgentState {
        state: SettableState::NotReady,
        reason: Some("lunch".into()),
    })
    .await
    .expect("not ready");
    let next = read_until(&mut resumed, 10, |e| {
        matches!(e, FloorEvent::AgentState(s) if s.agent_id == me && s.state == AgentState::NotReady)
    })
    .await;
    assert!(next.iter().all(|(id, _)| *id > seen));
}

/// The desk itself, given both addresses: when its server dies it says it
/// moved and names the other, and a wrap-up typed then is kept once.
#[tokio::test]
async fn a_desk_moves_to_the_other_replica_and_keeps_working() {
    let Some(mut a) = postgres() else { return };
    let b = a.replica();
    let both = format!("{},{}", a.base, b.base);
    let mut desk = common::pty::Desk::start(
        &["--pop", "AC00000001"],
        &[
            ("SWITCHBOARD_SERVER", &both),
            ("SWITCHBOARD_TOKEN", &a.agent_token),
        ],
    );
    desk.wait_for("Last time: 20");
    desk.wait_for_codes();
    a.kill();
    let b_host = b.base.trim_start_matches("http://").to_string();
    desk.wait_for(&format!("Now connected to http://{b_host}"));
    desk.send("l");
    desk.wait_for("Log interaction");
    desk.type_text("lat");
    desk.send("\r");
    desk.type_text("Logged after the failover.");
    desk.send("\u{13}"); // ctrl-s
    desk.wait_for("This will be sent");
    desk.send("\r");
    desk.wait_for("Interaction logged (#");
    assert!(
        desk.contents().contains(&b_host),
        "the title names the server in use"
    );
    let stored: i64 = {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&a.db.url)
            .await
            .expect("connect");
        sqlx::query_scalar("SELECT COUNT(*) FROM interactions WHERE notes = $1")
            .bind("Logged after the failover.")
            .fetch_one(&mut conn)
            .await
            .expect("count")
    };
    assert_eq!(stored, 1);
    desk.send("q");
}
