//! Decisions on their way into the log. The suggestions route saves each off
//! the answer's path; an interaction that answers one waits, briefly, until
//! it is there, so its outcomes join it (and teach the model) even when the
//! wrap-up comes a moment after the suggestions.

use super::store::{DecisionRecord, Store};
use crate::domain::DecisionId;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The longest an interaction waits for a decision it names.
const WAIT_AT_MOST: Duration = Duration::from_secs(2);

#[derive(Clone, Default)]
pub struct DecisionLog {
    saving: Arc<Mutex<HashSet<i64>>>,
}

impl DecisionLog {
    /// Saves `record` in the background.
    pub fn save(&self, store: Store, record: DecisionRecord) {
        let id = record.id.0;
        for item in record.items.iter().filter(|i| i.shown) {
            super::metrics::decided(&item.action);
        }
        self.set().insert(id);
        let log = self.clone();
        tokio::spawn(async move {
            if let Err(e) = store.save_decision(&record).await {
                tracing::warn!(error = %e, "a decision could not be kept in the log");
            }
            log.set().remove(&id);
        });
    }

    /// Returns once none of `ids` is still being saved (or after a while).
    pub async fn settled(&self, ids: impl Iterator<Item = DecisionId>) {
        let ids: Vec<i64> = ids.map(|d| d.0).collect();
        let deadline = tokio::time::Instant::now() + WAIT_AT_MOST;
        while ids.iter().any(|id| self.set().contains(id)) {
            if tokio::time::Instant::now() >= deadline {
                tracing::warn!("an interaction went ahead before its decision was logged");
                return;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    fn set(&self) -> std::sync::MutexGuard<'_, HashSet<i64>> {
        // A panic while holding this lock leaves a plain set behind: use it.
        self.saving
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
