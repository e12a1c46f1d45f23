//! Reading the audit logs: who did what to which customer and how it ended,
//! and who read which customer (the views `views.rs` keeps), newest first.

use super::db::{col, Store, StoreResult};
use super::rows;
use crate::api::AuditEntry;
use crate::domain::{AgentId, CustomerId};
use sqlx::any::AnyRow;

impl Store {
    /// What was done, newest first, optionally to one customer.
    pub async fn audit_log(
        &self,
        customer: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        let select = "SELECT id, at_ms, agent_id, action, customer_id, outcome, detail FROM audit";
        self.newest(select, customer, limit)
            .await?
            .iter()
            .map(|r| entry(r, col(r, "action")?, col(r, "outcome")?, col(r, "detail")?))
            .collect()
    }

    /// Who read what, newest first, optionally of one customer: entries
    /// `view.profile` and so on, `viewed`.
    pub async fn view_log(
        &self,
        customer: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        let select = "SELECT id, at_ms, agent_id, customer_id, what FROM views";
        self.newest(select, customer, limit)
            .await?
            .iter()
            .map(|r| {
                let action = format!("view.{}", col::<String>(r, "what")?);
                entry(r, action, "viewed".into(), String::new())
            })
            .collect()
    }

    /// The newest `limit` rows of `select` (a `SELECT … FROM` one table with
    /// `id` and `customer_id`), of `customer` when given.
    async fn newest(
        &self,
        select: &str,
        customer: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<AnyRow>> {
        let filter = match customer {
            Some(_) => "WHERE customer_id = $2",
            None => "",
        };
        let sql = format!("{select} {filter} ORDER BY id DESC LIMIT $1");
        let mut query = sqlx::query(&sql).bind(i64::from(limit));
        if let Some(c) = customer {
            query = query.bind(c.0);
        }
        Ok(query.fetch_all(self.pool()).await?)
    }
}

/// An entry of row `r` (its id, time, agent and customer) saying `action`.
fn entry(r: &AnyRow, action: String, outcome: String, detail: String) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        id: col(r, "id")?,
        at: rows::time(col(r, "at_ms")?)?,
        agent_id: AgentId(col(r, "agent_id")?),
        action,
        customer_id: CustomerId(col(r, "customer_id")?),
        outcome,
        detail,
    })
}
