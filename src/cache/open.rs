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
use std::time::{Duration, Instant};

/// The layout of the trees this build writes. A cache with any other version
/// (older or newer) is rebuilt, never read.
pub const SCHEMA_VERSION: u32 = 1;

/// How big and how long-lived the cache is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheOptions {
    /// sled's in-memory page cache (`cache_capacity`). It bounds that cache, not
    /// the process: reading every customer of a 1.2 GB cache with 8 MiB here
    /// peaked at about 130 MB resident (`cargo bench --bench cache`).
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
    /// `root/<server-slug>/<agent-slug>`, directory mode 0700. `root` is
    /// Switchboard's own cache root (`$XDG_CACHE_HOME/switchboard`): it and the
    /// server directory are made 0700 as well.
    ///
    /// Returns [`CacheError::Locked`] when another process holds it (after
    /// retrying for about a second); a corrupt cache is moved aside and a fresh
    /// one opened ([`OpenOutcome::MovedAside`]). This blocks on file I/O: call it
    /// from a blocking task, not on the async runtime's threads.
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

impl Cache {
    /// Opens the existing cache in `dir` for the `cache` verbs, changing nothing
    /// it holds. Unlike [`Cache::open`] it creates no directory, and a cache of
    /// another schema or one sled cannot read is reported
    /// ([`CacheError::Open`]) and left where and as it is, not rebuilt or moved
    /// aside: the desk does that when it next opens it. (One thing is beyond
    /// our control: sled 0.34 starts a new log over one in which it finds
    /// nothing readable at all, see [`attempt`].) Blocks like [`Cache::open`].
    pub fn open_existing(dir: &Path, options: CacheOptions) -> Result<Cache, CacheError> {
        let meta = fs::symlink_metadata(dir).map_err(|source| CacheError::Io {
            action: "open the cache",
            path: dir.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(CacheError::Unsafe {
                path: dir.to_path_buf(),
                reason: "it is not a directory".into(),
            });
        }
        let left = |reason: String, desk_does: &str| CacheError::Open {
            path: dir.to_path_buf(),
            reason: format!(
                "{reason}; it is left as it is (the desk {desk_does} when it opens it)"
            ),
        };
        match attempt(dir, &options) {
            Attempt::Ready(db, Schema::Current | Schema::Empty) => start(dir, db, options),
            Attempt::Ready(_, Schema::Mismatch { reason, durable }) => Err(left(
                reason,
                if durable {
                    "moves it aside, keeping its drafts and queued writes, and starts a new one"
                } else {
                    "clears its copies of server data"
                },
            )),
            Attempt::Corrupt(reason) => Err(left(reason, "moves it aside and starts a new one")),
            Attempt::Locked => Err(CacheError::Locked {
                path: dir.to_path_buf(),
            }),
            Attempt::Failed(source) => Err(CacheError::Db {
                path: dir.to_path_buf(),
                source,
            }),
        }
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
            let aside = layout::move_aside(dir, layout::OLD_SCHEMA)?;
            tracing::warn!(path = %dir.display(), aside = %aside.display(), %reason, "cache of another schema kept aside");
            let db = open_fresh(root, dir, &options)?;
            let outcome = OpenOutcome::Rebuilt {
                reason,
                kept_aside: Some(aside),
            };
            (db, outcome)
        }
        Attempt::Corrupt(reason) => {
            let aside = layout::move_aside(dir, layout::CORRUPT)?;
            tracing::warn!(path = %dir.display(), aside = %aside.display(), %reason, "corrupt cache moved aside");
            let db = open_fresh(root, dir, &options)?;
            (
                db,
                OpenOutcome::MovedAside {
                    path: aside,
                    reason,
                },
            )
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
    if trees
        .meta
        .get(trees::SCHEMA_KEY)
        .map_err(db_err)?
        .as_deref()
        != Some(version.as_bytes())
    {
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

/// How long a held lock is retried before the cache counts as locked. sled
/// releases its file lock when the last handle *and* its I/O threads let go of
/// the file; after a `Cache` is dropped, a write job on sled's thread pool can
/// still hold it for a moment, so a reopen in the same process could otherwise
/// see its own previous handle as "another process". A real second desk is told
/// after this long.
const LOCK_GRACE: Duration = Duration::from_secs(1);

/// One try at opening `dir` with sled (retrying a held lock for [`LOCK_GRACE`]),
/// classifying what went wrong.
fn attempt(dir: &Path, options: &CacheOptions) -> Attempt {
    let had_log = fs::metadata(dir.join("db")).is_ok_and(|m| m.len() > 0);
    let deadline = Instant::now() + LOCK_GRACE;
    let db = loop {
        match open_sled(dir, options.capacity_bytes) {
            Ok(db) => break db,
            Err(Attempt::Locked) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(attempt) => return attempt,
        }
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
    // Writes that must last flush explicitly; the background flush only
    // carries cached copies, so it runs every 5 s instead of sled's 0.5 s and
    // an idle desk wakes less.
    let config = sled::Config::new()
        .path(dir)
        .cache_capacity(capacity_bytes)
        .flush_every_ms(Some(5_000));
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
        sled::Error::Corruption { .. }
        | sled::Error::Unsupported(_)
        | sled::Error::ReportableBug(_) => Attempt::Corrupt(e.to_string()),
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

#[cfg(test)]
mod tests {
    use super::super::testutil::{self, dir, entry, open_tmp, reopen, with_raw_db, AGENT, SERVER};
    use super::*;
    use serde_json::json;
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).expect("metadata").permissions().mode() & 0o777
    }

    fn siblings(path: &Path) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = fs::read_dir(path.parent().expect("parent"))
            .expect("list")
            .map(|e| e.expect("entry").path())
            .collect();
        out.sort();
        out
    }

    #[test]
    fn open_fresh_then_reuse() {
        let (tmp, opened) = open_tmp();
        assert_eq!(opened.outcome, OpenOutcome::Fresh);
        assert_eq!(opened.outcome.message(), None);
        assert_eq!(opened.cache.dir(), dir(tmp.path()));
        opened.cache.put_customer(&testutil::customer(1)).unwrap();
        opened.cache.flush().unwrap();
        drop(opened);

        let opened = reopen(tmp.path());
        assert_eq!(opened.outcome, OpenOutcome::Reused);
        assert!(opened
            .cache
            .customer(crate::domain::CustomerId(1))
            .unwrap()
            .is_some());
    }

    #[cfg(unix)]
    #[test]
    fn the_cache_is_readable_only_by_its_user() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("switchboard");
        let cache_dir = dir(&root);
        // A directory someone left world-readable is made private.
        fs::create_dir_all(&cache_dir).unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&cache_dir, fs::Permissions::from_mode(0o755)).unwrap();

        let opened = reopen(&root);
        opened.cache.save_draft("d", &json!(1)).unwrap();
        assert_eq!(mode(&root), 0o700);
        assert_eq!(mode(cache_dir.parent().unwrap()), 0o700);
        assert_eq!(mode(&cache_dir), 0o700);
        let mut files = 0;
        for entry in fs::read_dir(&cache_dir).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                assert_eq!(mode(&entry.path()), 0o700, "{:?}", entry.path());
            } else if kind.is_file() {
                files += 1;
                assert_eq!(mode(&entry.path()), 0o600, "{:?}", entry.path());
            }
        }
        assert!(files >= 2, "sled's conf and db files");
    }

    #[test]
    fn a_symlinked_cache_directory_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        let cache_dir = dir(tmp.path());
        fs::create_dir_all(cache_dir.parent().unwrap()).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&elsewhere, &cache_dir).unwrap();
        #[cfg(unix)]
        {
            let err = Cache::open(tmp.path(), SERVER, AGENT, CacheOptions::default()).unwrap_err();
            assert!(matches!(err, CacheError::Unsafe { .. }), "{err}");
        }
    }

    #[test]
    fn an_old_schema_is_rebuilt_and_its_data_not_read() {
        let (tmp, opened) = open_tmp();
        opened.cache.put_customer(&testutil::customer(1)).unwrap();
        drop(opened);
        with_raw_db(tmp.path(), |db| {
            db.open_tree(trees::META)
                .unwrap()
                .insert(trees::SCHEMA_KEY, "0")
                .unwrap();
        });

        let opened = reopen(tmp.path());
        match &opened.outcome {
            OpenOutcome::Rebuilt {
                reason,
                kept_aside: None,
            } => assert!(reason.contains("version 0"), "{reason}"),
            other => panic!("expected Rebuilt, got {other:?}"),
        }
        assert!(opened.outcome.message().is_some());
        assert!(opened
            .cache
            .customer(crate::domain::CustomerId(1))
            .unwrap()
            .is_none());
        assert_eq!(opened.cache.stats().unwrap().customers, 0);
        assert!(opened.cache.verify().is_empty());
        drop(opened);
        assert_eq!(reopen(tmp.path()).outcome, OpenOutcome::Reused);
    }

    #[test]
    fn an_unknown_schema_with_queued_writes_is_kept_aside_not_cleared() {
        let (tmp, opened) = open_tmp();
        opened.cache.enqueue(entry("interaction", 1)).unwrap();
        drop(opened);
        with_raw_db(tmp.path(), |db| {
            db.open_tree(trees::META)
                .unwrap()
                .insert(trees::SCHEMA_KEY, "banana")
                .unwrap();
        });

        let opened = reopen(tmp.path());
        let OpenOutcome::Rebuilt {
            kept_aside: Some(aside),
            ..
        } = &opened.outcome
        else {
            panic!(
                "expected Rebuilt with the old cache kept, got {:?}",
                opened.outcome
            );
        };
        assert!(aside.join("db").exists(), "kept at {aside:?}");
        assert!(opened.cache.pending().unwrap().is_empty());
        // It is not read, not even by recovery.
        let err = opened.cache.recover_from(aside).unwrap_err();
        assert!(err.to_string().contains("banana"), "{err}");
    }

    #[test]
    fn a_corrupt_cache_is_moved_aside_and_a_fresh_one_opened() {
        let (tmp, opened) = open_tmp();
        opened.cache.save_draft("d", &json!({"note": "x"})).unwrap();
        testutil::close(opened, tmp.path());
        let cache_dir = dir(tmp.path());
        let garbage: Vec<u8> = (0..20_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        fs::write(cache_dir.join("conf"), &garbage).unwrap();
        fs::write(cache_dir.join("db"), &garbage).unwrap();

        let opened = reopen(tmp.path());
        let OpenOutcome::MovedAside { path, reason } = &opened.outcome else {
            panic!("expected MovedAside, got {:?}", opened.outcome);
        };
        assert!(!reason.is_empty());
        assert!(path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .contains(".corrupt-"));
        assert_eq!(
            fs::read(path.join("db")).unwrap(),
            garbage,
            "moved copy intact"
        );
        assert_eq!(fs::read(path.join("conf")).unwrap(), garbage);
        assert!(opened.outcome.message().unwrap().contains("cache recover"));
        // The fresh cache works.
        assert!(opened.cache.drafts().unwrap().is_empty());
        opened.cache.enqueue(entry("interaction", 1)).unwrap();
        drop(opened);
        assert_eq!(reopen(tmp.path()).outcome, OpenOutcome::Reused);
        assert_eq!(
            siblings(&cache_dir).len(),
            2,
            "the cache and one moved-aside copy"
        );
    }

    #[test]
    fn a_log_sled_cannot_read_at_all_is_moved_aside_too() {
        // sled 0.34 opens such a log "successfully" as a new, empty database.
        let (tmp, opened) = open_tmp();
        opened.cache.save_draft("d", &json!({"note": "x"})).unwrap();
        testutil::close(opened, tmp.path());
        let cache_dir = dir(tmp.path());
        let garbage: Vec<u8> = (0..600_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        fs::write(cache_dir.join("db"), &garbage).unwrap();
        for snapshot in testutil::snapshots(&cache_dir) {
            fs::remove_file(snapshot).unwrap();
        }

        let opened = reopen(tmp.path());
        let OpenOutcome::MovedAside { path, .. } = &opened.outcome else {
            panic!("expected MovedAside, got {:?}", opened.outcome);
        };
        assert!(path.join("db").exists());
        assert!(opened.cache.drafts().unwrap().is_empty());
    }

    #[test]
    fn a_second_open_is_locked_and_touches_nothing() {
        let (tmp, first) = open_tmp();
        first.cache.save_draft("d", &json!(1)).unwrap();
        let err = Cache::open(tmp.path(), SERVER, AGENT, CacheOptions::default()).unwrap_err();
        assert!(err.is_locked(), "{err}");
        assert!(err
            .to_string()
            .contains(&dir(tmp.path()).display().to_string()));
        // Nothing was moved aside and the first handle still works.
        assert_eq!(siblings(&dir(tmp.path())), vec![dir(tmp.path())]);
        first.cache.save_draft("e", &json!(2)).unwrap();
        drop(first);
        let again = reopen(tmp.path());
        assert_eq!(again.outcome, OpenOutcome::Reused);
        assert_eq!(again.cache.drafts().unwrap().len(), 2);
    }

    const HOLD_ENV: &str = "SWITCHBOARD_CACHE_TEST_HOLD_ROOT";
    const HELD_MARKER: &str = "switchboard-cache-held";

    #[test]
    fn a_cache_held_by_another_process_is_locked() {
        let (tmp, opened) = open_tmp();
        drop(opened);
        let exe = std::env::current_exe().expect("test binary");
        let mut child = Command::new(exe)
            .args([
                "--exact",
                "cache::open::tests::hold_cache_for_parent",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(HOLD_ENV, tmp.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the holder");
        // Read the child's output on a thread, so a child that never says it
        // holds the cache fails the test instead of hanging it.
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                // libtest may print the test name on the same line first.
                if line.is_ok_and(|l| l.ends_with(HELD_MARKER)) {
                    let _ = tx.send(());
                }
            }
        });
        let held = rx.recv_timeout(std::time::Duration::from_secs(60));
        if held.is_err() {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child process did not open the cache");
        }

        let err = Cache::open(tmp.path(), SERVER, AGENT, CacheOptions::default()).unwrap_err();
        assert!(err.is_locked(), "{err}");

        drop(child.stdin.take());
        assert!(child.wait().expect("wait").success());
        assert_eq!(reopen(tmp.path()).outcome, OpenOutcome::Reused);
    }

    /// Run by `a_cache_held_by_another_process_is_locked` in a child process:
    /// holds the cache until its stdin closes.
    #[test]
    #[ignore = "helper process for a_cache_held_by_another_process_is_locked"]
    fn hold_cache_for_parent() {
        let Some(root) = std::env::var_os(HOLD_ENV) else {
            return;
        };
        let opened = reopen(Path::new(&root));
        println!("{HELD_MARKER}");
        use std::io::{Read, Write};
        std::io::stdout().flush().expect("flush");
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        drop(opened);
    }
}
