//! Who looked at whom: the views the view log hands over in batches, and
//! reading them back for the audit (newest first).

use super::db::{col, Store, StoreResult};
use super::multirow::{insert_rows, Val};
use super::rows;
use crate::api::AuditEntry;
use crate::domain::{AgentId, CustomerId};

/// One read of a customer's data by an agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub at_ms: i64,
    pub agent: AgentId,
    pub customer: CustomerId,
    /// `profile`, `timeline`, `account` or `account_timeline`.
    pub what: &'static str,
}

impl Store {
    /// Keeps `views`, all in one transaction.
    pub async fn save_views(&self, views: &[View]) -> StoreResult<()> {
        if views.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let rows = views
            .iter()
            .map(|v| {
                vec![
                    Val::Int(v.at_ms),
                    Val::Int(v.agent.0),
                    Val::Int(v.customer.0),
                    Val::Text(v.what.to_string()),
                ]
            })
            .collect();
        insert_rows(
            &mut tx.tx,
            self.backend(),
            "views",
            &["at_ms", "agent_id", "customer_id", "what"],
            rows,
        )
        .await?;
        tx.commit().await
    }

    /// The newest views, of `customer` when given, as audit entries
    /// (`view.profile` and so on).
    pub async fn view_log(
        &self,
        customer: Option<CustomerId>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        let filter = match customer {
            Some(_) => "WHERE customer_id = $2",
            None => "",
        };
        let sql = format!(
            "SELECT id, at_ms, agent_id, customer_id, what FROM views {filter} \
             ORDER BY id DESC LIMIT $1"
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
                    action: format!("view.{}", col::<String>(r, "what")?),
                    customer_id: CustomerId(col(r, "customer_id")?),
                    outcome: "viewed".into(),
                    detail: String::new(),
                })
            })
            .collect()
    }
}
