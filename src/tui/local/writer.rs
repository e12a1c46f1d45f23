//! The one writer of the desk's cache: drafts and queued writes go through a
//! single task, in the order the desk asked, each on a blocking thread (sled's
//! `flush()` waits for the disk). Order matters: a draft saved just before its
//! form was confirmed must not land after the write that replaced it.

use crate::cache::{Cache, CacheError, OutboxEntry};
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

enum Job {
    Drafts {
        save: Vec<(String, Value)>,
        remove: Vec<String>,
        done: Option<oneshot::Sender<()>>,
    },
    Enqueue {
        entry: OutboxEntry,
        draft_key: Option<String>,
        done: oneshot::Sender<Result<usize, CacheError>>,
    },
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::UnboundedSender<Job>,
}

impl Writer {
    pub fn start(cache: Arc<Cache>) -> Writer {
        let (jobs, mut queue) = mpsc::unbounded_channel::<Job>();
        tokio::spawn(async move {
            while let Some(job) = queue.recv().await {
                let cache = cache.clone();
                if tokio::task::spawn_blocking(move || run(&cache, job))
                    .await
                    .is_err()
                {
                    tracing::error!("a cache write panicked");
                }
            }
        });
        Writer { jobs }
    }

    /// Saves and removes drafts; `done` fires once they are durable.
    pub fn drafts(
        &self,
        save: Vec<(String, Value)>,
        remove: Vec<String>,
        done: Option<oneshot::Sender<()>>,
    ) {
        let _ = self.jobs.send(Job::Drafts { save, remove, done });
    }

    /// Queues a confirmed write (removing its draft in the same step); the
    /// answer, once durable, is how many writes now wait.
    pub async fn enqueue(
        &self,
        entry: OutboxEntry,
        draft_key: Option<String>,
    ) -> Result<usize, String> {
        let (done, answer) = oneshot::channel();
        self.jobs
            .send(Job::Enqueue {
                entry,
                draft_key,
                done,
            })
            .map_err(|_| "the cache writer has stopped".to_string())?;
        match answer.await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err("the cache writer has stopped".to_string()),
        }
    }
}

fn run(cache: &Cache, job: Job) {
    match job {
        Job::Drafts { save, remove, done } => {
            for (key, value) in &save {
                if let Err(e) = cache.save_draft(key, value) {
                    tracing::error!(%key, error = %e, "a draft could not be saved");
                }
            }
            for key in &remove {
                if let Err(e) = cache.remove_draft(key) {
                    tracing::error!(%key, error = %e, "a draft could not be removed");
                }
            }
            if let Some(done) = done {
                let _ = done.send(());
            }
        }
        Job::Enqueue {
            entry,
            draft_key,
            done,
        } => {
            let result = cache
                .enqueue_from_draft(entry, draft_key.as_deref())
                .map(|_| cache.pending_count());
            let _ = done.send(result);
        }
    }
}
