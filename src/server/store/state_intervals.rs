//! Agent-state intervals: how long each agent was available, on a contact,
//! in wrap-up or not ready, as the floor closed them. Written once each
//! (agent and start are the key), for `switchboard export agent-states`.

use super::db::{Store, StoreResult};
use super::multirow::{insert_rows_then, Val};
use crate::server::floor::StateInterval;

impl Store {
    /// Records `intervals`; one already recorded is left as it is.
    pub async fn record_state_intervals(&self, intervals: &[StateInterval]) -> StoreResult<()> {
        if intervals.is_empty() {
            return Ok(());
        }
        let now = self.now().timestamp_millis();
        let rows = intervals
            .iter()
            .map(|i| {
                vec![
                    Val::Int(i.agent.0),
                    Val::Text(i.state.as_str().to_string()),
                    Val::opt_text(&i.reason),
                    Val::Int(i.started_ms),
                    Val::Int(i.ended_ms),
                    Val::Int(now),
                ]
            })
            .collect();
        let mut w = self.begin_write().await?;
        insert_rows_then(
            &mut w.tx,
            self.backend(),
            "agent_state_intervals",
            &[
                "agent_id",
                "state",
                "reason",
                "started_ms",
                "ended_ms",
                "recorded_at_ms",
            ],
            rows,
            "ON CONFLICT (agent_id, started_ms) DO NOTHING",
        )
        .await?;
        w.commit().await
    }
}
