//! The desk's side of the local cache: opening it once the agent is known (on a
//! blocking task; a cache another desk holds means running without one), the
//! one writer that keeps cache writes in the order the desk made them, and the
//! outbox sync that sends confirmed writes and watches the link.
//!
//! `writer` orders writes, `sync` drains the outbox and probes the server,
//! `signins` remembers who signed in so the desk can start offline.

pub mod signins;
pub mod sync;
pub mod writer;

use super::action::{Action, LocalReady};
use super::forms::draft::Draft;
use super::sanitize::Sanitize;
use crate::api::{Client, CustomerSummary, LookupQuery};
use crate::cache::{Cache, CacheError, CacheOptions, OpenOutcome};
use crate::domain::text::{normalize_account, normalize_email};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// How many cached customers prime the local search index at start.
const KNOWN_LIMIT: usize = 10_000;
/// How many saved customers an offline pop offers at most.
const POP_LIMIT: usize = 20;

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
        let maintenance = opened.cache.maintain(chrono::Utc::now())?;
        let drafts = opened.cache.drafts()?;
        let known = opened
            .cache
            .scan_customers(|_| true, KNOWN_LIMIT)?
            .iter()
            .map(|c| CustomerSummary::from(&c.value).sanitize())
            .collect::<Vec<_>>();
        Ok::<_, CacheError>((opened, maintenance, drafts, known))
    })
    .await
    .map_err(|e| format!("the local cache could not be opened: {e}"))?;
    let (opened, maintenance, drafts, known) = opened.map_err(|e| without_cache(&e))?;
    let ttl = opened.cache.options().customer_ttl;
    // The whole story goes to the log; the status line gets what fits in 80
    // columns, with the command that tells more.
    if let Some(full) = opened.outcome.message() {
        tracing::warn!(message = %full, "local cache");
    }
    let message = match &opened.outcome {
        OpenOutcome::Fresh | OpenOutcome::Reused => (maintenance.expired > 0).then(|| {
            format!(
                "{} saved record(s) older than {} removed",
                maintenance.expired,
                ttl_words(ttl)
            )
        }),
        OpenOutcome::Rebuilt { .. } => {
            Some("Local cache rebuilt for this version (see: switchboard cache stats)".into())
        }
        OpenOutcome::MovedAside { .. } => {
            Some("Local cache unreadable: moved aside, new one started (cache stats)".into())
        }
    };
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
        LocalReady {
            message,
            drafts,
            known,
        },
    ))
}

/// The saved customers a pop matches, for when the server cannot answer: the
/// same number, e-mail or account, compared loosely (phone numbers by their
/// last ten digits, as the desk does not know the server's country code).
pub fn find_saved(cache: &Cache, query: &LookupQuery) -> Vec<CustomerSummary> {
    let digits = |s: &str| -> String {
        let d: String = s.chars().filter(char::is_ascii_digit).collect();
        d[d.len().saturating_sub(10)..].to_string()
    };
    let phone = query.phone.as_deref().map(digits).filter(|d| d.len() >= 7);
    let email = query.email.as_deref().map(normalize_email);
    let account = query.account.as_deref().map(normalize_account);
    let found = cache.scan_customers(
        |c| {
            phone
                .as_ref()
                .is_some_and(|p| c.phones.iter().any(|x| digits(x) == *p))
                || email
                    .as_ref()
                    .is_some_and(|e| c.emails.iter().any(|x| normalize_email(x) == *e))
                || account
                    .as_ref()
                    .is_some_and(|a| normalize_account(&c.account_number) == *a)
        },
        POP_LIMIT,
    );
    match found {
        Ok(found) => found
            .iter()
            .map(|c| CustomerSummary::from(&c.value).sanitize())
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "the cache could not be searched");
            Vec::new()
        }
    }
}

/// A time to live in words: "24 h", "90 min", "30 s".
fn ttl_words(ttl: std::time::Duration) -> String {
    match ttl.as_secs() {
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// Why the desk runs without a cache, for the agent.
fn without_cache(e: &CacheError) -> String {
    tracing::warn!(error = %e, "running without the local cache");
    if e.is_locked() {
        "Another desk uses this cache; this one runs without it (server only)".to_string()
    } else {
        "The local cache cannot be opened (see the log); running without it".to_string()
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
