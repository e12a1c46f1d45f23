//! The database handle: which backend, the connection pool, write transactions
//! (queued behind each other on SQLite), the store's errors, and reading a column.

use crate::domain::authority::CumulativeRules;
use crate::server::clock::Clock;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Holds the URL with any password already hidden.
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://USER@HOST/DB")]
    BadUrl(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("the idempotency key was taken over by a retry while this request ran")]
    ClaimLost,
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The pool's connections at one moment.
#[derive(Debug, Clone, Copy)]
pub struct PoolUse {
    pub idle: u32,
    pub used: u32,
}

/// A handle to the database, cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; writers queue here instead of
    /// failing with SQLITE_BUSY when two transactions upgrade their locks.
    write_lock: Option<Arc<Mutex<()>>>,
    clock: Clock,
    /// How waiver authority accumulates (`serve` sets it).
    waiver_rules: CumulativeRules,
    /// Where the database is, for the connections a replica keeps outside
    /// the pool (it may hold a password: never log it).
    url: Arc<str>,
}

impl Store {
    /// Connects to (creating if needed) the database at `url`, as it is.
    pub(super) async fn connect(url: &str) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalize_url(url)?;
        let mut options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10));
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    // FULL: a write acknowledged to a desk (a waiver, a
                    // wrap-up) survives a power cut, not only a crash.
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    // Reads map the file (shared by every connection through
                    // the OS's page cache) instead of copying each page
                    // through read(2): searches spent a fifth of their time
                    // in those copies and their locks.
                    conn.execute("PRAGMA mmap_size = 1073741824").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(&url).await?;
        Ok(Store {
            pool,
            backend,
            write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            clock: Clock::System,
            waiver_rules: CumulativeRules::default(),
            url: url.into(),
        })
    }

    /// The same store with these cumulative waiver rules.
    pub fn with_waiver_rules(mut self, rules: CumulativeRules) -> Store {
        self.waiver_rules = rules;
        self
    }

    pub fn waiver_rules(&self) -> CumulativeRules {
        self.waiver_rules
    }

    /// The same store on another clock (the population simulator's).
    pub fn on_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// Now, by the store's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool's connections now: idle and in use.
    pub fn pool_use(&self) -> PoolUse {
        let size = self.pool.size();
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(size);
        PoolUse {
            idle,
            used: size.saturating_sub(idle),
        }
    }

    /// The database's URL (it may hold a password: never log it).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a write transaction, queued behind other writers on SQLite.
    pub(super) async fn begin_write(&self) -> StoreResult<WriteTx> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        Ok(WriteTx {
            tx: self.pool.begin().await?,
            _guard: guard,
        })
    }

    /// Checks the database answers.
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A write transaction; dropping it without `commit` rolls back.
pub(super) struct WriteTx {
    pub tx: sqlx::Transaction<'static, sqlx::Any>,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await.map_err(StoreError::from)
    }
}

/// Accepts `sqlite://PATH`, `sqlite:PATH` and `postgres://…`/`postgresql://…`;
/// SQLite files are created when missing.
fn normalize_url(url: &str) -> StoreResult<(Backend, String)> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| StoreError::BadUrl(redact(url)))?;
    if path.is_empty() {
        return Err(StoreError::BadUrl(redact(url)));
    }
    let separator = if path.contains('?') { '&' } else { '?' };
    let mode = if path.contains("mode=") {
        ""
    } else {
        "mode=rwc"
    };
    Ok((Backend::Sqlite, format!("sqlite://{path}{separator}{mode}")))
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Reads a column, turning a type mismatch into `StoreError::Corrupt`.
pub(super) fn col<'r, T>(row: &'r AnyRow, name: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(name).map_err(StoreError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls() {
        assert_eq!(
            normalize_url("sqlite:///tmp/a.db").unwrap(),
            (Backend::Sqlite, "sqlite:///tmp/a.db?mode=rwc".into())
        );
        assert_eq!(
            normalize_url("sqlite:data.db").unwrap(),
            (Backend::Sqlite, "sqlite://data.db?mode=rwc".into())
        );
        assert_eq!(
            normalize_url("postgres://u@h/db").unwrap().0,
            Backend::Postgres
        );
        assert!(normalize_url("mysql://x").is_err());
        let err = normalize_url("postgresql+x://u:secret@h/db")
            .expect_err("bad scheme")
            .to_string();
        assert!(!err.contains("secret") && err.contains("u:***@h"), "{err}");
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert!(normalize_url("sqlite://").is_err());
    }
}
