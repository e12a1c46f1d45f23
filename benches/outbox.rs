//! Draining the outbox: 1,000 confirmed writes queued in a real local cache,
//! sent by the desk's own outbox sync to a real `switchboard serve` (SQLite) on
//! loopback, oldest first, each under its idempotency key. Run:
//! `cargo bench --bench outbox`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard::api::{NewInteraction, Write};
use switchboard::cache::{Cache, CacheOptions, OutboxEntry};
use switchboard::domain::{Channel, CustomerId, InteractionOutcome};
use switchboard::tui::action::Action;
use switchboard::tui::local::sync;

const WRITES: usize = 1000;

#[tokio::main]
async fn main() {
    let srv = common::TestServer::start(common::TestDb::sqlite());
    let dir = tempfile::tempdir().expect("cache dir");
    let opened = Cache::open(dir.path(), &srv.base, "1", CacheOptions::default()).expect("cache");
    let cache = Arc::new(opened.cache);
    let started = Instant::now();
    for i in 0..WRITES {
        let body = NewInteraction {
            customer_id: CustomerId(1 + (i % 50) as i64),
            channel: Channel::Voice,
            disposition_code: "orders.status".into(),
            outcome: InteractionOutcome::Resolved,
            tags: vec![],
            notes: format!("queued while offline, number {i}"),
            suggestion_outcomes: vec![],
            follow_up_at: None,
            acting_for: None,
            tone_flagged: false,
        };
        let entry = OutboxEntry::new(&uuid::Uuid::new_v4().to_string(), Write::Interaction(body));
        cache.enqueue(entry).expect("enqueue");
    }
    let queued = started.elapsed();
    println!(
        "queue {WRITES} writes durably (flush each): {:.2} s, {:.2} ms per write",
        queued.as_secs_f64(),
        queued.as_secs_f64() * 1e3 / WRITES as f64
    );

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let started = Instant::now();
    let handle = sync::start(cache.clone(), srv.agent(), tx);
    handle.kick();
    let mut answered = 0;
    let deadline = started + Duration::from_secs(120);
    while answered < WRITES && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
            Ok(Some(Action::Submitted { reply: Ok(_), .. })) => answered += 1,
            Ok(Some(Action::Submitted { reply: Err(e), key })) => {
                panic!("write {key} failed: {e:?}")
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    let drained = started.elapsed();
    assert_eq!(answered, WRITES, "every queued write was answered");
    assert_eq!(cache.pending_count(), 0, "the outbox is empty");
    println!(
        "drain {WRITES} queued writes on loopback: {:.2} s ({:.0} writes/s; target < 10 s)",
        drained.as_secs_f64(),
        WRITES as f64 / drained.as_secs_f64()
    );
}
