//! The desk's local cache, in sled: one database per agent and server under
//! `$XDG_CACHE_HOME/switchboard/<server>/<agent>` (directory 0700, files 0600).
//!
//! It keeps copies of server data for read-through (customers, timelines,
//! suggestions, reference data; each with the time it was stored, a TTL and an LRU
//! size cap) and the things that must never be lost: drafts as they are typed and
//! the outbox of confirmed writes, durable (sled `flush()` has returned) before a
//! call that stores them returns. Opening it says what it found
//! ([`OpenOutcome`]): a corrupt cache is moved aside, never deleted, and
//! [`Cache::recover_from`] brings back its outbox and drafts.
//!
//! One job per file: `layout` (paths, permissions, moving aside), `open`
//! (opening and schema), `trees` (tree names), `codec` (bytes on disk),
//! `readthrough` (cached server data), `expiry` (TTL and LRU), `drafts`,
//! `outbox`, `admin` (stats, verify, purge), `recover` and `discover` (finding
//! caches and moved-aside copies on disk).

mod admin;
mod codec;
mod discover;
mod drafts;
mod error;
mod expiry;
mod layout;
mod open;
mod outbox;
mod readthrough;
mod recover;
#[cfg(test)]
mod testutil;
mod trees;

pub use admin::CacheStats;
pub use codec::Cached;
pub use discover::{find_caches, moved_aside_copies, FoundCache};
pub use error::CacheError;
pub use expiry::Maintenance;
pub(crate) use layout::ensure_private_dirs;
pub use layout::{agent_slug, cache_dir, moved_aside_from, server_slug};
pub use open::{CacheOptions, OpenOutcome, Opened, SCHEMA_VERSION};
pub use outbox::{AttentionEntry, OutboxEntry};
pub use recover::RecoverReport;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;

/// An open cache. Cheap to share behind an `Arc`; every method takes `&self`.
/// The database stays locked against other processes until this is dropped.
pub struct Cache {
    dir: PathBuf,
    db: sled::Db,
    trees: trees::Trees,
    options: CacheOptions,
    /// The next LRU access tick.
    tick: AtomicU64,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("dir", &self.dir)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Cache {
    /// The directory holding this cache.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn options(&self) -> &CacheOptions {
        &self.options
    }

    /// Makes everything written so far durable.
    pub fn flush(&self) -> Result<(), CacheError> {
        self.db.flush().map_err(|e| self.db_err(e))?;
        Ok(())
    }

    /// Sets the files in the cache directory to 0600 and its directories to 0700
    /// again (sled creates new snapshot files with the umask's default mode; the
    /// 0700 directory already keeps them from other users).
    pub fn tighten_permissions(&self) -> Result<(), CacheError> {
        layout::tighten_tree(&self.dir)
    }

    fn db_err(&self, source: sled::Error) -> CacheError {
        CacheError::Db {
            path: self.dir.clone(),
            source,
        }
    }

    fn bad_value(&self, tree: &'static str, key: impl ToString, detail: String) -> CacheError {
        CacheError::BadValue {
            path: self.dir.clone(),
            tree,
            key: key.to_string(),
            detail,
        }
    }

    fn encode_err(&self, source: serde_json::Error) -> CacheError {
        CacheError::Encode {
            path: self.dir.clone(),
            source,
        }
    }
}
