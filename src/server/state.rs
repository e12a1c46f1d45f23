//! What every handler can reach: the store, the live floor and the calling
//! code for national phone numbers; at start the floor is rebuilt from today's
//! stored call events.

use super::floor::{Floor, FloorConfig};
use super::store::{Store, StoreResult};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Calling code for national phone numbers, e.g. "1" or "44".
    pub default_country_code: String,
    pub floor: Floor,
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
        Ok(AppState {
            store,
            default_country_code,
            floor,
        })
    }
}
