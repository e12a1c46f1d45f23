//! The desk's side of the local cache: opening it once the agent is known (on a
//! blocking task; a cache another desk holds means running without one), the
//! one writer that keeps cache writes in the order the desk made them, and the
//! outbox sync that sends confirmed writes and watches the link.
//!
//! `writer` orders writes, `sync` drains the outbox and probes the server.

pub mod sync;
pub mod writer;

use super::action::{Action, LocalReady};
use super::forms::draft::Draft;
use super::sanitize::Sanitize;
use crate::api::Client;
use crate::cache::{Cache, CacheError, CacheOptions};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// The open cache and the tasks that use it.
#[derive(Clone)]
pub struct Local {
    pub cache: Arc<Cache>,
    pub writer: writer::Writer,
    pub sync: sync::SyncHandle,
}

/// Where and how big the cache is.
#[derive(Debug, Clone)]
pub struct LocalConfig {
    pub root: PathBuf,
    pub options: CacheOptions,
}

impl Default for LocalConfig {
    fn default() -> Self {
        LocalConfig {
            root: crate::config::cache_root(),
            options: CacheOptions::default(),
        }
    }
}

/// Opens the cache of `agent` on `server`, reads what the last session left
/// (drafts, the outbox, the needs-attention list) and starts the tasks. The
/// error is a sentence for the agent.
pub async fn open(
    config: LocalConfig,
    server: String,
    agent: String,
    client: Client,
    results: UnboundedSender<Action>,
) -> Result<(Local, LocalReady), String> {
    let root = config.root.clone();
    let opened = tokio::task::spawn_blocking(move || {
        let opened = Cache::open(&root, &server, &agent, config.options)?;
        opened.cache.maintain(chrono::Utc::now())?;
        let drafts = opened.cache.drafts()?;
        Ok::<_, CacheError>((opened, drafts))
    })
    .await
    .map_err(|e| format!("the local cache could not be opened: {e}"))?;
    let (opened, drafts) = opened.map_err(|e| without_cache(&e))?;
    let message = opened.outcome.message();
    let cache = Arc::new(opened.cache);
    tracing::info!(dir = %cache.dir().display(), outcome = ?opened.outcome, "local cache open");
    let drafts: Vec<Draft> = drafts
        .into_iter()
        .filter_map(
            |(key, value)| match serde_json::from_value::<Draft>(value) {
                Ok(draft) => Some(draft.sanitize()),
                Err(e) => {
                    tracing::warn!(%key, error = %e, "a saved draft does not decode; kept on disk");
                    None
                }
            },
        )
        .collect();
    let writer = writer::Writer::start(cache.clone());
    let sync = sync::start(cache.clone(), client, results);
    spawn_maintenance(cache.clone());
    Ok((
        Local {
            cache,
            writer,
            sync,
        },
        LocalReady { message, drafts },
    ))
}

/// Why the desk runs without a cache, for the agent.
fn without_cache(e: &CacheError) -> String {
    if e.is_locked() {
        "Another Switchboard desk on this machine is using your local cache, so this one runs \
         without it: data comes only from the server, and a write is sent at once or not at all."
            .to_string()
    } else {
        format!(
            "The local cache could not be opened ({e}); this desk runs without it: data comes \
             only from the server."
        )
    }
}

/// Purges expired customers and applies the size cap every hour (the first
/// pass ran at open).
fn spawn_maintenance(cache: Arc<Cache>) {
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
        hourly.tick().await;
        loop {
            hourly.tick().await;
            let cache = cache.clone();
            let done =
                tokio::task::spawn_blocking(move || cache.maintain(chrono::Utc::now())).await;
            match done {
                Ok(Ok(m)) => tracing::info!(?m, "cache maintenance"),
                Ok(Err(e)) => tracing::warn!(error = %e, "cache maintenance failed"),
                Err(e) => tracing::warn!(error = %e, "cache maintenance task failed"),
            }
        }
    });
}
