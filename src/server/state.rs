//! What every handler can reach: the store, the live floor, the action
//! catalog and the calling code for national phone numbers; at start the
//! floor is rebuilt from today's stored call events, or on PostgreSQL from
//! the day's shared event log as the server joins the other replicas.

use super::decide::catalog::Catalog;
use super::decide::learn::posterior::Decay;
use super::decision_log::DecisionLog;
use super::fanout::Replica;
use super::floor::{Floor, FloorConfig};
use super::store::{Backend, Store, StoreError};
use crate::configfile::ConfigError;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Calling code for national phone numbers, e.g. "1" or "44".
    pub default_country_code: String,
    pub floor: Floor,
    /// Where this server stands among the replicas sharing its database.
    pub replica: Arc<Replica>,
    /// The action catalog the decision service ranks.
    pub catalog: Arc<Catalog>,
    /// How learned evidence decays (the landmark the store keeps, and the
    /// catalog's half-life).
    pub decay: Decay,
    /// Decisions still being saved.
    pub decisions: DecisionLog,
    /// What a connection and a request may take (`serve` flags).
    pub limits: super::transport::Limits,
    /// Who read which customer, kept off the read's path.
    pub views: super::view_log::ViewLog,
}

impl AppState {
    /// The state over `store`, with the floor rebuilt from today's call
    /// events. Refuses a catalog that names a disposition or escalation
    /// target this database does not have: every suggestion acted on would
    /// fail at the wrap-up.
    pub async fn new(
        store: Store,
        default_country_code: String,
        config: FloorConfig,
        catalog: Catalog,
    ) -> Result<AppState, StartError> {
        let refdata = store.refdata().await?;
        let unknown = catalog.check_codes(&refdata);
        if !unknown.is_empty() {
            return Err(StartError::Catalog(unknown));
        }
        let decay = store
            .prepare_models(catalog.settings.half_life_days)
            .await?;
        let floor = Floor::new(config, refdata.queues);
        let now = chrono::Utc::now().timestamp_millis();
        let midnight = now - now.rem_euclid(24 * 3600 * 1000);
        // Replicas rebuild the floor from the day's event log, which has
        // the agents' states too; a single server (or a log begun today)
        // from the stored call events.
        let replicated = store.backend() == Backend::Postgres;
        let log_start = if replicated {
            store.floor_log_before(midnight).await?
        } else {
            0
        };
        if !replicated || log_start == store.floor_log_latest().await? {
            let events = store.call_events_since(midnight).await?;
            floor.restore(&events);
            tracing::info!(
                events = events.len(),
                "floor rebuilt from today's call events"
            );
        }
        let replica = if replicated {
            super::fanout::join(store.clone(), floor.clone(), log_start).await?
        } else {
            Replica::alone()
        };
        let views = super::view_log::ViewLog::start(store.clone());
        Ok(AppState {
            store,
            default_country_code,
            floor,
            replica,
            catalog: Arc::new(catalog),
            decay,
            decisions: DecisionLog::default(),
            limits: super::transport::Limits::default(),
            views,
        })
    }
}

impl AppState {
    /// Says, for each organisation a business caller acts for, whether its
    /// key-account manager could take them now.
    pub fn managers_on_the_floor(&self, customer: &mut crate::domain::Customer) {
        for a in &mut customer.acts_for {
            if let Some(manager) = &mut a.key_account_manager {
                manager.state = Some(self.floor.state_of(manager.agent_id));
            }
        }
    }
}

/// Why a server could not start over its store.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the action catalog names codes this database does not have:\n{}\nAdd them to the reference data, or change the catalog (check it with `switchboard check-config --actions FILE`).", lines(.0))]
    Catalog(Vec<ConfigError>),
}

fn lines(errors: &[ConfigError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}
