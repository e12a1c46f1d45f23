//! Bulk loading for `switchboard seed`: many customers with their phones,
//! e-mails, fees and timeline events in multi-row INSERTs, one transaction per
//! batch; their names are indexed for search (`name_index`) in the same one.

use super::db::{Store, StoreResult};
use super::multirow::{insert_rows, Val};
use super::name_index;
use super::rows;
use crate::domain::{text, Channel, CustomerId, EventKind, FeeKind, Money, Segment};
use chrono::NaiveDate;

/// A customer to insert, with an id chosen by the caller.
#[derive(Debug, Clone)]
pub struct NewCustomer {
    pub id: CustomerId,
    pub name: String,
    pub account_number: String,
    pub segment: Segment,
    pub lifetime_value: Money,
    pub customer_since: NaiveDate,
    pub churn_risk: f64,
    pub language: String,
    pub time_zone: String,
    pub marketing_channels: Vec<Channel>,
    pub balance: Money,
    /// E.164 numbers.
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct NewFee {
    pub customer_id: CustomerId,
    pub kind: FeeKind,
    pub charged_at_ms: i64,
    pub amount: Money,
    pub outstanding: Money,
}

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub customer_id: CustomerId,
    pub at_ms: i64,
    pub channel: Channel,
    pub kind: EventKind,
    pub topic: Option<String>,
    pub summary: String,
    pub detail: Option<String>,
    pub agent: Option<String>,
    pub outcome: Option<String>,
    pub amount: Option<Money>,
}

/// The columns of a customer's own row, in the order loaders give them.
pub(super) const CUSTOMER_COLUMNS: [&str; 12] = [
    "id",
    "name",
    "account_number",
    "segment",
    "ltv_minor",
    "currency",
    "customer_since",
    "churn_risk",
    "language",
    "time_zone",
    "marketing_channels",
    "balance_minor",
];

/// The columns of a timeline event after its customer, in the order
/// loaders give them.
pub(super) const EVENT_COLUMNS: [&str; 10] = [
    "at_ms",
    "channel",
    "kind",
    "topic",
    "summary",
    "detail",
    "agent",
    "outcome",
    "amount_minor",
    "currency",
];

/// Customers' phones and e-mail addresses as rows of their tables.
#[derive(Default)]
pub(super) struct Contacts {
    phones: Vec<Vec<Val>>,
    emails: Vec<Vec<Val>>,
}

impl Contacts {
    /// One customer's numbers (E.164) and addresses, in their order.
    pub(super) fn add(&mut self, id: CustomerId, phones: &[String], emails: &[String]) {
        for (i, phone) in phones.iter().enumerate() {
            self.phones.push(vec![
                Val::Int(id.0),
                Val::Int(i as i64),
                Val::Text(phone.clone()),
            ]);
        }
        for (i, email) in emails.iter().enumerate() {
            self.emails.push(vec![
                Val::Int(id.0),
                Val::Int(i as i64),
                Val::Text(email.clone()),
                Val::Text(text::normalize_email(email)),
            ]);
        }
    }

    /// Inserts them, within the caller's transaction.
    pub(super) async fn insert(
        self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        backend: super::db::Backend,
    ) -> StoreResult<()> {
        let phones = ["customer_id", "position", "e164"];
        insert_rows(tx, backend, "customer_phones", &phones, self.phones).await?;
        let emails = ["customer_id", "position", "email", "email_norm"];
        insert_rows(tx, backend, "customer_emails", &emails, self.emails).await
    }
}

impl Store {
    /// The id the next bulk-loaded customer should get.
    pub async fn next_customer_id(&self) -> StoreResult<CustomerId> {
        let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM customers")
            .fetch_one(self.pool())
            .await?;
        Ok(CustomerId(max.unwrap_or(0) + 1))
    }

    /// Inserts customers with their fees and events in one transaction.
    pub async fn bulk_insert(
        &self,
        customers: &[NewCustomer],
        fees: &[NewFee],
        events: &[NewEvent],
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let mut customer_rows = Vec::with_capacity(customers.len());
        let mut contacts = Contacts::default();
        for c in customers {
            customer_rows.push(vec![
                Val::Int(c.id.0),
                Val::Text(c.name.clone()),
                Val::Text(c.account_number.clone()),
                Val::Text(c.segment.as_str().into()),
                Val::Int(c.lifetime_value.minor_units),
                Val::Text(c.balance.currency.as_str().into()),
                Val::Text(c.customer_since.format("%Y-%m-%d").to_string()),
                Val::Float(c.churn_risk),
                Val::Text(c.language.clone()),
                Val::Text(c.time_zone.clone()),
                Val::Text(rows::channels_text(&c.marketing_channels)),
                Val::Int(c.balance.minor_units),
            ]);
            contacts.add(c.id, &c.phones, &c.emails);
        }
        insert_rows(
            &mut tx.tx,
            self.backend(),
            "customers",
            &CUSTOMER_COLUMNS,
            customer_rows,
        )
        .await?;
        contacts.insert(&mut tx.tx, self.backend()).await?;
        let names: Vec<_> = customers.iter().map(|c| (c.id, c.name.as_str())).collect();
        name_index::index_names(&mut tx.tx, self.backend(), &names).await?;
        let fee_rows = fees
            .iter()
            .map(|f| {
                vec![
                    Val::Int(f.customer_id.0),
                    Val::Text(f.kind.as_str().into()),
                    Val::Int(f.charged_at_ms),
                    Val::Int(f.amount.minor_units),
                    Val::Int(f.outstanding.minor_units),
                    Val::Text(f.amount.currency.as_str().into()),
                ]
            })
            .collect();
        insert_rows(
            &mut tx.tx,
            self.backend(),
            "fees",
            &[
                "customer_id",
                "kind",
                "charged_at_ms",
                "amount_minor",
                "outstanding_minor",
                "currency",
            ],
            fee_rows,
        )
        .await?;
        let event_rows = events
            .iter()
            .map(|e| {
                vec![
                    Val::Int(e.customer_id.0),
                    Val::Int(e.at_ms),
                    Val::Text(e.channel.as_str().into()),
                    Val::Text(e.kind.as_str().into()),
                    Val::opt_text(&e.topic),
                    Val::Text(e.summary.clone()),
                    Val::opt_text(&e.detail),
                    Val::opt_text(&e.agent),
                    Val::opt_text(&e.outcome),
                    e.amount.map_or(Val::NullInt, |m| Val::Int(m.minor_units)),
                    Val::opt_text(&e.amount.map(|m| m.currency.as_str().to_string())),
                ]
            })
            .collect();
        insert_rows(
            &mut tx.tx,
            self.backend(),
            "events",
            &[&["customer_id"][..], &EVENT_COLUMNS].concat(),
            event_rows,
        )
        .await?;
        tx.commit().await
    }
}
