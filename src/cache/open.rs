//! Opening a cache and saying what happened: a fresh one, the one from last time,
//! one rebuilt because its schema version is not ours, or a new one because the
//! old one was corrupt and has been moved aside (never deleted). A cache another
//! process holds is an error of its own ([`CacheError::Locked`]), so the desk can
//! run without a cache and say so.

use super::layout;
use super::trees::{self, Trees};
use super::{Cache, CacheError};
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// The layout of the trees this build writes. A cache with any other version
/// (older or newer) is rebuilt, never read.
pub const SCHEMA_VERSION: u32 = 1;

/// How big and how long-lived the cache is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheOptions {
    /// sled's in-memory page cache (`cache_capacity`); memory stays bounded by
    /// this whatever the size on disk.
    pub capacity_bytes: u64,
    /// Customer data (profile, timeline, suggestions) older than this is not
    /// served and is purged.
    pub customer_ttl: Duration,
    /// The LRU size cap applied by [`Cache::maintain`].
    pub max_customers: usize,
}

impl Default for CacheOptions {
    fn default() -> Self {
        CacheOptions {
            capacity_bytes: 32 * 1024 * 1024,
            customer_ttl: Duration::from_secs(24 * 60 * 60),
            max_customers: 10_000,
        }
    }
}

/// What opening the cache found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// A new, empty cache.
    Fresh,
    /// The cache from last time, with its data.
    Reused,
    /// The cache had an old, unknown or missing schema version. Its data was not
    /// read. Copies of server data were cleared in place; if it also held trees
    /// that may contain what the agent typed or confirmed (drafts, the outbox),
    /// the whole directory was moved to `kept_aside` instead, so nothing typed is
    /// lost, and a fresh cache started.
    Rebuilt {
        reason: String,
        kept_aside: Option<PathBuf>,
    },
    /// sled could not open the cache as a database. The directory was moved to
    /// `path` (not deleted) and a fresh cache started; `recover_from(path)` brings
    /// back its outbox and drafts.
    MovedAside { path: PathBuf, reason: String },
}

impl OpenOutcome {
    /// A sentence for the desk's status line, or `None` when there is nothing to
    /// say.
    pub fn message(&self) -> Option<String> {
        match self {
            OpenOutcome::Fresh | OpenOutcome::Reused => None,
            OpenOutcome::Rebuilt {
                reason,
                kept_aside: None,
            } => Some(format!("The local cache was rebuilt: {reason}.")),
            OpenOutcome::Rebuilt {
                reason,
                kept_aside: Some(path),
            } => Some(format!(
                "The local cache was rebuilt: {reason}. The old one is kept at {}.",
                path.display()
            )),
            OpenOutcome::MovedAside { path, reason } => Some(format!(
                "The local cache could not be read ({reason}); it was moved to {} and a new one \
                 started. `switchboard cache recover` brings back its queued writes and drafts.",
                path.display()
            )),
        }
    }
}

/// An open cache and what opening it found.
#[derive(Debug)]
pub struct Opened {
    pub cache: Cache,
    pub outcome: OpenOutcome,
}

impl Cache {
    /// Opens (creating if needed) the cache of `agent` against `server` in
    /// `root/<server-slug>/<agent-slug>`, directory mode 0700.
    ///
    /// Returns [`CacheError::Locked`] when another process holds it; a corrupt
    /// cache is moved aside and a fresh one opened ([`OpenOutcome::MovedAside`]).
    pub fn open(
        root: &Path,
        server: &str,
        agent: &str,
        options: CacheOptions,
    ) -> Result<Opened, CacheError> {
        let dir = layout::cache_dir(root, server, agent);
        open_in(root, &dir, options)
    }
}

/// Opens the cache in `dir`, a directory below `root`.
pub(crate) fn open_in(
    root: &Path,
    dir: &Path,
    options: CacheOptions,
) -> Result<Opened, CacheError> {
    layout::ensure_private_dirs(root, dir)?;
    let (db, outcome) = match attempt(dir, &options) {
        Attempt::Ready(db, Schema::Current) => (db, OpenOutcome::Reused),
        Attempt::Ready(db, Schema::Empty) => (db, OpenOutcome::Fresh),
        Attempt::Ready(
            db,
            Schema::Mismatch {
                reason,
                durable: false,
            },
        ) => {
            clear_all(&db).map_err(|source| CacheError::Db {
                path: dir.to_path_buf(),
                source,
            })?;
            tracing::warn!(path = %dir.display(), %reason, "cache rebuilt in place");
            let outcome = OpenOutcome::Rebuilt {
                reason,
                kept_aside: None,
            };
            (db, outcome)
        }
        Attempt::Ready(
            db,
            Schema::Mismatch {
                reason,
                durable: true,
            },
        ) => {
            drop(db);
            let aside = layout::move_aside(dir, "old-schema")?;
            tracing::warn!(path = %dir.display(), aside = %aside.display(), %reason, "cache of another schema kept aside");
            let db = open_fresh(root, dir, &options)?;
            let outcome = OpenOutcome::Rebuilt {
                reason,
                kept_aside: Some(aside),
            };
            (db, outcome)
        }
        Attempt::Corrupt(reason) => {
            let aside = layout::move_aside(dir, "corrupt")?;
            tracing::warn!(path = %dir.display(), aside = %aside.display(), %reason, "corrupt cache moved aside");
            let db = open_fresh(root, dir, &options)?;
            (db, OpenOutcome::MovedAside { path: aside, reason })
        }
        Attempt::Locked => {
            return Err(CacheError::Locked {
                path: dir.to_path_buf(),
            })
        }
        Attempt::Failed(source) => {
            return Err(CacheError::Db {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let cache = start(dir, db, options)?;
    Ok(Opened { cache, outcome })
}

/// Opens a new database where the old one was moved away.
fn open_fresh(root: &Path, dir: &Path, options: &CacheOptions) -> Result<sled::Db, CacheError> {
    layout::ensure_private_dirs(root, dir)?;
    let path = dir.to_path_buf();
    match attempt(dir, options) {
        Attempt::Ready(db, Schema::Empty) => Ok(db),
        Attempt::Ready(..) => Err(CacheError::Open {
            path,
            reason: "the new cache directory already held data; is another process using it?"
                .into(),
        }),
        Attempt::Locked => Err(CacheError::Locked { path }),
        Attempt::Corrupt(reason) => Err(CacheError::Open { path, reason }),
        Attempt::Failed(source) => Err(CacheError::Db { path, source }),
    }
}

/// Makes the trees, records the schema version (durably) and tightens the file
/// permissions.
fn start(dir: &Path, db: sled::Db, options: CacheOptions) -> Result<Cache, CacheError> {
    let db_err = |source| CacheError::Db {
        path: dir.to_path_buf(),
        source,
    };
    let trees = Trees::open(&db).map_err(db_err)?;
    let version = SCHEMA_VERSION.to_string();
    if trees.meta.get(trees::SCHEMA_KEY).map_err(db_err)?.as_deref() != Some(version.as_bytes()) {
        trees
            .meta
            .insert(trees::SCHEMA_KEY, version.as_bytes())
            .map_err(db_err)?;
        db.flush().map_err(db_err)?;
    }
    let next_tick = match trees.access.get_lt(b"u").map_err(db_err)? {
        Some((key, _)) if key.first() == Some(&b't') => key
            .get(1..9)
            .and_then(super::codec::u64_from_bytes)
            .map_or(0, |t| t.saturating_add(1)),
        _ => 0,
    };
    let cache = Cache {
        dir: dir.to_path_buf(),
        db,
        trees,
        options,
        tick: AtomicU64::new(next_tick),
    };
    if let Err(e) = cache.tighten_permissions() {
        tracing::warn!(error = %e, "could not tighten cache file permissions");
    }
    Ok(cache)
}

pub(crate) enum Attempt {
    Ready(sled::Db, Schema),
    Locked,
    Corrupt(String),
    Failed(sled::Error),
}

pub(crate) enum Schema {
    Current,
    Empty,
    Mismatch { reason: String, durable: bool },
}

/// One try at opening `dir` with sled, classifying what went wrong.
fn attempt(dir: &Path, options: &CacheOptions) -> Attempt {
    let had_log = fs::metadata(dir.join("db")).is_ok_and(|m| m.len() > 0);
    let db = match open_sled(dir, options.capacity_bytes) {
        Ok(db) => db,
        Err(attempt) => return attempt,
    };
    if had_log && !db.was_recovered() {
        // sled 0.34 silently starts a new database when nothing in an existing
        // log is readable, writing over the head of that file. We cannot stop the
        // overwrite (it happens inside `open`), but we do not pretend the data was
        // never there: the directory is moved aside with what is left of it.
        return Attempt::Corrupt(
            "sled found nothing readable in its existing log and began a new one over it".into(),
        );
    }
    match panic::catch_unwind(AssertUnwindSafe(|| inspect(&db))) {
        Ok(Ok(schema)) => Attempt::Ready(db, schema),
        Ok(Err(e)) => classify(e),
        Err(payload) => Attempt::Corrupt(format!(
            "sled panicked while reading it: {}",
            panic_text(payload.as_ref())
        )),
    }
}

/// `sled::Config::open`, with a panic inside sled (possible on garbage input)
/// caught and reported as corruption. Note that the process panic hook still
/// runs for such a panic.
pub(crate) fn open_sled(dir: &Path, capacity_bytes: u64) -> Result<sled::Db, Attempt> {
    let config = sled::Config::new().path(dir).cache_capacity(capacity_bytes);
    match panic::catch_unwind(AssertUnwindSafe(|| config.open())) {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(e)) => Err(classify(e)),
        Err(payload) => Err(Attempt::Corrupt(format!(
            "sled panicked while opening it: {}",
            panic_text(payload.as_ref())
        ))),
    }
}

impl Attempt {
    /// A one-line description for reports.
    pub(crate) fn describe(&self) -> String {
        match self {
            Attempt::Ready(..) => "opened".into(),
            Attempt::Locked => "it is locked by another process".into(),
            Attempt::Corrupt(reason) => reason.clone(),
            Attempt::Failed(e) => e.to_string(),
        }
    }
}

/// Sorts a sled error into locked, corrupt (move aside) or other (report, do not
/// touch the directory).
fn classify(e: sled::Error) -> Attempt {
    match e {
        sled::Error::Io(ref io) if is_lock_error(io) => Attempt::Locked,
        sled::Error::Io(ref io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData
            ) =>
        {
            Attempt::Corrupt(e.to_string())
        }
        sled::Error::Io(_) | sled::Error::CollectionNotFound(_) => Attempt::Failed(e),
        sled::Error::Corruption { .. } | sled::Error::Unsupported(_) | sled::Error::ReportableBug(_) => {
            Attempt::Corrupt(e.to_string())
        }
    }
}

/// sled 0.34 reports a held lock as `io::ErrorKind::Other` with the message
/// "could not acquire lock on …" (wrapping the `WouldBlock` from `flock`). The
/// test `a_second_open_is_locked` pins this down.
fn is_lock_error(io: &std::io::Error) -> bool {
    io.kind() == std::io::ErrorKind::WouldBlock
        || (io.kind() == std::io::ErrorKind::Other
            && io.to_string().contains("could not acquire lock"))
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "no message".into()
    }
}

/// Reads only the schema version and whether trees are empty; never a value.
fn inspect(db: &sled::Db) -> sled::Result<Schema> {
    let names = db.tree_names();
    let has_meta = names.iter().any(|n| n.as_ref() == trees::META.as_bytes());
    let version = if has_meta {
        db.open_tree(trees::META)?.get(trees::SCHEMA_KEY)?
    } else {
        None
    };
    let reason = match version {
        None if !holds_data(db, &names, false)? => return Ok(Schema::Empty),
        None => "it has no schema version".to_string(),
        Some(v) => match std::str::from_utf8(&v).ok().and_then(|s| s.parse::<u32>().ok()) {
            Some(SCHEMA_VERSION) => return Ok(Schema::Current),
            Some(other) => format!(
                "it was written with cache schema version {other}, this Switchboard uses version {SCHEMA_VERSION}"
            ),
            None => "its schema version is unreadable".to_string(),
        },
    };
    let durable = holds_data(db, &names, true)?;
    Ok(Schema::Mismatch { reason, durable })
}

/// Whether any tree holds an entry. With `durable_only`, trees known to hold only
/// copies of server data (and `meta`) are skipped: anything else, including
/// trees of a schema we do not know, may hold what the agent typed.
fn holds_data(db: &sled::Db, names: &[sled::IVec], durable_only: bool) -> sled::Result<bool> {
    for name in names {
        let name = name.as_ref();
        if name == trees::SLED_DEFAULT {
            if db.first()?.is_some() {
                return Ok(true);
            }
            continue;
        }
        let known_copy = trees::SERVER_COPIES.iter().any(|t| t.as_bytes() == name)
            || name == trees::META.as_bytes();
        if durable_only && known_copy {
            continue;
        }
        if db.open_tree(name)?.first()?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Drops every tree and clears the default one.
fn clear_all(db: &sled::Db) -> sled::Result<()> {
    for name in db.tree_names() {
        if name.as_ref() != trees::SLED_DEFAULT {
            db.drop_tree(&name)?;
        }
    }
    db.clear()?;
    db.flush()?;
    Ok(())
}
