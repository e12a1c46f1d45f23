//! Who looked at whom: keeping the views the view log hands over in
//! batches (`audit.rs` reads them back).

use super::db::{Store, StoreResult};
use super::multirow::{insert_rows, Val};
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
}
