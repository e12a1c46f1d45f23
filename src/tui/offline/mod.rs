//! How the local cache and its outbox change the desk: the cache opening (or
//! the desk running without one), drafts from the last session offered back
//! and kept on disk as they are typed, writes saved on this desk before the
//! server has them, the link state the outbox sync sees, and the
//! needs-attention list. No I/O.

pub mod drafts;
pub mod model;
pub mod update;
