//! The local cache and outbox as the desk shows them.

use crate::cache::{AttentionEntry, OutboxEntry};

/// Whether this desk keeps a local cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalCache {
    /// Not opened yet (before sign-in).
    Opening,
    Ready,
    /// Running without one; the sentence says why.
    Without(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutboxView {
    /// Confirmed writes not yet accepted by the server.
    pub waiting: usize,
    /// Writes the server refused, for the agent to resolve.
    pub attention: Vec<AttentionEntry>,
}

/// What an entry is about, in a line.
pub fn describe(entry: &AttentionEntry) -> String {
    let what = match entry.entry.kind.as_str() {
        OutboxEntry::INTERACTION => "Interaction log",
        OutboxEntry::ESCALATION => "Escalation",
        OutboxEntry::FEE_WAIVER => "Fee waiver",
        _ => "Write",
    };
    let customer = entry
        .entry
        .body
        .get("customer_id")
        .and_then(|v| v.as_i64())
        .map(|id| format!(" for customer {id}"))
        .unwrap_or_default();
    format!("{what}{customer}")
}
