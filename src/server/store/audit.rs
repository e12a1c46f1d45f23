//! Reading the audit log: who did what to which customer, and how it ended.

use super::db::{col, Store, StoreResult};
use super::rows;
use crate::api::AuditEntry;
use crate::domain::{AgentId, CustomerId};

impl Store {
    /// Newest first, optionally for one customer.
    pub async fn audit_log(
        &self,
        customer: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        let filter = if customer.is_some() {
            "WHERE customer_id = $2"
        } else {
            ""
        };
        let sql = format!(
            "SELECT id, at_ms, agent_id, action, customer_id, outcome, detail FROM audit \
             {filter} ORDER BY id DESC LIMIT $1"
        );
        let mut query = sqlx::query(&sql).bind(i64::from(limit));
        if let Some(c) = customer {
            query = query.bind(c.0);
        }
        query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: col(r, "id")?,
                    at: rows::time(col(r, "at_ms")?)?,
                    agent_id: AgentId(col(r, "agent_id")?),
                    action: col(r, "action")?,
                    customer_id: CustomerId(col(r, "customer_id")?),
                    outcome: col(r, "outcome")?,
                    detail: col(r, "detail")?,
                })
            })
            .collect()
    }
}
