//! Drafts: whatever the agent is typing in a form, saved as the form's own JSON
//! under a key the desk chooses (e.g. `interaction:customer:42`). Saving is
//! durable when it returns (sled `flush()` has returned), so a crash, kill -9,
//! SIGHUP or lost SSH session cannot take it; the next start offers it back.

use super::codec;
use super::trees;
use super::{Cache, CacheError};
use serde_json::Value;

impl Cache {
    /// Saves (replaces) the draft under `key`; durable when it returns.
    pub fn save_draft(&self, key: &str, json: &Value) -> Result<(), CacheError> {
        if key.is_empty() {
            return Err(CacheError::Invalid {
                path: self.dir.clone(),
                what: "a draft",
                reason: "its key is empty".into(),
            });
        }
        let bytes = serde_json::to_vec(json).map_err(|e| self.encode_err(e))?;
        self.trees
            .drafts
            .insert(key.as_bytes(), bytes)
            .map_err(|e| self.db_err(e))?;
        self.flush()
    }

    /// Every saved draft, in key order. A draft that does not decode is skipped
    /// here (and logged); [`Cache::verify`] reports it, and it stays on disk.
    pub fn drafts(&self) -> Result<Vec<(String, Value)>, CacheError> {
        let mut out = Vec::new();
        for item in self.trees.drafts.iter() {
            let (key, value) = item.map_err(|e| self.db_err(e))?;
            match decode_draft(&key, &value) {
                Ok(draft) => out.push(draft),
                Err(detail) => {
                    tracing::warn!(tree = trees::DRAFTS, %detail, "skipping a draft that does not decode")
                }
            }
        }
        Ok(out)
    }

    /// One draft, if saved.
    pub fn draft(&self, key: &str) -> Result<Option<Value>, CacheError> {
        let Some(value) = self
            .trees
            .drafts
            .get(key.as_bytes())
            .map_err(|e| self.db_err(e))?
        else {
            return Ok(None);
        };
        codec::decode_json(&value)
            .map(Some)
            .map_err(|d| self.bad_value(trees::DRAFTS, format!("{key:?}"), d))
    }

    /// Removes the draft under `key` (the form was submitted or discarded);
    /// durable when it returns. Returns whether there was one.
    pub fn remove_draft(&self, key: &str) -> Result<bool, CacheError> {
        let old = self
            .trees
            .drafts
            .remove(key.as_bytes())
            .map_err(|e| self.db_err(e))?;
        self.flush()?;
        Ok(old.is_some())
    }
}

/// A stored draft as (key, JSON), or what is wrong with it.
pub(crate) fn decode_draft(key: &[u8], value: &[u8]) -> Result<(String, Value), String> {
    let key = String::from_utf8(key.to_vec())
        .map_err(|_| format!("draft key {key:02x?} is not UTF-8"))?;
    let value = codec::decode_json(value).map_err(|e| format!("draft {key:?}: {e}"))?;
    Ok((key, value))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{open_tmp, reopen};
    use serde_json::json;

    #[test]
    fn drafts_round_trip_across_reopen() {
        let (tmp, opened) = open_tmp();
        let cache = opened.cache;
        let a = json!({"form": "interaction", "note": "Caller asked about the fee ✓", "n": 3});
        let b = json!({"form": "escalation", "reason": null});
        cache.save_draft("interaction:customer:1", &a).unwrap();
        cache.save_draft("escalation:customer:2", &b).unwrap();
        cache.save_draft("gone", &json!(1)).unwrap();
        assert!(cache.remove_draft("gone").unwrap());
        assert!(!cache.remove_draft("gone").unwrap());
        let updated =
            json!({"form": "interaction", "note": "Caller asked about the fee ✓ and more"});
        cache
            .save_draft("interaction:customer:1", &updated)
            .unwrap();
        drop(cache);

        let cache = reopen(tmp.path()).cache;
        assert_eq!(
            cache.drafts().unwrap(),
            vec![
                ("escalation:customer:2".to_string(), b),
                ("interaction:customer:1".to_string(), updated.clone()),
            ]
        );
        assert_eq!(
            cache.draft("interaction:customer:1").unwrap(),
            Some(updated)
        );
        assert_eq!(cache.draft("gone").unwrap(), None);
        assert!(cache.save_draft("", &json!({})).is_err());
    }

    #[test]
    fn a_draft_that_does_not_decode_is_skipped_and_verified() {
        let (_tmp, opened) = open_tmp();
        let cache = opened.cache;
        cache.save_draft("good", &json!({"a": 1})).unwrap();
        cache.trees.drafts.insert("bad", &b"{not json"[..]).unwrap();
        assert_eq!(cache.drafts().unwrap().len(), 1);
        let problems = cache.verify();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("bad"), "{problems:?}");
        assert!(cache.draft("bad").is_err());
    }
}
