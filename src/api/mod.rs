//! The wire contract of `/v1`: request and response bodies, the one error shape,
//! and the reqwest client the desk (and every test) uses to talk to a server.

mod client;
mod error;
mod types;

pub use client::{Client, ClientError};
pub use error::{ErrorBody, ErrorCode};
pub use types::*;

/// The header that carries a write's idempotency key.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Set on a response that was replayed from an earlier request with the same key.
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";
