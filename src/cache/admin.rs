//! Looking after the cache as a whole: counts and size (`cache stats`), a full
//! check that every stored value decodes (`cache verify`), and dropping every
//! copy of server data (`cache purge`). What the agent typed or confirmed (drafts,
//! the outbox, the needs-attention list) is never purged here.

use super::codec;
use super::drafts::decode_draft;
use super::outbox::{AttentionRecord, OutboxEntry};
use super::trees;
use super::{Cache, CacheError, SCHEMA_VERSION};
use crate::api::{Suggestions, TimelinePage};
use crate::domain::{Customer, RefData};
use serde::Serialize;

/// What the cache holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CacheStats {
    /// Customer profiles.
    pub customers: usize,
    pub drafts: usize,
    /// Writes waiting to be sent.
    pub outbox: usize,
    /// Writes the server refused, waiting for the agent.
    pub attention: usize,
    /// Bytes sled uses on disk.
    pub size_on_disk: u64,
}

impl Cache {
    pub fn stats(&self) -> Result<CacheStats, CacheError> {
        let t = &self.trees;
        Ok(CacheStats {
            customers: t.customers.len(),
            drafts: t.drafts.len(),
            outbox: t.outbox.len(),
            attention: t.attention.len(),
            size_on_disk: self.db.size_on_disk().map_err(|e| self.db_err(e))?,
        })
    }

    /// Reads every value in every tree and lists what does not decode or does
    /// not fit together (one line each, naming the tree and key). Empty when all
    /// is well. Never panics and never changes anything.
    pub fn verify(&self) -> Vec<String> {
        let t = &self.trees;
        let mut problems = Vec::new();
        check(
            &mut problems,
            trees::META,
            &t.meta,
            |key, value| match key {
                k if k == trees::SCHEMA_KEY => {
                    let expected = SCHEMA_VERSION.to_string();
                    if value == expected.as_bytes() {
                        Ok(())
                    } else {
                        Err(format!(
                            "schema version is {:?}, expected {expected}",
                            String::from_utf8_lossy(value)
                        ))
                    }
                }
                k if k == trees::NEXT_SEQ_KEY => codec::u64_from_bytes(value)
                    .map(|_| ())
                    .ok_or_else(|| "the outbox sequence counter is not 8 bytes".to_string()),
                other => Err(format!(
                    "unexpected key {:?}",
                    String::from_utf8_lossy(other)
                )),
            },
        );
        check(&mut problems, trees::CUSTOMERS, &t.customers, |k, v| {
            stamped::<Customer>(k, v)
        });
        check(&mut problems, trees::TIMELINES, &t.timelines, |k, v| {
            stamped::<TimelinePage>(k, v)
        });
        check(&mut problems, trees::SUGGESTIONS, &t.suggestions, |k, v| {
            stamped::<Suggestions>(k, v)
        });
        check(&mut problems, trees::REFDATA, &t.refdata, |_, v| {
            codec::decode_stamped::<RefData>(v).map(|_| ())
        });
        check(&mut problems, trees::ACCESS, &t.access, |key, value| {
            let ok = match key.first() {
                Some(b'i') => key.len() == 9 && value.len() == 8,
                Some(b't') => key.len() == 17 && value.is_empty(),
                _ => false,
            };
            ok.then_some(())
                .ok_or_else(|| format!("malformed LRU entry {key:02x?}"))
        });
        check(&mut problems, trees::DRAFTS, &t.drafts, |k, v| {
            decode_draft(k, v).map(|_| ())
        });
        check(&mut problems, trees::OUTBOX, &t.outbox, |key, value| {
            let seq = seq(key)?;
            let entry: OutboxEntry =
                codec::decode_json(value).map_err(|e| format!("entry {seq}: {e}"))?;
            indexed(t, &entry.idempotency_key, key, seq)
        });
        check(
            &mut problems,
            trees::ATTENTION,
            &t.attention,
            |key, value| {
                let seq = seq(key)?;
                let record: AttentionRecord =
                    codec::decode_json(value).map_err(|e| format!("entry {seq}: {e}"))?;
                indexed(t, &record.entry.idempotency_key, key, seq)
            },
        );
        check(
            &mut problems,
            trees::OUTBOX_KEYS,
            &t.outbox_keys,
            |key, value| {
                let seq = codec::u64_from_bytes(value).ok_or_else(|| {
                    format!(
                        "key {:?} maps to a malformed sequence number",
                        String::from_utf8_lossy(key)
                    )
                })?;
                let held = t.outbox.contains_key(value).map_err(|e| e.to_string())?
                    || t.attention.contains_key(value).map_err(|e| e.to_string())?;
                held.then_some(()).ok_or_else(|| {
                format!(
                    "key {:?} reserves entry {seq}, which is in neither the outbox nor the attention list",
                    String::from_utf8_lossy(key)
                )
            })
            },
        );
        problems
    }

    /// Drops every copy of server data (customers, timelines, suggestions,
    /// reference data and the LRU index) and returns how many records went.
    /// Drafts, the outbox and the needs-attention list are kept: they hold what
    /// the agent typed or confirmed.
    pub fn purge_all(&self) -> Result<usize, CacheError> {
        let mut removed = 0;
        for (name, tree) in self.trees.server_copies() {
            if name != trees::ACCESS {
                removed += tree.len();
            }
            tree.clear().map_err(|e| self.db_err(e))?;
        }
        self.flush()?;
        Ok(removed)
    }
}

/// Runs `f` on every entry of `tree`, adding a line to `problems` for each one it
/// finds wrong (and one if the tree cannot be read further).
fn check(
    problems: &mut Vec<String>,
    name: &str,
    tree: &sled::Tree,
    f: impl Fn(&[u8], &[u8]) -> Result<(), String>,
) {
    for item in tree.iter() {
        match item {
            Ok((key, value)) => {
                if let Err(detail) = f(&key, &value) {
                    problems.push(format!("{name}: {detail}"));
                }
            }
            Err(e) => {
                problems.push(format!("{name}: cannot be read: {e}"));
                break;
            }
        }
    }
}

fn stamped<T: serde::de::DeserializeOwned>(key: &[u8], value: &[u8]) -> Result<(), String> {
    let id =
        codec::id_from_key(key).ok_or_else(|| format!("key {key:02x?} is not a customer id"))?;
    codec::decode_stamped::<T>(value)
        .map(|_| ())
        .map_err(|e| format!("customer {id}: {e}"))
}

fn seq(key: &[u8]) -> Result<u64, String> {
    codec::u64_from_bytes(key).ok_or_else(|| format!("key {key:02x?} is not a sequence number"))
}

/// The key index points at this entry.
fn indexed(t: &trees::Trees, idempotency_key: &str, key: &[u8], seq: u64) -> Result<(), String> {
    match t.outbox_keys.get(idempotency_key.as_bytes()) {
        Ok(Some(v)) if v.as_ref() == key => Ok(()),
        Ok(_) => Err(format!(
            "entry {seq}: its idempotency key is not reserved for it"
        )),
        Err(e) => Err(format!("entry {seq}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{customer, entry, open_tmp};
    use crate::domain::CustomerId;
    use serde_json::json;

    #[test]
    fn stats_verify_and_purge() {
        let (_tmp, opened) = open_tmp();
        let cache = opened.cache;
        for id in 1..=3 {
            cache.put_customer(&customer(id)).unwrap();
        }
        cache.save_draft("d", &json!({"x": 1})).unwrap();
        let seq = cache.enqueue(entry("interaction", 1)).unwrap();
        cache.enqueue(entry("escalation", 2)).unwrap();
        cache.needs_attention(seq, "refused").unwrap();
        let stats = cache.stats().unwrap();
        assert_eq!(
            (stats.customers, stats.drafts, stats.outbox, stats.attention),
            (3, 1, 1, 1)
        );
        assert!(stats.size_on_disk > 0);
        assert_eq!(cache.verify(), Vec::<String>::new());

        assert_eq!(cache.purge_all().unwrap(), 3);
        assert!(cache.customer(CustomerId(1)).unwrap().is_none());
        let stats = cache.stats().unwrap();
        assert_eq!(
            (stats.customers, stats.drafts, stats.outbox, stats.attention),
            (0, 1, 1, 1)
        );
        assert_eq!(cache.customers_tracked().unwrap(), 0);
        assert_eq!(cache.verify(), Vec::<String>::new());
    }

    #[test]
    fn verify_names_what_does_not_decode() {
        let (_tmp, opened) = open_tmp();
        let cache = opened.cache;
        cache.put_customer(&customer(4)).unwrap();
        let mut bad = chrono::Utc::now().timestamp_millis().to_be_bytes().to_vec();
        bad.extend_from_slice(b"[1,2]");
        cache
            .trees
            .customers
            .insert(super::codec::id_key(CustomerId(5)), bad)
            .unwrap();
        cache.trees.timelines.insert(b"xy", &b"zz"[..]).unwrap();
        let problems = cache.verify();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("customers: customer 5")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("timelines:")),
            "{problems:?}"
        );
    }
}
