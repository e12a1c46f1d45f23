//! What every write shares inside its transaction: the transaction itself, who
//! is writing under which key (`Ctx`), and the timeline event and audit entry a
//! write adds.

use super::db::{Backend, StoreResult};
use crate::domain::authority::CumulativeRules;
use crate::domain::{Agent, Channel, CustomerId, EventKind, Money};
use chrono::{DateTime, Utc};
use sqlx::{Any, Transaction};

/// A write's transaction.
pub(super) type Tx = Transaction<'static, Any>;

/// Who is writing, under which key, and when.
pub(super) struct Ctx<'a> {
    pub agent: &'a Agent,
    pub key: &'a str,
    pub now: DateTime<Utc>,
    pub backend: Backend,
    pub waiver_rules: CumulativeRules,
}

/// The customer's timeline event a write adds.
pub(super) struct TimelineRow<'a> {
    pub customer: CustomerId,
    pub at: DateTime<Utc>,
    pub channel: Channel,
    pub kind: EventKind,
    pub topic: Option<String>,
    pub summary: &'a str,
    pub detail: Option<&'a str>,
    pub agent: &'a str,
    pub outcome: &'a str,
    pub amount: Option<Money>,
}

/// Adds `e` to the customer's timeline, and to the account's it is for: the
/// customer's own when they are an organisation, else the organisation the
/// contact called for last (none for a consumer).
pub(super) async fn timeline_event(tx: &mut Tx, e: TimelineRow<'_>) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO events (customer_id, at_ms, channel, kind, topic, summary, detail, agent, \
         outcome, amount_minor, currency, organisation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, \
         $8, $9, $10, $11, {})",
        super::organisations::account_of(12, 13)
    ))
    .bind(e.customer.0)
    .bind(e.at.timestamp_millis())
    .bind(e.channel.as_str())
    .bind(e.kind.as_str())
    .bind(e.topic)
    .bind(e.summary)
    .bind(e.detail)
    .bind(e.agent)
    .bind(e.outcome)
    .bind(e.amount.map(|m| m.minor_units))
    .bind(e.amount.map(|m| m.currency.as_str().to_string()))
    .bind(e.customer.0)
    .bind(e.customer.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds the audit entry of `action` on `customer` by the writing agent, under
/// its idempotency key.
pub(super) async fn audit(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    action: &str,
    customer: CustomerId,
    outcome: &str,
    detail: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit (at_ms, agent_id, action, customer_id, outcome, detail, idempotency_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ctx.now.timestamp_millis())
    .bind(ctx.agent.id.0)
    .bind(action)
    .bind(customer.0)
    .bind(outcome)
    .bind(detail)
    .bind(ctx.key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
