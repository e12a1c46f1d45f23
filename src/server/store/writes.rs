//! The write path inside the store: the three writes an agent makes
//! (`interactions.rs`, `escalations.rs`, `waivers.rs`), the two for an
//! unknown caller (`newcomers.rs`) and a supervisor's decision on an
//! approval (`approvals.rs`). Each runs in one transaction that
//! checks the request against the data, records it, adds its timeline event and
//! audit entry, and stores the response with the idempotency key. A refused
//! write leaves only its audit entry (and the stored refusal, so a retry gets
//! the same answer).

use super::db::{Store, StoreResult};
use super::requests::{StoredResponse, WriteOutcome};
use super::tx::{audit, Ctx, Tx};
use super::{approvals, escalations, idempotency, interactions, newcomers, waivers};
use crate::api::Write;
use crate::domain::{Agent, CustomerId};

impl Store {
    /// Runs `request` for `agent` under the idempotency `key` it claimed with
    /// `token`; `render` turns the outcome into the response stored with the key.
    pub async fn write(
        &self,
        agent: &Agent,
        key: &str,
        token: i64,
        request: &Write,
        render: impl Fn(&WriteOutcome) -> StoredResponse,
    ) -> StoreResult<(WriteOutcome, StoredResponse)> {
        let ctx = Ctx {
            agent,
            key,
            now: self.now(),
            backend: self.backend(),
            waiver_rules: self.waiver_rules(),
        };
        let mut tx = self.begin_write().await?;
        let (outcome, customer) = match request {
            Write::Decision(d) => approvals::decide(&mut tx.tx, &ctx, d).await?,
            Write::Interaction(r) => match customer_currency(&mut tx.tx, r.customer_id).await? {
                None => (no_customer(r.customer_id), None),
                Some(_) => (
                    interactions::log_interaction(&mut tx.tx, &ctx, r).await?,
                    Some(r.customer_id),
                ),
            },
            Write::Escalation(r) => match customer_currency(&mut tx.tx, r.customer_id).await? {
                None => (no_customer(r.customer_id), None),
                Some(_) => (
                    escalations::escalate(&mut tx.tx, &ctx, r).await?,
                    Some(r.customer_id),
                ),
            },
            Write::NewCustomer(r) => newcomers::create(&mut tx.tx, &ctx, r).await?,
            Write::AddPhone(w) => match self.customer(w.customer_id).await? {
                None => (no_customer(w.customer_id), None),
                Some(customer) => newcomers::add_phone(&mut tx.tx, &ctx, w, customer).await?,
            },
            Write::FeeWaiver(r) => match customer_currency(&mut tx.tx, r.customer_id).await? {
                None => (no_customer(r.customer_id), None),
                Some(currency) => (
                    waivers::waive(&mut tx.tx, &ctx, r, &currency).await?,
                    Some(r.customer_id),
                ),
            },
        };
        let response = render(&outcome);
        match &outcome {
            // Nothing is kept: the transaction rolls back when dropped.
            WriteOutcome::Invalid { .. } => return Ok((outcome, response)),
            WriteOutcome::Refused { reason, .. } => {
                // A rule may refuse after earlier changes in this transaction
                // (one fee of several changed meanwhile): undo them all, and keep
                // only the audit entry and the stored refusal.
                drop(tx);
                tx = self.begin_write().await?;
                // Every refusal concerns a known customer (a decision refuses
                // only after it has found its item); audit entries name one.
                if let Some(customer) = customer {
                    audit(
                        &mut tx.tx,
                        &ctx,
                        request.action_name(),
                        customer,
                        "refused",
                        reason,
                    )
                    .await?;
                }
            }
            _ => {}
        }
        idempotency::complete(
            &mut tx.tx,
            agent.id,
            key,
            token,
            response.status,
            &response.body,
        )
        .await?;
        tx.commit().await?;
        Ok((outcome, response))
    }
}

fn no_customer(id: CustomerId) -> WriteOutcome {
    WriteOutcome::missing("customer_id", format!("no customer with id {id}"))
}

async fn customer_currency(tx: &mut Tx, id: CustomerId) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT currency FROM customers WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await?,
    )
}
