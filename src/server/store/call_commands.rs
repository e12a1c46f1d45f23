//! Call commands: what desks asked the ACD to do with calls (hold, resume,
//! hang up, transfer). Kept so that a transferred call's new leg finds who
//! handed it on and why, and so a transfer is in the customer's timeline.

use super::db::{col, Store, StoreResult};
use super::tx::{timeline_event, TimelineRow};
use crate::api::{CallCommand, TransferContext, TransferOrder, MAX_CALL_ID};
use crate::domain::{AgentId, CallAction, Channel, CustomerId, EventKind};

/// A command to store.
pub struct NewCommand<'a> {
    pub call_id: &'a str,
    pub action: CallAction,
    /// The agent on the call.
    pub agent_id: AgentId,
    pub requested_by: AgentId,
    /// The hold's number, for `hold` and `resume`.
    pub seq: u32,
    pub customer_id: Option<CustomerId>,
    pub from_queue: &'a str,
    pub transfer: Option<Transfer<'a>>,
}

/// Where a transfer goes and what it carries.
pub struct Transfer<'a> {
    pub to_agent_id: Option<AgentId>,
    pub to_queue: &'a str,
    pub warm: bool,
    pub note: &'a str,
    pub notes: &'a str,
    /// For the timeline: "Alex Kim".
    pub by_name: &'a str,
}

impl Store {
    /// Stores a command and returns it as the ACD is sent it. A transfer's
    /// new leg is called `t{id}-{call id}` (cut to the longest call id) and
    /// the transfer is added to the caller's timeline.
    pub async fn record_call_command(&self, c: NewCommand<'_>) -> StoreResult<CallCommand> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let t = c.transfer.as_ref();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO call_commands (call_id, action, agent_id, requested_by, seq, customer_id, \
             from_queue, to_agent_id, to_queue, warm, note, notes, issued_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(c.call_id)
        .bind(c.action.as_str())
        .bind(c.agent_id.0)
        .bind(c.requested_by.0)
        .bind(i64::from(c.seq))
        .bind(c.customer_id.map(|id| id.0))
        .bind(c.from_queue)
        .bind(t.and_then(|t| t.to_agent_id).map(|a| a.0))
        .bind(t.map(|t| t.to_queue))
        .bind(i64::from(t.is_some_and(|t| t.warm)))
        .bind(t.map_or("", |t| t.note))
        .bind(t.map_or("", |t| t.notes))
        .bind(now.timestamp_millis())
        .fetch_one(&mut *tx.tx)
        .await?;
        let order = match t {
            None => None,
            Some(t) => {
                let prefix = format!("t{id}-");
                let keep = MAX_CALL_ID.saturating_sub(prefix.len());
                let new_call_id = format!("{prefix}{}", &c.call_id[..c.call_id.len().min(keep)]);
                sqlx::query("UPDATE call_commands SET new_call_id = $1 WHERE id = $2")
                    .bind(&new_call_id)
                    .bind(id)
                    .execute(&mut *tx.tx)
                    .await?;
                if let Some(customer) = c.customer_id {
                    let summary = format!(
                        "Transferred by {} · {} → {}: {}",
                        t.by_name, c.from_queue, t.to_queue, t.note
                    );
                    let row = TimelineRow {
                        customer,
                        at: now,
                        channel: Channel::Voice,
                        kind: EventKind::Contact,
                        topic: Some(c.from_queue.to_string()),
                        summary: &summary,
                        detail: None,
                        agent: t.by_name,
                        outcome: "transferred",
                        amount: None,
                    };
                    timeline_event(&mut tx.tx, row).await?;
                }
                Some(TransferOrder {
                    new_call_id,
                    to_agent_id: t.to_agent_id,
                    to_queue: t.to_queue.to_string(),
                    warm: t.warm,
                })
            }
        };
        tx.commit().await?;
        Ok(CallCommand {
            id,
            call_id: c.call_id.to_string(),
            action: c.action,
            agent_id: c.agent_id,
            requested_by: c.requested_by,
            seq: c.seq,
            transfer: order,
            issued_at: now,
        })
    }

    /// The transfer whose new leg is `new_call_id`, if it is one.
    pub async fn transfer_into(&self, new_call_id: &str) -> StoreResult<Option<TransferContext>> {
        let row = sqlx::query(
            "SELECT c.agent_id, a.name, c.from_queue, c.to_queue, c.warm, c.note, c.notes \
             FROM call_commands c JOIN agents a ON a.id = c.agent_id WHERE c.new_call_id = $1",
        )
        .bind(new_call_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(TransferContext {
            from_agent_id: AgentId(col(&row, "agent_id")?),
            from_agent_name: col(&row, "name")?,
            from_queue: col(&row, "from_queue")?,
            to_queue: col::<Option<String>>(&row, "to_queue")?.unwrap_or_default(),
            warm: col::<i64>(&row, "warm")? != 0,
            note: col(&row, "note")?,
            notes: col(&row, "notes")?,
        }))
    }

    /// The last transfer asked for on `call_id`: its new leg's id.
    pub async fn transfer_of(&self, call_id: &str) -> StoreResult<Option<String>> {
        let id: Option<Option<String>> = sqlx::query_scalar(
            "SELECT new_call_id FROM call_commands WHERE call_id = $1 AND action = $2 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(call_id)
        .bind(CallAction::Transfer.as_str())
        .fetch_optional(self.pool())
        .await?;
        Ok(id.flatten())
    }
}
