//! Turning stored columns back into domain values. A value the domain cannot read
//! (an unknown channel, a bad currency) is reported as corrupt data, not a panic.

use super::db::{StoreError, StoreResult};
use crate::domain::{Channel, Currency, Money};
use chrono::{DateTime, Utc};

pub(super) fn time(ms: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Corrupt(format!("timestamp {ms} out of range")))
}

pub(super) fn currency(code: &str) -> StoreResult<Currency> {
    Currency::parse(code).ok_or_else(|| StoreError::Corrupt(format!("currency `{code}`")))
}

pub(super) fn money(minor: i64, code: &str) -> StoreResult<Money> {
    Ok(Money::new(minor, currency(code)?))
}

/// Parses a stored enum value with its `parse` function.
pub(super) fn parsed<T>(value: &str, what: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    parse(value).ok_or_else(|| StoreError::Corrupt(format!("{what} `{value}`")))
}

/// Channels stored as their wire names, comma-separated (`""`: none).
pub(super) fn channels(stored: &str) -> StoreResult<Vec<Channel>> {
    stored
        .split(',')
        .filter(|name| !name.is_empty())
        .map(|name| parsed(name, "channel", Channel::parse))
        .collect()
}

/// The stored form of `channels`.
pub(super) fn channels_text(channels: &[Channel]) -> String {
    let names: Vec<&str> = channels.iter().map(Channel::as_str).collect();
    names.join(",")
}

/// A stored `YYYY-MM-DD` date.
pub(super) fn date(stored: &str) -> StoreResult<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(stored, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("date `{stored}`")))
}

/// The stored form of a date.
pub(super) fn date_text(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}
