//! Who looked at whom, off the read's path: each profile or timeline read
//! is handed to a background task that keeps views in batches (every half
//! second, or every 500). A read never waits for it; when the queue is full
//! (the database far behind), views are dropped with a warning rather than
//! slow the desk.

use super::store::{Store, View};
use crate::domain::{AgentId, CustomerId};
use std::time::Duration;
use tokio::sync::mpsc;

/// Views waiting to be kept, at most.
const QUEUE: usize = 10_000;
/// Views kept in one transaction, at most.
const BATCH: usize = 500;
/// How often what has gathered is kept.
const EVERY: Duration = Duration::from_millis(500);

#[derive(Clone)]
pub struct ViewLog {
    queue: mpsc::Sender<View>,
}

impl ViewLog {
    /// The log, with its task keeping views in `store`.
    pub fn start(store: Store) -> ViewLog {
        let (queue, mut received) = mpsc::channel::<View>(QUEUE);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(BATCH);
            let mut tick = tokio::time::interval(EVERY);
            loop {
                let open = tokio::select! {
                    view = received.recv() => match view {
                        Some(view) => {
                            batch.push(view);
                            batch.len() < BATCH
                        }
                        None => false,
                    },
                    _ = tick.tick() => false,
                };
                if open {
                    continue;
                }
                if let Err(e) = store.save_views(&batch).await {
                    tracing::warn!(error = %e, views = batch.len(), "views could not be kept");
                }
                batch.clear();
                if received.is_closed() && received.is_empty() {
                    return;
                }
            }
        });
        ViewLog { queue }
    }

    /// Notes that `agent` read `what` of `customer` now.
    pub fn record(&self, agent: AgentId, customer: CustomerId, what: &'static str) {
        let view = View {
            at_ms: chrono::Utc::now().timestamp_millis(),
            agent,
            customer,
            what,
        };
        if self.queue.try_send(view).is_err() {
            tracing::warn!("the view log is full: a view was not kept");
        }
    }
}
