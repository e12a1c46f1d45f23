//! The wire contract of `/v1`: request and response bodies, the one write type,
//! the one error shape,
//! the reqwest client the desk (and every test) uses to talk to a server, and
//! its reader for the server's event stream.

mod client;
mod decisions;
mod error;
mod floor;
pub mod sse;
mod types;
mod write;

pub use client::{trust_ca_file, Client, ClientError, EventStream, Written};
pub use decisions::*;
pub use error::{ErrorBody, ErrorCode};
pub use floor::*;
pub use types::*;
pub use write::{DecisionWrite, Write, WriteAnswer};

/// Limits on what a write may carry, in characters or items; the server
/// enforces them and the desk's forms stop typing at them.
pub mod limits {
    pub const MAX_NOTES: usize = 20_000;
    pub const MAX_SUMMARY: usize = 4_000;
    pub const MAX_TAGS: usize = 20;
    pub const MAX_TAG: usize = 40;
    pub const MAX_FEES: usize = 20;
    /// The furthest ahead a follow-up may be set, in days.
    pub const MAX_FOLLOW_UP_DAYS: i64 = 366;
}

/// The header that carries a write's idempotency key.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Set on a response that was replayed from an earlier request with the same key.
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";
