//! What every handler can reach: the store, the live floor, the action
//! catalog and the calling code for national phone numbers; at start the
//! floor is rebuilt from today's stored call events.

use super::decide::catalog::Catalog;
use super::floor::{Floor, FloorConfig};
use super::store::{Store, StoreError, StoreResult};
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Calling code for national phone numbers, e.g. "1" or "44".
    pub default_country_code: String,
    pub floor: Floor,
    /// The action catalog the decision service ranks.
    pub catalog: Arc<Catalog>,
}

impl AppState {
    /// The state over `store`, with the floor rebuilt from today's call events.
    pub async fn new(
        store: Store,
        default_country_code: String,
        config: FloorConfig,
    ) -> StoreResult<AppState> {
        let floor = Floor::new(config, store.refdata().await?.queues);
        let now = chrono::Utc::now().timestamp_millis();
        let midnight = now - now.rem_euclid(24 * 3600 * 1000);
        let events = store.call_events_since(midnight).await?;
        floor.restore(&events);
        tracing::info!(
            events = events.len(),
            "floor rebuilt from today's call events"
        );
        let catalog = Catalog::shipped().map_err(|errors| {
            let first = errors.first().map(|e| e.to_string()).unwrap_or_default();
            StoreError::Corrupt(format!("the shipped action catalog: {first}"))
        })?;
        Ok(AppState {
            store,
            default_country_code,
            floor,
            catalog: Arc::new(catalog),
        })
    }
}
