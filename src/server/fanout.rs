//! Replicas on PostgreSQL: any number of `serve` processes share one
//! database and are one floor. What a replica publishes goes to the shared
//! event log (`floor_events`), a `NOTIFY` with the newest id rings after the
//! commit, and every replica (the one that wrote included) reads the new rows
//! in id order: events for desks go into its hub under the log's ids, and
//! floor changes made elsewhere into its floor. A listener that drops, or a
//! doorbell missed, costs nothing: each replica reads from its last id, on
//! every ring and at least once a second.
//!
//! Once-per-floor work (the statistics the desks are sent, purges) is done by
//! the leader: the replica holding a PostgreSQL advisory lock on a connection
//! of its own. When the leader dies its connection closes, the lock goes, and
//! another replica takes it within a second or two.

use super::floor::hub::{Audience, Outgoing};
use super::floor::{Floor, FloorInput};
use super::store::{LoggedEvent, NewLogEvent, Store, StoreResult, FLOOR_CHANNEL};
use sqlx::postgres::{PgConnection, PgListener};
use sqlx::Connection;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Events read from the log at once.
const READ_BATCH: i64 = 1_000;
/// Events appended in one transaction at most.
const WRITE_BATCH: usize = 500;
/// How often the log is read without a doorbell, and leadership looked at.
const POLL: Duration = Duration::from_secs(1);
/// The advisory lock the leader holds (any constant unique to this use),
/// beside the schema's hash: each schema's floor has its own leader.
const LEADER_LOCK: i32 = 0x5342_4c44;

/// How this server stands among the replicas; on SQLite, alone and always
/// the leader.
#[derive(Debug)]
pub struct Replica {
    /// This process's name in the log.
    pub origin: String,
    leader: AtomicBool,
    listening: AtomicBool,
}

impl Replica {
    /// A server on its own (SQLite): the leader, with nothing to listen to.
    pub fn alone() -> Arc<Replica> {
        Arc::new(Replica {
            origin: "single".into(),
            leader: AtomicBool::new(true),
            listening: AtomicBool::new(true),
        })
    }

    /// Whether this replica does the once-per-floor work now.
    pub fn is_leader(&self) -> bool {
        self.leader.load(Ordering::Acquire)
    }

    /// Whether this replica follows the shared log now (always on SQLite).
    pub fn listening(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }
}

/// Joins the replicas sharing `store`: the hub relays to the log, the log
/// since `start` (the day so far) is read into the hub and the floor before
/// this returns, and the writer, the reader and the bid for leadership run
/// from then on.
pub async fn join(store: Store, floor: Floor, start: u64) -> StoreResult<Arc<Replica>> {
    let replica = Arc::new(Replica {
        origin: format!("{:016x}", rand::random::<u64>()),
        leader: AtomicBool::new(false),
        listening: AtomicBool::new(false),
    });
    let (relay, outgoing) = mpsc::unbounded_channel();
    floor.hub().relay_to(relay, start);
    let mut cursor = start;
    catch_up(&store, &floor, &replica.origin, &mut cursor).await?;
    tracing::info!(
        origin = %replica.origin,
        from = start,
        to = cursor,
        "replica joined the floor's event log"
    );
    tokio::spawn(write(store.clone(), replica.clone(), outgoing));
    tokio::spawn(follow(store.clone(), floor, replica.clone(), cursor));
    tokio::spawn(lead(store.url().to_string(), replica.clone()));
    Ok(replica)
}

/// Appends what this replica publishes, in batches, retrying until the
/// database takes it: nothing published is dropped while the server runs.
async fn write(
    store: Store,
    replica: Arc<Replica>,
    mut outgoing: mpsc::UnboundedReceiver<Outgoing>,
) {
    let mut batch = Vec::new();
    while let Some(first) = outgoing.recv().await {
        batch.push(first);
        while batch.len() < WRITE_BATCH {
            match outgoing.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let events: Vec<NewLogEvent> = batch
            .iter()
            .map(|o| {
                let (audience, agent) = o.audience.to_row();
                NewLogEvent {
                    audience,
                    agent,
                    name: &o.name,
                    data: &o.data,
                    at_ms: o.at_ms,
                }
            })
            .collect();
        let mut delay = Duration::from_millis(100);
        while let Err(e) = store.append_floor_events(&replica.origin, &events).await {
            tracing::warn!(error = %e, events = events.len(), "could not append to the floor's event log; retrying");
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
        drop(events);
        batch.clear();
    }
}

/// Reads the log as it grows, woken by the doorbell or the poll.
async fn follow(store: Store, floor: Floor, replica: Arc<Replica>, mut cursor: u64) {
    loop {
        let mut listener = match listen(store.url()).await {
            Ok(listener) => listener,
            Err(e) => {
                tracing::warn!(error = %e, "could not listen for the floor's events; retrying");
                tokio::time::sleep(POLL).await;
                continue;
            }
        };
        replica.listening.store(true, Ordering::Release);
        loop {
            if let Err(e) = catch_up(&store, &floor, &replica.origin, &mut cursor).await {
                tracing::warn!(error = %e, "could not read the floor's event log");
            }
            match tokio::time::timeout(POLL, listener.try_recv()).await {
                Ok(Ok(Some(_))) | Err(_) => {}
                // The connection dropped: listen again, then read what was missed.
                Ok(Ok(None)) | Ok(Err(_)) => break,
            }
        }
        replica.listening.store(false, Ordering::Release);
        tracing::warn!("lost the floor's doorbell; listening again");
    }
}

async fn listen(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(FLOOR_CHANNEL).await?;
    Ok(listener)
}

/// Takes every event after `cursor` into the hub and the floor.
async fn catch_up(store: &Store, floor: &Floor, origin: &str, cursor: &mut u64) -> StoreResult<()> {
    loop {
        let events = store.floor_events_after(*cursor, READ_BATCH).await?;
        for event in &events {
            take(floor, origin, event);
            *cursor = event.id;
        }
        if (events.len() as i64) < READ_BATCH {
            return Ok(());
        }
    }
}

fn take(floor: &Floor, origin: &str, event: &LoggedEvent) {
    let Some(audience) = Audience::from_row(&event.audience, event.agent) else {
        tracing::warn!(id = event.id, audience = %event.audience, "skipped a logged event for an unknown audience");
        return;
    };
    if audience == Audience::Replicas && event.origin != origin {
        match serde_json::from_str::<FloorInput>(&event.data) {
            Ok(input) => floor.mirror(&input),
            Err(e) => {
                tracing::warn!(id = event.id, error = %e, "skipped a floor change this replica cannot read")
            }
        }
    }
    floor.hub().append(
        event.id,
        audience,
        event.name.clone(),
        event.data.clone(),
        event.at_ms,
    );
}

/// Bids for leadership once a second on a connection of its own, and while
/// leading checks that connection holds (the lock lives and dies with it).
async fn lead(url: String, replica: Arc<Replica>) {
    loop {
        let mut conn = match PgConnection::connect(&url).await {
            Ok(conn) => conn,
            Err(e) => {
                tracing::warn!(error = %e, "could not connect to bid for leadership; retrying");
                tokio::time::sleep(POLL).await;
                continue;
            }
        };
        loop {
            let held = if replica.is_leader() {
                sqlx::query("SELECT 1")
                    .execute(&mut conn)
                    .await
                    .map(|_| true)
            } else {
                sqlx::query_scalar::<_, bool>(
                    "SELECT pg_try_advisory_lock($1, hashtext(current_schema()))",
                )
                .bind(LEADER_LOCK)
                .fetch_one(&mut conn)
                .await
            };
            match held {
                Ok(held) => {
                    if held && !replica.is_leader() {
                        tracing::info!(origin = %replica.origin, "this replica leads the floor");
                    }
                    replica.leader.store(held, Ordering::Release);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "lost the leadership connection");
                    break;
                }
            }
            tokio::time::sleep(POLL).await;
        }
        replica.leader.store(false, Ordering::Release);
    }
}
