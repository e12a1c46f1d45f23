//! What can go wrong with the local cache. Every error names the path it concerns,
//! so the desk and the `cache` verbs can say what happened and where.

use std::path::PathBuf;

/// An error from the local cache. None of these are panics: data read from disk
/// that does not decode is reported as [`CacheError::BadValue`].
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Another process (a second desk of the same agent on this host) holds the
    /// cache. The desk runs without a local cache and says so.
    #[error(
        "the cache at {} is in use by another Switchboard on this host (it is locked); \
         running without a local cache",
        path.display()
    )]
    Locked { path: PathBuf },

    /// A file-system operation failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The directory exists but is not something we may use (a symlink, a file,
    /// owned by someone else).
    #[error("the cache directory {} is not safe to use: {reason}", path.display())]
    Unsafe { path: PathBuf, reason: String },

    /// sled reported an error while the cache was open.
    #[error("the cache database at {} failed: {source}", path.display())]
    Db {
        path: PathBuf,
        #[source]
        source: sled::Error,
    },

    /// The database could not be opened even after the old one was set aside.
    #[error("cannot open the cache at {}: {reason}", path.display())]
    Open { path: PathBuf, reason: String },

    /// A stored value does not decode (never a panic).
    #[error(
        "the cache at {} holds a value it cannot read (tree {tree}, key {key}): {detail}",
        path.display()
    )]
    BadValue {
        path: PathBuf,
        tree: &'static str,
        key: String,
        detail: String,
    },

    /// A value could not be encoded for storage.
    #[error("cannot encode a value for the cache at {}: {source}", path.display())]
    Encode {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },

    /// The caller passed something the cache will not store.
    #[error("the cache at {} refused {what}: {reason}", path.display())]
    Invalid {
        path: PathBuf,
        what: &'static str,
        reason: String,
    },

    /// An outbox entry with this idempotency key is already queued or waiting for
    /// attention.
    #[error(
        "an outbox entry with idempotency key {key:?} is already held in the cache at {}",
        path.display()
    )]
    DuplicateKey { path: PathBuf, key: String },

    /// No outbox entry has this sequence number.
    #[error("the cache at {} has no outbox entry {seq}", path.display())]
    NoSuchEntry { path: PathBuf, seq: u64 },

    /// A moved-aside copy could not be recovered.
    #[error("cannot recover from {}: {reason}", path.display())]
    Recover { path: PathBuf, reason: String },
}

impl CacheError {
    /// True when another process holds the cache; the desk then runs without one.
    pub fn is_locked(&self) -> bool {
        matches!(self, CacheError::Locked { .. })
    }
}
