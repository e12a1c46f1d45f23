//! Callers the server did not know: a new customer written from the desk
//! (or a record of the number alone, "Caller +1…", so the contact can be
//! logged against it and found by it later), and a number added to a known
//! customer. Both in the write path's transaction, with a timeline note and
//! an audit entry. A number other customers have too stays theirs as well:
//! households share numbers, and a lookup by it then offers each.

use super::db::{Backend, StoreResult};
use super::name_index;
use super::requests::WriteOutcome;
use super::tx::{audit, timeline_event, Ctx, TimelineRow, Tx};
use crate::api::{NewCustomerRecord, PhoneWrite};
use crate::domain::{Channel, Customer, CustomerId, EventKind, Money, PartyKind, Segment};

/// The currency of a new customer's (empty) account.
const NEW_CUSTOMER_CURRENCY: crate::domain::Currency = crate::domain::Currency::USD;
/// Any constant, the same for every server: serialises new customers' ids
/// on PostgreSQL.
const NEW_CUSTOMER_LOCK: i64 = 0x5357_4e43;

/// Creates the customer; `r.phone` is already E.164 and the rest checked.
pub(super) async fn create(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    r: &NewCustomerRecord,
) -> StoreResult<(WriteOutcome, Option<CustomerId>)> {
    if ctx.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(NEW_CUSTOMER_LOCK)
            .execute(&mut **tx)
            .await?;
    }
    let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM customers")
        .fetch_one(&mut **tx)
        .await?;
    let id = CustomerId(max.unwrap_or(0) + 1);
    let name = r
        .name
        .clone()
        .unwrap_or_else(|| format!("Caller {}", r.phone));
    let customer = Customer {
        id,
        name: name.clone(),
        phones: vec![r.phone.clone()],
        emails: r.email.iter().cloned().collect(),
        account_number: format!("AC{:08}", id.0),
        segment: Segment::Standard,
        lifetime_value: Money::new(0, NEW_CUSTOMER_CURRENCY),
        customer_since: ctx.now.date_naive(),
        churn_risk: 0.0,
        language: r.language.clone().unwrap_or_else(|| "en".into()),
        time_zone: r.time_zone.clone().unwrap_or_else(|| "UTC".into()),
        marketing_channels: Vec::new(),
        balance: Money::new(0, NEW_CUSTOMER_CURRENCY),
        outstanding_fees: Vec::new(),
        kind: PartyKind::Person,
        acts_for: Vec::new(),
    };
    sqlx::query(
        "INSERT INTO customers (id, name, account_number, segment, ltv_minor, currency, \
         customer_since, churn_risk, language, time_zone, marketing_channels, balance_minor) \
         VALUES ($1, $2, $3, $4, 0, $5, $6, 0, $7, $8, '', 0)",
    )
    .bind(id.0)
    .bind(&customer.name)
    .bind(&customer.account_number)
    .bind(customer.segment.as_str())
    .bind(NEW_CUSTOMER_CURRENCY.as_str())
    .bind(customer.customer_since.format("%Y-%m-%d").to_string())
    .bind(&customer.language)
    .bind(&customer.time_zone)
    .execute(&mut **tx)
    .await?;
    add_number(tx, id, 0, &r.phone).await?;
    if let Some(email) = &r.email {
        sqlx::query(
            "INSERT INTO customer_emails (customer_id, position, email, email_norm) \
             VALUES ($1, 0, $2, $3)",
        )
        .bind(id.0)
        .bind(email)
        .bind(crate::domain::text::normalize_email(email))
        .execute(&mut **tx)
        .await?;
    }
    name_index::index_names(tx, ctx.backend, &[(id, name.as_str())]).await?;
    let summary = match &r.name {
        Some(_) => format!("Customer record created from a call from {}", r.phone),
        None => format!("Number {} recorded from a call: no name given", r.phone),
    };
    note(tx, ctx, id, &summary).await?;
    audit(tx, ctx, "new_customer", id, "done", &summary).await?;
    Ok((WriteOutcome::CustomerCreated(customer), Some(id)))
}

/// Adds `w.phone.phone` (E.164) to the customer, unless they have it.
pub(super) async fn add_phone(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    w: &PhoneWrite,
    customer: Customer,
) -> StoreResult<(WriteOutcome, Option<CustomerId>)> {
    let phone = &w.phone.phone;
    let id = customer.id;
    if customer.phones.contains(phone) {
        return Ok((WriteOutcome::PhoneAdded(customer), Some(id)));
    }
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT c.name FROM customer_phones p JOIN customers c ON c.id = p.customer_id \
         WHERE p.e164 = $1 AND p.customer_id <> $2 ORDER BY c.id",
    )
    .bind(phone)
    .bind(id.0)
    .fetch_all(&mut **tx)
    .await?;
    add_number(tx, id, customer.phones.len() as i64, phone).await?;
    let shared = match others.as_slice() {
        [] => String::new(),
        names => format!("; also the number of {}", names.join(", ")),
    };
    let summary = format!("Number {phone} added from a call{shared}");
    note(tx, ctx, id, &summary).await?;
    audit(tx, ctx, "add_phone", id, "done", &summary).await?;
    let mut customer = customer;
    customer.phones.push(phone.clone());
    Ok((WriteOutcome::PhoneAdded(customer), Some(id)))
}

async fn add_number(tx: &mut Tx, id: CustomerId, position: i64, e164: &str) -> StoreResult<()> {
    sqlx::query("INSERT INTO customer_phones (customer_id, position, e164) VALUES ($1, $2, $3)")
        .bind(id.0)
        .bind(position)
        .bind(e164)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The customer's timeline says what was done, and by whom.
async fn note(tx: &mut Tx, ctx: &Ctx<'_>, id: CustomerId, summary: &str) -> StoreResult<()> {
    timeline_event(
        tx,
        TimelineRow {
            customer: id,
            at: ctx.now,
            channel: Channel::Voice,
            kind: EventKind::Note,
            topic: None,
            summary,
            detail: None,
            agent: &ctx.agent.name,
            outcome: "done",
            amount: None,
        },
    )
    .await
}
