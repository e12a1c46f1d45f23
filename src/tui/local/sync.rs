//! The outbox sync: one task that sends the confirmed writes waiting in the
//! cache, oldest first, each under the idempotency key it was queued with, so a
//! write the server already has (the desk died before it could mark it sent) is
//! answered from the server's record instead of applied twice. It also owns the
//! link state: after a failure it retries with exponential backoff (and probes
//! the server when nothing waits), reporting online, degraded or offline.
//!
//! A write the server refuses is moved to the needs-attention list and reported;
//! a write that cannot be sent now stays first in line. Nothing is dropped.

use super::super::action::{Action, Failure};
use super::super::offline::model::OutboxView;
use super::super::remote::{failure, submit};
use super::super::session::model::Connection;
use crate::api::Client;
use crate::cache::{Cache, CacheError, OutboxEntry};
use chrono::Utc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::Notify;

/// A send slower than this marks the link degraded.
const SLOW: Duration = Duration::from_secs(2);
/// The first retry delay; it doubles up to `MAX_BACKOFF`.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// While draining, the count on screen is brought up to date this often.
const REPORT_EVERY: Duration = Duration::from_millis(200);

/// Wakes the sync task: new writes are queued, or something saw the link fail.
#[derive(Clone)]
pub struct SyncHandle {
    wake: Arc<Notify>,
    trouble: Arc<AtomicBool>,
}

impl SyncHandle {
    /// New writes are waiting, or the agent asked to retry now.
    pub fn kick(&self) {
        self.wake.notify_one();
    }

    /// A read failed to reach the server: probe until it answers again.
    pub fn link_trouble(&self) {
        self.trouble.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }
}

pub fn start(cache: Arc<Cache>, client: Client, results: UnboundedSender<Action>) -> SyncHandle {
    let handle = SyncHandle {
        wake: Arc::new(Notify::new()),
        trouble: Arc::new(AtomicBool::new(false)),
    };
    let task = Sync {
        cache,
        client,
        results,
        handle: handle.clone(),
        backoff: FIRST_BACKOFF,
    };
    tokio::spawn(task.run());
    handle
}

struct Sync {
    cache: Arc<Cache>,
    client: Client,
    results: UnboundedSender<Action>,
    handle: SyncHandle,
    backoff: Duration,
}

/// How a pass over the outbox ended.
enum Pass {
    /// Everything was sent (or there was nothing to send and the link is fine).
    Clear,
    /// The server could not take writes now.
    Blocked(Connection),
}

impl Sync {
    async fn run(mut self) {
        loop {
            let pass = self.pass().await;
            self.report_outbox().await;
            match pass {
                Pass::Clear => {
                    self.backoff = FIRST_BACKOFF;
                    self.handle.wake.notified().await;
                }
                Pass::Blocked(connection) => {
                    let delay = self.backoff;
                    self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
                    let retry_at = Utc::now() + delay;
                    let _ = self.results.send(Action::Link {
                        connection,
                        retry_at: Some(retry_at),
                    });
                    tokio::select! {
                        _ = tokio::time::sleep(delay) => {}
                        _ = self.handle.wake.notified() => {}
                    }
                }
            }
        }
    }

    /// Sends what waits, oldest first, until the queue is empty or the server
    /// cannot take more; probes the server when a read saw it fail.
    async fn pass(&mut self) -> Pass {
        let mut sent_any = false;
        let mut reported = Instant::now();
        loop {
            // A batch at a time: what is queued meanwhile comes with the next.
            let pending = match self.blocking(|c| c.pending()).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!(error = %e, "the outbox cannot be read");
                    return Pass::Clear;
                }
            };
            if pending.is_empty() {
                break;
            }
            for (seq, entry) in pending {
                if let Err(connection) = self.send(seq, entry).await {
                    return Pass::Blocked(connection);
                }
                sent_any = true;
                if reported.elapsed() > REPORT_EVERY {
                    self.report_outbox().await;
                    reported = Instant::now();
                }
            }
        }
        if !sent_any && self.handle.trouble.load(Ordering::SeqCst) {
            let started = Instant::now();
            if let Err(e) = self.client.me().await {
                if let Some(connection) = link_failure(&failure(e)) {
                    return Pass::Blocked(connection);
                }
            }
            self.online(started.elapsed());
        }
        Pass::Clear
    }

    /// Sends one entry. `Err` when the link failed and the entry stays first.
    async fn send(&mut self, seq: u64, entry: OutboxEntry) -> Result<(), Connection> {
        let key = entry.idempotency_key.clone();
        let started = Instant::now();
        match submit(&self.client, &key, &entry.write)
            .await
            .map_err(failure)
        {
            Ok(outcome) => {
                if let Err(e) = self.blocking(move |c| c.mark_sent(seq)).await {
                    tracing::error!(%key, error = %e, "a sent write could not be marked sent");
                }
                tracing::info!(%key, pending = outcome.pending, "queued write answered");
                self.online(started.elapsed());
                let _ = self.results.send(Action::Submitted {
                    key,
                    reply: Ok(outcome),
                });
                Ok(())
            }
            Err(f) => match link_failure(&f) {
                Some(connection) => {
                    tracing::info!(%key, failure = f.kind(), "queued write waits");
                    Err(connection)
                }
                None => {
                    tracing::warn!(%key, failure = f.kind(), "queued write refused");
                    let reason = match &f {
                        Failure::Refused(m) => m.clone(),
                        other => other.kind().to_string(),
                    };
                    self.online(started.elapsed());
                    self.attention(seq, &key, reason.clone()).await;
                    let _ = self.results.send(Action::Submitted {
                        key,
                        reply: Err(Failure::Refused(reason)),
                    });
                    Ok(())
                }
            },
        }
    }

    async fn attention(&self, seq: u64, key: &str, reason: String) {
        if let Err(e) = self
            .blocking(move |c| c.needs_attention(seq, &reason))
            .await
        {
            tracing::error!(%key, error = %e, "a refused write could not be set aside");
        }
    }

    /// The server answered: online, or degraded when it was slow.
    fn online(&mut self, took: Duration) {
        self.handle.trouble.store(false, Ordering::SeqCst);
        self.backoff = FIRST_BACKOFF;
        let connection = if took > SLOW {
            Connection::Degraded(format!("the server took {:.1} s", took.as_secs_f64()))
        } else {
            Connection::Online
        };
        let _ = self.results.send(Action::Link {
            connection,
            retry_at: None,
        });
    }

    async fn report_outbox(&self) {
        let view = self
            .blocking(|c| {
                Ok(OutboxView {
                    waiting: c.pending_count(),
                    attention: c.attention()?,
                })
            })
            .await;
        match view {
            Ok(view) => {
                let _ = self.results.send(Action::Outbox(view));
            }
            Err(e) => tracing::error!(error = %e, "the outbox cannot be read"),
        }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Cache) -> Result<T, CacheError> + Send + 'static,
    ) -> Result<T, CacheError> {
        let cache = self.cache.clone();
        match tokio::task::spawn_blocking(move || f(&cache)).await {
            Ok(result) => result,
            Err(e) => Err(CacheError::Invalid {
                path: self.cache.dir().to_path_buf(),
                what: "a cache task",
                reason: e.to_string(),
            }),
        }
    }
}

/// The link state a failure means, or `None` when the server answered and
/// refused (the write itself is at fault). A refused token also blocks: the
/// writes are fine, the sign-in is not.
fn link_failure(f: &Failure) -> Option<Connection> {
    match f {
        Failure::Unreachable(m) => Some(Connection::Offline(m.clone())),
        Failure::Retry(m) => Some(Connection::Degraded(m.clone())),
        Failure::Unauthenticated(m) => Some(Connection::Degraded(format!(
            "the server refused the token: {m}"
        ))),
        Failure::Refused(_) => None,
    }
}
