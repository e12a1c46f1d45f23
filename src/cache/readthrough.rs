//! Copies of server data for read-through: customer profiles, the first page of
//! each timeline, suggestions and reference data, each stored with the time it
//! was stored so the desk can show how old it is. Customer data older than the
//! TTL is not served (and is purged by `expiry`). None of this is flushed
//! explicitly: it is a copy, and sled writes it out within its flush interval.

use super::codec::{self, Cached};
use super::trees;
use super::{Cache, CacheError};
use crate::api::{Suggestions, TimelinePage};
use crate::domain::{Customer, CustomerId, RefData};
use chrono::Utc;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::Transactional;

const REFDATA_KEY: &[u8] = b"refdata";

impl Cache {
    /// Stores a customer profile as of now.
    pub fn put_customer(&self, customer: &Customer) -> Result<(), CacheError> {
        self.put_for(&self.trees.customers, customer.id, customer)
    }

    /// The cached profile, unless missing or older than the TTL. A value that
    /// does not decode is an error ([`CacheError::BadValue`]), not a miss.
    pub fn customer(&self, id: CustomerId) -> Result<Option<Cached<Customer>>, CacheError> {
        self.get_for(&self.trees.customers, trees::CUSTOMERS, id)
    }

    /// Stores the first (newest) page of a customer's timeline as of now.
    pub fn put_timeline(&self, id: CustomerId, page: &TimelinePage) -> Result<(), CacheError> {
        self.put_for(&self.trees.timelines, id, page)
    }

    pub fn timeline(&self, id: CustomerId) -> Result<Option<Cached<TimelinePage>>, CacheError> {
        self.get_for(&self.trees.timelines, trees::TIMELINES, id)
    }

    /// Stores a customer's ranked suggestions as of now.
    pub fn put_suggestions(&self, id: CustomerId, list: &Suggestions) -> Result<(), CacheError> {
        self.put_for(&self.trees.suggestions, id, list)
    }

    pub fn suggestions(&self, id: CustomerId) -> Result<Option<Cached<Suggestions>>, CacheError> {
        self.get_for(&self.trees.suggestions, trees::SUGGESTIONS, id)
    }

    /// Stores the reference data (pick lists) as of now. It is not customer data:
    /// it has no TTL, and is replaced whenever the server sends it again.
    pub fn put_refdata(&self, refdata: &RefData) -> Result<(), CacheError> {
        let bytes = codec::encode_stamped(Utc::now(), refdata).map_err(|e| self.encode_err(e))?;
        self.trees
            .refdata
            .insert(REFDATA_KEY, bytes)
            .map_err(|e| self.db_err(e))?;
        Ok(())
    }

    pub fn refdata(&self) -> Result<Option<Cached<RefData>>, CacheError> {
        let Some(bytes) = self
            .trees
            .refdata
            .get(REFDATA_KEY)
            .map_err(|e| self.db_err(e))?
        else {
            return Ok(None);
        };
        codec::decode_stamped(&bytes)
            .map(Some)
            .map_err(|d| self.bad_value(trees::REFDATA, "refdata", d))
    }

    /// Up to `limit` cached (unexpired) customers that `keep` accepts, in id
    /// order, without marking them used: the desk's offline pop and the local
    /// search index. A value that does not decode is skipped (`verify` lists it).
    pub fn scan_customers(
        &self,
        keep: impl Fn(&Customer) -> bool,
        limit: usize,
    ) -> Result<Vec<Cached<Customer>>, CacheError> {
        let now = Utc::now();
        let mut out = Vec::new();
        for item in self.trees.customers.iter() {
            let (_, bytes) = item.map_err(|e| self.db_err(e))?;
            let Ok(cached) = codec::decode_stamped::<Customer>(&bytes) else {
                continue;
            };
            if !self.is_expired(cached.stored_at, now) && keep(&cached.value) {
                out.push(cached);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Stores `value` for customer `id` and marks the customer as just used, in
    /// one transaction so the LRU index always knows every customer with data.
    fn put_for<T: Serialize + ?Sized>(
        &self,
        tree: &sled::Tree,
        id: CustomerId,
        value: &T,
    ) -> Result<(), CacheError> {
        let bytes = codec::encode_stamped(Utc::now(), value).map_err(|e| self.encode_err(e))?;
        let key = codec::id_key(id);
        let tick = self.next_tick();
        (tree, &self.trees.access)
            .transaction(|(data, access)| {
                data.insert(&key, bytes.as_slice())?;
                let old = access.insert(&super::expiry::id_entry(id), &codec::u64_key(tick))?;
                if let Some(old_tick) = old.as_deref().and_then(codec::u64_from_bytes) {
                    access.remove(&super::expiry::tick_entry(old_tick, id))?;
                }
                access.insert(&super::expiry::tick_entry(tick, id), &[])?;
                Ok(())
            })
            .map_err(|e: sled::transaction::TransactionError<()>| match e {
                sled::transaction::TransactionError::Storage(e) => self.db_err(e),
                sled::transaction::TransactionError::Abort(()) => self.db_err(
                    sled::Error::ReportableBug("cache transaction aborted without a reason".into()),
                ),
            })
    }

    /// The value for customer `id` in `tree`, if present and not expired; marks
    /// the customer as just used.
    fn get_for<T: DeserializeOwned>(
        &self,
        tree: &sled::Tree,
        name: &'static str,
        id: CustomerId,
    ) -> Result<Option<Cached<T>>, CacheError> {
        let Some(bytes) = tree.get(codec::id_key(id)).map_err(|e| self.db_err(e))? else {
            return Ok(None);
        };
        let cached: Cached<T> =
            codec::decode_stamped(&bytes).map_err(|d| self.bad_value(name, id, d))?;
        if self.is_expired(cached.stored_at, Utc::now()) {
            return Ok(None);
        }
        self.touch(id)?;
        Ok(Some(cached))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{customer, open_tmp, suggestions};
    use super::*;

    #[test]
    fn cached_customer_data_comes_back_with_its_age() {
        let (_tmp, opened) = open_tmp();
        let cache = opened.cache;
        let before = Utc::now();
        assert!(cache.customer(CustomerId(1)).unwrap().is_none());
        cache.put_customer(&customer(1)).unwrap();
        let got = cache.customer(CustomerId(1)).unwrap().unwrap();
        assert_eq!(got.value, customer(1));
        assert!(got.stored_at >= before - chrono::TimeDelta::milliseconds(1));
        assert!(got.age(Utc::now()) < chrono::TimeDelta::seconds(60));

        let page = TimelinePage {
            events: vec![],
            next_before: Some("cursor".into()),
        };
        cache.put_timeline(CustomerId(1), &page).unwrap();
        let got = cache.timeline(CustomerId(1)).unwrap().unwrap();
        assert_eq!(got.value.next_before.as_deref(), Some("cursor"));

        cache
            .put_suggestions(CustomerId(1), &suggestions("Waive the late fee"))
            .unwrap();
        let got = cache.suggestions(CustomerId(1)).unwrap().unwrap();
        assert_eq!(got.value, suggestions("Waive the late fee"));

        assert!(cache.refdata().unwrap().is_none());
        let refdata = RefData {
            dispositions: vec![],
            escalation_reasons: vec![],
            escalation_targets: vec![],
            waiver_reasons: vec![],
            queues: vec![],
            not_ready_reasons: vec![],
        };
        cache.put_refdata(&refdata).unwrap();
        assert_eq!(cache.refdata().unwrap().unwrap().value, refdata);
    }

    #[test]
    fn scanning_finds_cached_customers_without_touching_the_lru() {
        let (_tmp, opened) = open_tmp();
        let cache = opened.cache;
        for id in 1..=5 {
            cache.put_customer(&customer(id)).unwrap();
        }
        let even = cache.scan_customers(|c| c.id.0 % 2 == 0, 10).unwrap();
        let ids: Vec<i64> = even.iter().map(|c| c.value.id.0).collect();
        assert_eq!(ids, vec![2, 4]);
        assert_eq!(cache.scan_customers(|_| true, 3).unwrap().len(), 3);
    }

    #[test]
    fn a_value_that_does_not_decode_is_an_error_not_a_panic() {
        let (_tmp, opened) = open_tmp();
        let cache = opened.cache;
        let mut bytes = Utc::now().timestamp_millis().to_be_bytes().to_vec();
        bytes.extend_from_slice(b"{\"id\": \"not a number\"}");
        cache
            .trees
            .customers
            .insert(codec::id_key(CustomerId(9)), bytes)
            .unwrap();
        let err = cache.customer(CustomerId(9)).unwrap_err();
        assert!(
            matches!(
                err,
                CacheError::BadValue {
                    tree: "customers",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains(&cache.dir().display().to_string()));
    }
}
