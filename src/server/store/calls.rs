//! Call events from the ACD, one row per (call, kind, seq): the first report
//! of an event is kept and any repeat of it changes nothing.

use super::db::{col, Store, StoreResult};
use super::rows;
use crate::api::CallEvent;
use crate::domain::{AgentId, CallEventKind, CustomerId};
use sqlx::any::AnyRow;

impl Store {
    /// Stores `event` unless one of its call, kind and number is already
    /// stored; returns the stored event and whether it was new.
    pub async fn record_call_event(&self, event: &CallEvent) -> StoreResult<(CallEvent, bool)> {
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO call_events (call_id, kind, queue, caller, customer_id, agent_id, \
             occurred_at_ms, received_at_ms, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (call_id, kind, seq) DO NOTHING",
        )
        .bind(event.call_id.as_str())
        .bind(event.kind.as_str())
        .bind(event.queue.as_str())
        .bind(event.caller.as_deref())
        .bind(event.customer_id.map(|c| c.0))
        .bind(event.agent_id.map(|a| a.0))
        .bind(event.occurred_at.timestamp_millis())
        .bind(event.received_at.timestamp_millis())
        .bind(i64::from(event.seq))
        .execute(&mut *tx.tx)
        .await?
        .rows_affected()
            == 1;
        let row = sqlx::query(&format!(
            "{SELECT} WHERE call_id = $1 AND kind = $2 AND seq = $3"
        ))
        .bind(event.call_id.as_str())
        .bind(event.kind.as_str())
        .bind(i64::from(event.seq))
        .fetch_one(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok((call_event_from_row(&row)?, inserted))
    }

    /// Every call event that happened at or after `from_ms`, oldest first.
    pub async fn call_events_since(&self, from_ms: i64) -> StoreResult<Vec<CallEvent>> {
        sqlx::query(&format!(
            "{SELECT} WHERE occurred_at_ms >= $1 ORDER BY occurred_at_ms, call_id, kind, seq"
        ))
        .bind(from_ms)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(call_event_from_row)
        .collect()
    }
}

const SELECT: &str = "SELECT call_id, kind, queue, caller, customer_id, agent_id, occurred_at_ms, \
                      received_at_ms, seq FROM call_events";

fn call_event_from_row(row: &AnyRow) -> StoreResult<CallEvent> {
    Ok(CallEvent {
        call_id: col(row, "call_id")?,
        kind: rows::parsed(
            &col::<String>(row, "kind")?,
            "call kind",
            CallEventKind::parse,
        )?,
        queue: col(row, "queue")?,
        caller: col(row, "caller")?,
        customer_id: col::<Option<i64>>(row, "customer_id")?.map(CustomerId),
        agent_id: col::<Option<i64>>(row, "agent_id")?.map(AgentId),
        occurred_at: rows::time(col(row, "occurred_at_ms")?)?,
        received_at: rows::time(col(row, "received_at_ms")?)?,
        key_account_manager: None,
        seq: u32::try_from(col::<i64>(row, "seq")?).unwrap_or(0),
    })
}
