//! The server's idea of now. `serve` reads the system clock; the population
//! simulator runs a server on a clock it moves itself, so months of contacts
//! (and the contact policies, and forgetting) pass in minutes.

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub enum Clock {
    #[default]
    System,
    /// Milliseconds since the epoch, moved by whoever holds the clock.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A clock standing at `at` until it is moved.
    pub fn manual(at: DateTime<Utc>) -> Clock {
        Clock::Manual(Arc::new(AtomicI64::new(at.timestamp_millis())))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Manual(ms) => {
                DateTime::from_timestamp_millis(ms.load(Ordering::SeqCst)).unwrap_or_default()
            }
        }
    }

    /// Moves a manual clock on by `ms` (the system clock moves itself).
    pub fn advance(&self, ms: i64) {
        if let Clock::Manual(at) = self {
            at.fetch_add(ms, Ordering::SeqCst);
        }
    }
}
