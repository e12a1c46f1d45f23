//! How values are laid out in the trees. Keys: customer ids and outbox sequence
//! numbers as 8 big-endian bytes (so sled's order is numeric order for sequence
//! numbers). Cached server data: an 8-byte big-endian `stored_at` (milliseconds
//! since the Unix epoch, UTC) followed by the value as serde_json, so expiry can
//! be checked without parsing the value. Everything else is plain serde_json.

use crate::domain::CustomerId;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A value from the cache with the time it was stored, so the desk can show how
/// old it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cached<T> {
    pub value: T,
    pub stored_at: DateTime<Utc>,
}

impl<T> Cached<T> {
    /// How long ago the value was stored (zero if `stored_at` is in the future).
    pub fn age(&self, now: DateTime<Utc>) -> chrono::TimeDelta {
        (now - self.stored_at).max(chrono::TimeDelta::zero())
    }
}

pub(crate) fn id_key(id: CustomerId) -> [u8; 8] {
    id.0.to_be_bytes()
}

pub(crate) fn id_from_key(key: &[u8]) -> Option<CustomerId> {
    let bytes: [u8; 8] = key.try_into().ok()?;
    Some(CustomerId(i64::from_be_bytes(bytes)))
}

pub(crate) fn u64_key(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

pub(crate) fn u64_from_bytes(bytes: &[u8]) -> Option<u64> {
    let bytes: [u8; 8] = bytes.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

/// `stored_at` then the JSON of `value`.
pub(crate) fn encode_stamped<T: Serialize + ?Sized>(
    stored_at: DateTime<Utc>,
    value: &T,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = stored_at.timestamp_millis().to_be_bytes().to_vec();
    serde_json::to_writer(&mut out, value)?;
    Ok(out)
}

/// The `stored_at` of a stamped value, without decoding the rest.
pub(crate) fn stamp_of(bytes: &[u8]) -> Result<DateTime<Utc>, String> {
    let head: [u8; 8] = bytes
        .get(..8)
        .and_then(|h| h.try_into().ok())
        .ok_or_else(|| {
            format!(
                "value is {} bytes, shorter than its time stamp",
                bytes.len()
            )
        })?;
    let millis = i64::from_be_bytes(head);
    DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| format!("time stamp {millis} is out of range"))
}

pub(crate) fn decode_stamped<T: DeserializeOwned>(bytes: &[u8]) -> Result<Cached<T>, String> {
    let stored_at = stamp_of(bytes)?;
    let value = decode_json(&bytes[8..])?;
    Ok(Cached { value, stored_at })
}

/// serde_json with the path of the field that failed in the message.
pub(crate) fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamped_values_round_trip_and_bad_ones_are_reported() {
        let at = DateTime::from_timestamp_millis(1_700_000_000_123).unwrap_or_default();
        let bytes = encode_stamped(at, &vec![1, 2, 3]).unwrap_or_default();
        let back: Cached<Vec<i32>> = decode_stamped(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.value, vec![1, 2, 3]);
        assert_eq!(back.stored_at, at);
        assert!(decode_stamped::<Vec<i32>>(b"short").is_err());
        let mut wrong = bytes.clone();
        wrong.truncate(10);
        assert!(decode_stamped::<Vec<i32>>(&wrong).is_err());
        assert!(decode_stamped::<String>(&bytes).is_err());
    }

    #[test]
    fn keys_sort_numerically() {
        assert!(u64_key(2) < u64_key(10));
        assert_eq!(u64_from_bytes(&u64_key(77)), Some(77));
        assert_eq!(id_from_key(&id_key(CustomerId(-5))), Some(CustomerId(-5)));
        assert_eq!(id_from_key(b"abc"), None);
    }
}
