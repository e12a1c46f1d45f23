//! The sled trees the cache keeps, by name, and which of them hold only copies of
//! server data (safe to purge) versus things the agent typed or confirmed (never
//! purged: drafts and the outbox).

use sled::{Db, Tree};

pub(crate) const META: &str = "meta";
pub(crate) const CUSTOMERS: &str = "customers";
pub(crate) const TIMELINES: &str = "timelines";
pub(crate) const SUGGESTIONS: &str = "suggestions";
pub(crate) const REFDATA: &str = "refdata";
/// The LRU index: `t` + tick + customer id -> (), and `i` + customer id -> tick.
pub(crate) const ACCESS: &str = "access";
pub(crate) const DRAFTS: &str = "drafts";
/// Sequence number -> outbox entry, in replay order.
pub(crate) const OUTBOX: &str = "outbox";
/// Idempotency key -> sequence number, for every entry in the outbox or the
/// needs-attention list.
pub(crate) const OUTBOX_KEYS: &str = "outbox_keys";
/// Sequence number -> entry the server refused, with the reason.
pub(crate) const ATTENTION: &str = "attention";
/// What `recover_from` already brought back, so it does so only once.
pub(crate) const RECOVERED: &str = "recovered";

/// Copies of server data: `purge_all` clears these, a schema change may drop them.
pub(crate) const SERVER_COPIES: [&str; 5] = [CUSTOMERS, TIMELINES, SUGGESTIONS, REFDATA, ACCESS];

/// sled's own default tree, which the cache does not use.
pub(crate) const SLED_DEFAULT: &[u8] = b"__sled__default";

/// Meta keys.
pub(crate) const SCHEMA_KEY: &[u8] = b"schema_version";
pub(crate) const NEXT_SEQ_KEY: &[u8] = b"next_seq";

/// Handles to every tree the cache uses.
#[derive(Clone)]
pub(crate) struct Trees {
    pub meta: Tree,
    pub customers: Tree,
    pub timelines: Tree,
    pub suggestions: Tree,
    pub refdata: Tree,
    pub access: Tree,
    pub drafts: Tree,
    pub outbox: Tree,
    pub outbox_keys: Tree,
    pub attention: Tree,
    pub recovered: Tree,
}

impl Trees {
    pub(crate) fn open(db: &Db) -> sled::Result<Trees> {
        Ok(Trees {
            meta: db.open_tree(META)?,
            customers: db.open_tree(CUSTOMERS)?,
            timelines: db.open_tree(TIMELINES)?,
            suggestions: db.open_tree(SUGGESTIONS)?,
            refdata: db.open_tree(REFDATA)?,
            access: db.open_tree(ACCESS)?,
            drafts: db.open_tree(DRAFTS)?,
            outbox: db.open_tree(OUTBOX)?,
            outbox_keys: db.open_tree(OUTBOX_KEYS)?,
            attention: db.open_tree(ATTENTION)?,
            recovered: db.open_tree(RECOVERED)?,
        })
    }

    /// The trees holding copies of server data.
    pub(crate) fn server_copies(&self) -> [(&'static str, &Tree); 5] {
        [
            (CUSTOMERS, &self.customers),
            (TIMELINES, &self.timelines),
            (SUGGESTIONS, &self.suggestions),
            (REFDATA, &self.refdata),
            (ACCESS, &self.access),
        ]
    }
}
