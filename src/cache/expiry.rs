//! Keeping customer data bounded in time and size: the TTL (expired data is not
//! served, and `purge_expired` removes it) and the LRU cap (`evict_to` removes the
//! least recently used customers with their timelines and suggestions).
//!
//! The LRU index lives in the `access` tree as two kinds of entries:
//! `t` + tick + customer id (ordered oldest first) and `i` + customer id -> tick.
//! Puts update it in the same transaction as the data; reads update it without
//! one, so a race can leave a stale `t` entry, which eviction recognises (its tick
//! is not the one under `i`) and drops.

use super::codec;
use super::{Cache, CacheError};
use crate::domain::CustomerId;
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::atomic::Ordering;

/// What a maintenance pass removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Maintenance {
    /// Records (profiles, timelines, suggestion lists) past the TTL.
    pub expired: usize,
    /// Customers evicted by the size cap.
    pub evicted: usize,
}

pub(crate) fn id_entry(id: CustomerId) -> [u8; 9] {
    let mut key = [b'i'; 9];
    key[1..].copy_from_slice(&codec::id_key(id));
    key
}

pub(crate) fn tick_entry(tick: u64, id: CustomerId) -> [u8; 17] {
    let mut key = [b't'; 17];
    key[1..9].copy_from_slice(&codec::u64_key(tick));
    key[9..].copy_from_slice(&codec::id_key(id));
    key
}

fn parse_tick_entry(key: &[u8]) -> Option<(u64, CustomerId)> {
    if key.len() != 17 || key[0] != b't' {
        return None;
    }
    Some((
        codec::u64_from_bytes(&key[1..9])?,
        codec::id_from_key(&key[9..])?,
    ))
}

impl Cache {
    /// Runs the TTL purge and then the size cap from the options, and tightens
    /// file permissions. The desk runs this at start and hourly.
    pub fn maintain(&self, now: DateTime<Utc>) -> Result<Maintenance, CacheError> {
        let expired = self.purge_expired(now)?;
        let evicted = self.evict_to(self.options.max_customers)?;
        if let Err(e) = self.tighten_permissions() {
            tracing::warn!(error = %e, "could not tighten cache file permissions");
        }
        Ok(Maintenance { expired, evicted })
    }

    /// Removes customer records (profiles, timelines, suggestion lists) stored
    /// longer ago than the TTL, and records whose time stamp is unreadable (they
    /// are copies of server data). Returns how many records it removed.
    pub fn purge_expired(&self, now: DateTime<Utc>) -> Result<usize, CacheError> {
        let t = &self.trees;
        let mut removed = 0;
        for (name, tree) in [
            (super::trees::CUSTOMERS, &t.customers),
            (super::trees::TIMELINES, &t.timelines),
            (super::trees::SUGGESTIONS, &t.suggestions),
        ] {
            for item in tree.iter() {
                let (key, value) = item.map_err(|e| self.db_err(e))?;
                let expired = match codec::stamp_of(&value) {
                    Ok(at) => self.is_expired(at, now),
                    Err(detail) => {
                        tracing::warn!(tree = name, %detail, "purging an unreadable cached record");
                        true
                    }
                };
                if expired && tree.remove(&key).map_err(|e| self.db_err(e))?.is_some() {
                    removed += 1;
                }
            }
        }
        // Customers with nothing left leave the LRU index.
        for item in t.access.scan_prefix(b"i") {
            let (key, _) = item.map_err(|e| self.db_err(e))?;
            let Some(id) = codec::id_from_key(&key[1..]) else {
                t.access.remove(&key).map_err(|e| self.db_err(e))?;
                continue;
            };
            let k = codec::id_key(id);
            let mut any = false;
            for tree in [&t.customers, &t.timelines, &t.suggestions] {
                any |= tree.contains_key(k).map_err(|e| self.db_err(e))?;
            }
            if !any {
                self.forget(id)?;
            }
        }
        Ok(removed)
    }

    /// Evicts least recently used customers (profile, timeline and suggestions)
    /// until at most `max_customers` have data. Returns how many it evicted.
    pub fn evict_to(&self, max_customers: usize) -> Result<usize, CacheError> {
        let access = &self.trees.access;
        let mut count = 0usize;
        for item in access.scan_prefix(b"i") {
            item.map_err(|e| self.db_err(e))?;
            count += 1;
        }
        let mut evicted = 0;
        while count > max_customers {
            let Some(item) = access.scan_prefix(b"t").next() else {
                break;
            };
            let (key, _) = item.map_err(|e| self.db_err(e))?;
            let current = match parse_tick_entry(&key) {
                Some((tick, id)) => {
                    let now = access.get(id_entry(id)).map_err(|e| self.db_err(e))?;
                    (now.as_deref().and_then(codec::u64_from_bytes) == Some(tick)).then_some(id)
                }
                None => None,
            };
            match current {
                Some(id) => {
                    self.forget(id)?;
                    count -= 1;
                    evicted += 1;
                }
                None => {
                    access.remove(&key).map_err(|e| self.db_err(e))?;
                }
            }
        }
        Ok(evicted)
    }

    /// How many customers have cached data (the number the size cap counts).
    pub fn customers_tracked(&self) -> Result<usize, CacheError> {
        let mut count = 0;
        for item in self.trees.access.scan_prefix(b"i") {
            item.map_err(|e| self.db_err(e))?;
            count += 1;
        }
        Ok(count)
    }

    /// Removes everything cached for `id`.
    pub(crate) fn forget(&self, id: CustomerId) -> Result<(), CacheError> {
        let t = &self.trees;
        let key = codec::id_key(id);
        for tree in [&t.customers, &t.timelines, &t.suggestions] {
            tree.remove(key).map_err(|e| self.db_err(e))?;
        }
        if let Some(tick) = t.access.remove(id_entry(id)).map_err(|e| self.db_err(e))? {
            if let Some(tick) = codec::u64_from_bytes(&tick) {
                t.access
                    .remove(tick_entry(tick, id))
                    .map_err(|e| self.db_err(e))?;
            }
        }
        Ok(())
    }

    /// Marks `id` as just used.
    pub(crate) fn touch(&self, id: CustomerId) -> Result<(), CacheError> {
        let access = &self.trees.access;
        let tick = self.next_tick();
        let old = access
            .insert(id_entry(id), &codec::u64_key(tick))
            .map_err(|e| self.db_err(e))?;
        if let Some(old_tick) = old.as_deref().and_then(codec::u64_from_bytes) {
            access
                .remove(tick_entry(old_tick, id))
                .map_err(|e| self.db_err(e))?;
        }
        access
            .insert(tick_entry(tick, id), &[])
            .map_err(|e| self.db_err(e))?;
        Ok(())
    }

    pub(crate) fn next_tick(&self) -> u64 {
        self.tick.fetch_add(1, Ordering::Relaxed)
    }

    /// Whether data stored at `stored_at` is past the TTL at `now`.
    pub(crate) fn is_expired(&self, stored_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        match TimeDelta::from_std(self.options.customer_ttl)
            .ok()
            .and_then(|ttl| stored_at.checked_add_signed(ttl))
        {
            Some(expires) => expires <= now,
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{customer, open_tmp, open_tmp_with, suggestions};
    use super::super::CacheOptions;
    use super::*;
    use crate::api::TimelinePage;
    use std::time::Duration;

    fn fill(cache: &Cache, id: i64) {
        cache.put_customer(&customer(id)).unwrap();
        let page = TimelinePage {
            events: vec![],
            next_before: None,
        };
        cache.put_timeline(CustomerId(id), &page).unwrap();
        cache
            .put_suggestions(CustomerId(id), &suggestions("offer"))
            .unwrap();
    }

    #[test]
    fn ttl_purge_removes_old_customer_data_only() {
        let (_tmp, opened) = open_tmp_with(CacheOptions {
            customer_ttl: Duration::from_secs(3600),
            ..CacheOptions::default()
        });
        let cache = opened.cache;
        fill(&cache, 1);
        fill(&cache, 2);
        cache
            .save_draft("form", &serde_json::json!({"note": "typed"}))
            .unwrap();
        let now = Utc::now();

        assert_eq!(
            cache.purge_expired(now + TimeDelta::minutes(30)).unwrap(),
            0
        );
        assert!(cache.customer(CustomerId(1)).unwrap().is_some());

        assert_eq!(
            cache.purge_expired(now + TimeDelta::minutes(61)).unwrap(),
            6
        );
        for id in [1, 2] {
            assert!(cache.customer(CustomerId(id)).unwrap().is_none());
            assert!(cache.timeline(CustomerId(id)).unwrap().is_none());
            assert!(cache.suggestions(CustomerId(id)).unwrap().is_none());
        }
        assert_eq!(cache.customers_tracked().unwrap(), 0);
        assert_eq!(cache.trees.access.len(), 0, "LRU index left behind");
        assert_eq!(cache.drafts().unwrap().len(), 1, "drafts are not purged");
    }

    #[test]
    fn expired_data_is_not_served_even_before_the_purge() {
        let (_tmp, opened) = open_tmp_with(CacheOptions {
            customer_ttl: Duration::ZERO,
            ..CacheOptions::default()
        });
        opened.cache.put_customer(&customer(1)).unwrap();
        assert!(opened.cache.customer(CustomerId(1)).unwrap().is_none());
    }

    #[test]
    fn lru_eviction_removes_least_recently_used_customers_with_their_data() {
        let (_tmp, opened) = open_tmp();
        let cache = opened.cache;
        for id in 1..=5 {
            fill(&cache, id);
        }
        // Use 1 and 3 again: 2, 4, 5 are now the oldest, in that order.
        cache.customer(CustomerId(1)).unwrap().unwrap();
        cache.customer(CustomerId(3)).unwrap().unwrap();

        assert_eq!(cache.evict_to(5).unwrap(), 0);
        assert_eq!(cache.evict_to(3).unwrap(), 2);
        for gone in [2, 4] {
            assert!(
                cache.customer(CustomerId(gone)).unwrap().is_none(),
                "{gone}"
            );
            assert!(cache.timeline(CustomerId(gone)).unwrap().is_none());
            assert!(cache.suggestions(CustomerId(gone)).unwrap().is_none());
        }
        assert_eq!(cache.customers_tracked().unwrap(), 3);
        for kept in [5, 1, 3] {
            assert!(
                cache.timeline(CustomerId(kept)).unwrap().is_some(),
                "{kept}"
            );
        }
        // Now 5, 1, 3 were read in that order: 5 goes first.
        assert_eq!(cache.evict_to(2).unwrap(), 1);
        assert!(cache.customer(CustomerId(5)).unwrap().is_none());
        assert_eq!(
            cache.trees.access.len(),
            4,
            "two customers, two entries each"
        );
    }

    #[test]
    fn lru_order_survives_reopen() {
        let (tmp, opened) = open_tmp();
        for id in 1..=3 {
            fill(&opened.cache, id);
        }
        opened.cache.customer(CustomerId(1)).unwrap().unwrap();
        drop(opened);
        let cache = super::super::testutil::reopen(tmp.path()).cache;
        fill(&cache, 4);
        assert_eq!(cache.evict_to(2).unwrap(), 2);
        assert!(cache.customer(CustomerId(2)).unwrap().is_none());
        assert!(cache.customer(CustomerId(3)).unwrap().is_none());
        assert!(cache.customer(CustomerId(1)).unwrap().is_some());
        assert!(cache.customer(CustomerId(4)).unwrap().is_some());
    }

    #[test]
    fn maintain_applies_the_configured_cap() {
        let (_tmp, opened) = open_tmp_with(CacheOptions {
            max_customers: 2,
            ..CacheOptions::default()
        });
        for id in 1..=4 {
            fill(&opened.cache, id);
        }
        let done = opened.cache.maintain(Utc::now()).unwrap();
        assert_eq!(
            done,
            Maintenance {
                expired: 0,
                evicted: 2
            }
        );
    }
}
