//! Small helpers the generators share: drawing from tables and distributions,
//! each customer's own random stream, and times as UTC epoch milliseconds
//! relative to the seed's anchor.

use crate::domain::CustomerId;
use chrono::{Days, NaiveDate, NaiveTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Milliseconds in an hour and in a day.
pub(super) const HOUR_MS: i64 = 3_600_000;
pub(super) const DAY_MS: i64 = 24 * HOUR_MS;

/// The random stream of one customer.
pub(super) fn customer_rng(seed: u64, id: CustomerId) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(id.0 as u64);
    rng
}

/// A standard normal sample (Box–Muller).
pub(super) fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = 1.0 - rng.gen::<f64>(); // (0, 1]: the logarithm stays finite
    let u2 = rng.gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// One item of a non-empty slice.
pub(super) fn pick<'t, T>(rng: &mut ChaCha8Rng, items: &'t [T]) -> &'t T {
    &items[rng.gen_range(0..items.len())]
}

/// One item of a non-empty slice, with chances proportional to the weights.
pub(super) fn pick_weighted<'t, T>(rng: &mut ChaCha8Rng, items: &'t [(T, u32)]) -> &'t T {
    let total: u32 = items.iter().map(|(_, weight)| weight).sum();
    let mut roll = rng.gen_range(0..total.max(1));
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= weight;
    }
    &items[items.len() - 1].0
}

/// A time between `from_ms` and `to_ms` (whole seconds), more often recent.
pub(super) fn recent_biased_time(rng: &mut ChaCha8Rng, from_ms: i64, to_ms: i64) -> i64 {
    if to_ms <= from_ms {
        return to_ms;
    }
    let back = (to_ms - from_ms) as f64 * rng.gen::<f64>().powf(1.5);
    let at = to_ms - back as i64;
    (at - at.rem_euclid(1_000)).max(from_ms)
}

/// Midnight UTC at the start of `date`, in epoch milliseconds.
pub(super) fn midnight_ms(date: NaiveDate) -> i64 {
    date.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

/// The date `days` days before `anchor` (the anchor itself if that is out of range).
pub(super) fn days_before(anchor: NaiveDate, days: u64) -> NaiveDate {
    anchor.checked_sub_days(Days::new(days)).unwrap_or(anchor)
}
