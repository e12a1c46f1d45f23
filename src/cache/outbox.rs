//! The outbox: writes the agent confirmed (interactions, escalations, fee waivers)
//! waiting to reach the server, in order, each exactly once through the
//! idempotency key created with the entry. A write the server refuses on replay
//! moves to the needs-attention list until the agent resolves it; nothing leaves
//! either list except by `mark_sent` or `resolve_attention`.
//!
//! Durability: sled 0.34 acknowledges a write once it is in its in-memory log
//! buffers and writes those out every 500 ms (`flush_every_ms`). A process killed
//! with SIGKILL (or a host that loses power) before that loses writes that had
//! already returned `Ok`. So every change here calls `flush()`, which writes and
//! fsyncs the log, before it returns: the desk may say "saved" when `enqueue`
//! has returned, not before. (If the disk or file system acknowledges fsync
//! without storing the data, nothing at this level can help.)
//!
//! Sequence numbers come from a counter in the `meta` tree, advanced in the same
//! transaction that stores the entry, so they only grow, across restarts too.
//! They order the queue on this host; the idempotency key is what identifies a
//! write to the server.

use super::codec;
use super::trees::{self, NEXT_SEQ_KEY};
use super::{Cache, CacheError};
use crate::api::Write;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sled::transaction::{abort, TransactionError};
use sled::Transactional;

/// One confirmed write waiting to be sent. Stored through [`StoredEntry`], a
/// versioned form: every format a desk has queued stays readable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StoredEntry", into = "StoredEntry")]
pub struct OutboxEntry {
    /// Sent with the request; the server keeps it with the result, so a replay
    /// of the same entry is applied once.
    pub idempotency_key: String,
    pub write: Write,
    pub created_at: DateTime<Utc>,
}

impl OutboxEntry {
    /// A new entry for `write` under `idempotency_key`, created now.
    pub fn new(idempotency_key: &str, write: Write) -> OutboxEntry {
        OutboxEntry {
            idempotency_key: idempotency_key.to_string(),
            write,
            created_at: Utc::now(),
        }
    }
}

/// The format entries are written in now.
const ENTRY_FORMAT: u32 = 2;

/// An outbox entry as stored. Format 1 (no `format` field; desks before the
/// typed outbox) kept the write as its kind (`interaction`, `escalation`,
/// `fee_waiver`) and the route's JSON body side by side; format 2 keeps the
/// typed [`Write`]. Both read; format 2 is written.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredEntry {
    #[serde(default = "format_1", skip_serializing_if = "Option::is_none")]
    format: Option<u32>,
    idempotency_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    write: Option<Write>,
    /// Format 1: the kind of write and its body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<Value>,
    created_at: DateTime<Utc>,
}

fn format_1() -> Option<u32> {
    Some(1)
}

impl TryFrom<StoredEntry> for OutboxEntry {
    type Error = String;

    fn try_from(stored: StoredEntry) -> Result<OutboxEntry, String> {
        let write = match (stored.format, stored.write, stored.kind, stored.body) {
            (Some(ENTRY_FORMAT), Some(write), _, _) => write,
            (Some(1), _, Some(kind), Some(body)) => {
                // Format 1's kinds and bodies are the typed write's tag and content.
                serde_json::from_value(serde_json::json!({"kind": kind, "body": body}))
                    .map_err(|e| format!("a queued {kind} (format 1) does not read: {e}"))?
            }
            (Some(1), ..) => return Err("a format 1 entry without its kind and body".into()),
            (Some(ENTRY_FORMAT), ..) => return Err("a format 2 entry without its write".into()),
            (format, ..) => {
                return Err(format!(
                    "entry format {format:?} is not one this desk reads (1 or {ENTRY_FORMAT}); \
                     a newer desk wrote it"
                ))
            }
        };
        Ok(OutboxEntry {
            idempotency_key: stored.idempotency_key,
            write,
            created_at: stored.created_at,
        })
    }
}

impl From<OutboxEntry> for StoredEntry {
    fn from(entry: OutboxEntry) -> StoredEntry {
        StoredEntry {
            format: Some(ENTRY_FORMAT),
            idempotency_key: entry.idempotency_key,
            write: Some(entry.write),
            kind: None,
            body: None,
            created_at: entry.created_at,
        }
    }
}

/// An entry the server refused on replay, waiting for the agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttentionEntry {
    pub seq: u64,
    pub entry: OutboxEntry,
    /// What the server said, for the agent to read.
    pub reason: String,
    pub flagged_at: DateTime<Utc>,
}

/// How an attention entry is stored (its sequence number is the key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AttentionRecord {
    pub entry: OutboxEntry,
    pub reason: String,
    pub flagged_at: DateTime<Utc>,
}

/// Just the key of a stored entry or record, to keep the key index in step even
/// if the rest does not decode.
#[derive(Deserialize)]
struct KeyOf {
    idempotency_key: String,
}

#[derive(Deserialize)]
struct KeyOfRecord {
    entry: KeyOf,
}

/// Why a transaction gave up.
enum TxAbort {
    Duplicate,
    NoSuchEntry,
    BadValue(&'static str, String),
    Encode(String),
}

impl Cache {
    /// Queues a confirmed write and returns its sequence number, after sled's
    /// `flush()` has returned (see the module comment). Refuses a decision,
    /// an empty key, and a key already in the outbox or the attention list.
    pub fn enqueue(&self, entry: OutboxEntry) -> Result<u64, CacheError> {
        self.enqueue_from_draft(entry, None)
    }

    /// [`Cache::enqueue`], removing the draft the write was made from in the
    /// same transaction: after a crash there is either the draft or the queued
    /// write, never both (which could send it twice) and never neither.
    pub fn enqueue_from_draft(
        &self,
        entry: OutboxEntry,
        draft_key: Option<&str>,
    ) -> Result<u64, CacheError> {
        self.check_entry(&entry)?;
        let bytes = serde_json::to_vec(&entry).map_err(|e| self.encode_err(e))?;
        self.insert_new(&self.trees.outbox, &entry.idempotency_key, bytes, draft_key)
    }

    /// Every queued entry, oldest first. An entry that does not decode is an
    /// error naming it (replay must not skip one silently); `verify` lists it.
    pub fn pending(&self) -> Result<Vec<(u64, OutboxEntry)>, CacheError> {
        let mut out = Vec::new();
        for item in self.trees.outbox.iter() {
            let (key, value) = item.map_err(|e| self.db_err(e))?;
            let seq = self.seq_of(trees::OUTBOX, &key)?;
            let entry =
                codec::decode_json(&value).map_err(|d| self.bad_value(trees::OUTBOX, seq, d))?;
            out.push((seq, entry));
        }
        Ok(out)
    }

    /// How many entries are queued (for the status line).
    pub fn pending_count(&self) -> usize {
        self.trees.outbox.len()
    }

    /// The server has the write: removes the entry, durably. Returns whether it
    /// was there (marking twice is harmless).
    pub fn mark_sent(&self, seq: u64) -> Result<bool, CacheError> {
        let key = codec::u64_key(seq);
        let t = &self.trees;
        let removed = (&t.outbox, &t.outbox_keys)
            .transaction(|(outbox, keys)| {
                let Some(value) = outbox.remove(&key[..])? else {
                    return Ok(false);
                };
                if let Ok(KeyOf { idempotency_key }) = serde_json::from_slice::<KeyOf>(&value) {
                    if keys.get(idempotency_key.as_bytes())?.as_deref() == Some(&key[..]) {
                        keys.remove(idempotency_key.as_bytes())?;
                    }
                }
                Ok(true)
            })
            .map_err(|e| self.tx_err(e, seq))?;
        self.flush()?;
        Ok(removed)
    }

    /// The server refused the write on replay: moves the entry, with the reason,
    /// to the needs-attention list, durably. Its key stays reserved.
    pub fn needs_attention(&self, seq: u64, reason: &str) -> Result<(), CacheError> {
        let key = codec::u64_key(seq);
        let t = &self.trees;
        let flagged_at = Utc::now();
        (&t.outbox, &t.attention)
            .transaction(|(outbox, attention)| {
                let Some(value) = outbox.get(&key[..])? else {
                    return abort(TxAbort::NoSuchEntry);
                };
                let entry: OutboxEntry = match codec::decode_json(&value) {
                    Ok(entry) => entry,
                    Err(detail) => return abort(TxAbort::BadValue(trees::OUTBOX, detail)),
                };
                let record = AttentionRecord {
                    entry,
                    reason: reason.to_string(),
                    flagged_at,
                };
                let bytes = match serde_json::to_vec(&record) {
                    Ok(bytes) => bytes,
                    Err(e) => return abort(TxAbort::Encode(e.to_string())),
                };
                attention.insert(&key[..], bytes)?;
                outbox.remove(&key[..])?;
                Ok(())
            })
            .map_err(|e| self.tx_err(e, seq))?;
        self.flush()
    }

    /// The needs-attention list, oldest first. An entry that does not decode is
    /// an error naming it.
    pub fn attention(&self) -> Result<Vec<AttentionEntry>, CacheError> {
        let mut out = Vec::new();
        for item in self.trees.attention.iter() {
            let (key, value) = item.map_err(|e| self.db_err(e))?;
            let seq = self.seq_of(trees::ATTENTION, &key)?;
            let record: AttentionRecord =
                codec::decode_json(&value).map_err(|d| self.bad_value(trees::ATTENTION, seq, d))?;
            out.push(AttentionEntry {
                seq,
                entry: record.entry,
                reason: record.reason,
                flagged_at: record.flagged_at,
            });
        }
        Ok(out)
    }

    /// The agent has dealt with an entry on the list (re-entered it, or decided it
    /// is not needed): removes it, durably, and frees its key. Returns whether it
    /// was there.
    pub fn resolve_attention(&self, seq: u64) -> Result<bool, CacheError> {
        let key = codec::u64_key(seq);
        let t = &self.trees;
        let removed = (&t.attention, &t.outbox_keys)
            .transaction(|(attention, keys)| {
                let Some(value) = attention.remove(&key[..])? else {
                    return Ok(false);
                };
                if let Ok(KeyOfRecord { entry }) = serde_json::from_slice::<KeyOfRecord>(&value) {
                    if keys.get(entry.idempotency_key.as_bytes())?.as_deref() == Some(&key[..]) {
                        keys.remove(entry.idempotency_key.as_bytes())?;
                    }
                }
                Ok(true)
            })
            .map_err(|e| self.tx_err(e, seq))?;
        self.flush()?;
        Ok(removed)
    }

    /// Whether an entry with this idempotency key is queued or on the
    /// needs-attention list.
    pub fn holds_key(&self, idempotency_key: &str) -> Result<bool, CacheError> {
        self.trees
            .outbox_keys
            .contains_key(idempotency_key.as_bytes())
            .map_err(|e| self.db_err(e))
    }

    /// Puts a record straight on the needs-attention list (used by recovery).
    pub(crate) fn restore_attention(&self, record: &AttentionRecord) -> Result<u64, CacheError> {
        self.check_entry(&record.entry)?;
        let bytes = serde_json::to_vec(record).map_err(|e| self.encode_err(e))?;
        self.insert_new(
            &self.trees.attention,
            &record.entry.idempotency_key,
            bytes,
            None,
        )
    }

    fn check_entry(&self, entry: &OutboxEntry) -> Result<(), CacheError> {
        let invalid = |reason: String| CacheError::Invalid {
            path: self.dir.clone(),
            what: "an outbox entry",
            reason,
        };
        if entry.idempotency_key.trim().is_empty() {
            return Err(invalid("its idempotency key is empty".into()));
        }
        if matches!(entry.write, Write::Decision(_)) {
            // A supervisor's decision is sent while they wait, never queued.
            return Err(invalid("a decision is not queued".into()));
        }
        Ok(())
    }

    /// Stores `bytes` under the next sequence number in `into`, reserving the
    /// key and removing the draft `draft_key`, in one transaction; then flushes.
    fn insert_new(
        &self,
        into: &sled::Tree,
        idempotency_key: &str,
        bytes: Vec<u8>,
        draft_key: Option<&str>,
    ) -> Result<u64, CacheError> {
        let t = &self.trees;
        let seq = (&t.meta, into, &t.outbox_keys, &t.drafts)
            .transaction(|(meta, target, keys, drafts)| {
                if keys.get(idempotency_key.as_bytes())?.is_some() {
                    return abort(TxAbort::Duplicate);
                }
                let seq = match meta.get(NEXT_SEQ_KEY)? {
                    None => 1,
                    Some(v) => match codec::u64_from_bytes(&v) {
                        Some(n) => n,
                        None => {
                            return abort(TxAbort::BadValue(
                                trees::META,
                                "the outbox sequence counter is not 8 bytes".into(),
                            ))
                        }
                    },
                };
                let key = codec::u64_key(seq);
                meta.insert(NEXT_SEQ_KEY, &codec::u64_key(seq.saturating_add(1))[..])?;
                target.insert(&key[..], bytes.as_slice())?;
                keys.insert(idempotency_key.as_bytes(), &key[..])?;
                if let Some(draft) = draft_key {
                    drafts.remove(draft.as_bytes())?;
                }
                Ok(seq)
            })
            .map_err(|e| match e {
                TransactionError::Abort(TxAbort::Duplicate) => CacheError::DuplicateKey {
                    path: self.dir.clone(),
                    key: idempotency_key.to_string(),
                },
                other => self.tx_err(other, 0),
            })?;
        self.flush()?;
        Ok(seq)
    }

    fn seq_of(&self, tree: &'static str, key: &[u8]) -> Result<u64, CacheError> {
        codec::u64_from_bytes(key).ok_or_else(|| {
            self.bad_value(
                tree,
                format!("{key:02x?}"),
                "the key is not a sequence number".into(),
            )
        })
    }

    fn tx_err(&self, e: TransactionError<TxAbort>, seq: u64) -> CacheError {
        match e {
            TransactionError::Storage(e) => self.db_err(e),
            TransactionError::Abort(TxAbort::NoSuchEntry) => CacheError::NoSuchEntry {
                path: self.dir.clone(),
                seq,
            },
            TransactionError::Abort(TxAbort::BadValue(tree, detail)) => {
                self.bad_value(tree, seq, detail)
            }
            TransactionError::Abort(TxAbort::Encode(detail)) => CacheError::Invalid {
                path: self.dir.clone(),
                what: "an attention record",
                reason: detail,
            },
            TransactionError::Abort(TxAbort::Duplicate) => CacheError::Invalid {
                path: self.dir.clone(),
                what: "an outbox entry",
                reason: "its idempotency key is already held".into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{entry, open_tmp, reopen};
    use super::*;
    use serde_json::json;

    #[test]
    fn the_outbox_keeps_order_and_sequence_numbers_grow_across_reopen() {
        let (tmp, opened) = open_tmp();
        let cache = opened.cache;
        let first: Vec<OutboxEntry> = (0..3).map(|i| entry("interaction", i)).collect();
        let mut seqs = Vec::new();
        for e in &first {
            seqs.push(cache.enqueue(e.clone()).unwrap());
        }
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
        assert!(cache.mark_sent(seqs[0]).unwrap());
        assert!(
            !cache.mark_sent(seqs[0]).unwrap(),
            "marking twice is harmless"
        );
        // Send the newest too, so a counter derived from the queue would go back.
        assert!(cache.mark_sent(seqs[2]).unwrap());
        drop(cache);

        let cache = reopen(tmp.path()).cache;
        assert_eq!(cache.pending().unwrap(), vec![(seqs[1], first[1].clone())]);
        let later = entry("fee_waiver", 9);
        let seq = cache.enqueue(later.clone()).unwrap();
        assert!(seq > seqs[2], "sequence {seq} reused after {seqs:?}");
        assert_eq!(
            cache.pending().unwrap(),
            vec![(seqs[1], first[1].clone()), (seq, later)]
        );
        assert_eq!(cache.pending_count(), 2);
    }

    #[test]
    fn a_write_queued_from_a_draft_replaces_it_in_one_step() {
        let (tmp, opened) = open_tmp();
        let cache = opened.cache;
        cache
            .save_draft("log:7", &json!({"notes": "typed"}))
            .unwrap();
        cache
            .save_draft("log:8", &json!({"notes": "other"}))
            .unwrap();
        let e = entry("interaction", 1);
        cache.enqueue_from_draft(e.clone(), Some("log:7")).unwrap();
        drop(cache);
        let cache = reopen(tmp.path()).cache;
        assert_eq!(cache.draft("log:7").unwrap(), None);
        assert!(cache.draft("log:8").unwrap().is_some(), "other drafts stay");
        assert_eq!(cache.pending().unwrap().len(), 1);
        // A refused enqueue (duplicate key) keeps the draft.
        cache
            .save_draft("log:9", &json!({"notes": "again"}))
            .unwrap();
        assert!(cache.enqueue_from_draft(e, Some("log:9")).is_err());
        assert!(cache.draft("log:9").unwrap().is_some());
    }

    #[test]
    fn the_outbox_refuses_duplicates_and_unknown_kinds() {
        let (_tmp, opened) = open_tmp();
        let cache = opened.cache;
        let e = entry("escalation", 1);
        cache.enqueue(e.clone()).unwrap();
        let err = cache.enqueue(e.clone()).unwrap_err();
        assert!(matches!(err, CacheError::DuplicateKey { .. }), "{err}");
        // Only what the desk queues: a decision is sent while the supervisor waits.
        let mut decision = entry("interaction", 2);
        decision.write = crate::api::Write::Decision(crate::api::DecisionWrite {
            kind: crate::api::ApprovalKind::FeeWaiver,
            id: 1,
            decision: crate::api::NewDecision {
                decision: crate::api::Decision::Approve,
                note: String::new(),
            },
        });
        assert!(cache.enqueue(decision).is_err());
        let mut blank = entry("interaction", 3);
        blank.idempotency_key = " ".into();
        assert!(cache.enqueue(blank).is_err());
        assert_eq!(cache.pending().unwrap().len(), 1);
        assert!(cache.holds_key(&e.idempotency_key).unwrap());
        let fresh = entry("fee_waiver", 7);
        assert_ne!(fresh.idempotency_key, e.idempotency_key);
        cache.enqueue(fresh).unwrap();
    }

    #[test]
    fn a_refused_write_needs_attention_and_is_never_dropped() {
        let (tmp, opened) = open_tmp();
        let cache = opened.cache;
        let a = entry("interaction", 1);
        let b = entry("fee_waiver", 2);
        let sa = cache.enqueue(a.clone()).unwrap();
        let sb = cache.enqueue(b.clone()).unwrap();
        cache
            .needs_attention(sb, "waiver over the agent's limit")
            .unwrap();
        let err = cache.needs_attention(999, "nope").unwrap_err();
        assert!(
            matches!(err, CacheError::NoSuchEntry { seq: 999, .. }),
            "{err}"
        );
        drop(cache);

        let cache = reopen(tmp.path()).cache;
        assert_eq!(cache.pending().unwrap(), vec![(sa, a)]);
        let list = cache.attention().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].seq, sb);
        assert_eq!(list[0].entry, b);
        assert_eq!(list[0].reason, "waiver over the agent's limit");
        // Its key stays reserved until the agent resolves it.
        assert!(cache.enqueue(b.clone()).is_err());
        assert!(cache.resolve_attention(sb).unwrap());
        assert!(!cache.resolve_attention(sb).unwrap());
        assert!(cache.attention().unwrap().is_empty());
        drop(cache);
        let cache = reopen(tmp.path()).cache;
        assert!(cache.attention().unwrap().is_empty());
        cache.enqueue(b).unwrap();
    }

    #[test]
    fn an_outbox_entry_that_does_not_decode_is_reported_not_skipped() {
        let (_tmp, opened) = open_tmp();
        let cache = opened.cache;
        let seq = cache.enqueue(entry("interaction", 1)).unwrap();
        cache
            .trees
            .outbox
            .insert(codec::u64_key(seq), &b"{\"idempotency_key\": 5}"[..])
            .unwrap();
        let err = cache.pending().unwrap_err();
        assert!(
            matches!(err, CacheError::BadValue { tree: "outbox", .. }),
            "{err}"
        );
        assert!(cache.verify().iter().any(|p| p.contains("outbox")));
        assert!(cache.needs_attention(seq, "x").is_err());
    }

    #[test]
    fn entries_of_every_format_read_and_the_newest_is_written() {
        let old = include_str!("../../tests/fixtures/outbox-entry-format-1.json");
        let entry: OutboxEntry = serde_json::from_str(old).expect("format 1 reads");
        let Write::Interaction(body) = &entry.write else {
            panic!("an interaction: {entry:?}");
        };
        assert_eq!(body.notes, "queued by a desk before the typed outbox");
        assert_eq!(
            entry.idempotency_key,
            "0b8e6f1c-3f52-4c1e-9a0e-5d7f2b6c9a41"
        );
        let stored = serde_json::to_value(&entry).expect("encodes");
        assert_eq!(stored["format"], 2);
        assert_eq!(stored["write"]["kind"], "interaction");
        let again: OutboxEntry = serde_json::from_value(stored.clone()).expect("format 2 reads");
        assert_eq!(again, entry);
        let mut newer = stored;
        newer["format"] = json!(3);
        let err = serde_json::from_value::<OutboxEntry>(newer).unwrap_err();
        assert!(err.to_string().contains("a newer desk wrote it"), "{err}");
    }
}
