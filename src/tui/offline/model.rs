//! The local cache and outbox as the desk shows them.

use crate::cache::AttentionEntry;

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

/// What a needs-attention entry is about, in a line.
pub fn describe(entry: &AttentionEntry) -> String {
    let write = &entry.entry.write;
    let customer = write
        .customer_id()
        .map(|id| format!(" for customer {id}"))
        .unwrap_or_default();
    format!("{}{customer}", write.label())
}
