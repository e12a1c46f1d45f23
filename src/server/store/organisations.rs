//! Business customers: the organisations a contact acts for, an
//! organisation's account (tier, manager, terms, contacts, invoices, orders,
//! rebates), and loading accounts for `seed`. Which organisation a caller
//! spoke for last is remembered by their interaction's write
//! (`interactions.rs`); the whole account's timeline is in `timeline.rs`.

use super::customers::placeholders;
use super::db::{col, Store, StoreResult};
use super::multirow::{insert_rows, Val};
use super::rows;
use crate::domain::EventKind;
use crate::domain::{
    AccountManager, Affiliation, AgentId, ContactRole, CustomerId, FeeKind, Invoice, Money, Order,
    OrderStatus, Organisation, OrganisationContact, PartyKind, Rebate, Tier,
};
use crate::server::decide::account::AccountHistory;
use chrono::NaiveDate;
use sqlx::any::AnyRow;

/// An account to add to customers already loaded (its own row and its
/// contacts'), with what only an account has.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub id: CustomerId,
    pub industry: String,
    pub size_band: String,
    pub address: String,
    pub tier: Tier,
    pub key_account_manager: Option<AgentId>,
    pub annual_revenue: Money,
    pub margin_bp: i64,
    pub payment_terms_days: i64,
    pub credit_limit: Money,
    pub renewal_on: NaiveDate,
    /// (contact, role, authority).
    pub contacts: Vec<(CustomerId, ContactRole, Option<Money>)>,
    pub invoices: Vec<NewInvoice>,
    pub orders: Vec<Order>,
    pub rebates: Vec<Rebate>,
}

#[derive(Debug, Clone)]
pub struct NewInvoice {
    pub number: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub amount: Money,
    /// A late-payment charge, still owed, charged at this instant.
    pub late_charge: Option<(Money, i64)>,
}

/// An invoice's own columns, after its organisation and number.
pub(super) const INVOICE_COLUMNS: [&str; 5] =
    ["issued_on", "due_on", "paid_on", "amount_minor", "currency"];

/// `invoice`'s values for `INVOICE_COLUMNS`.
pub(super) fn invoice_values(invoice: &NewInvoice) -> Vec<Val> {
    vec![
        Val::Text(rows::date_text(invoice.issued_on)),
        Val::Text(rows::date_text(invoice.due_on)),
        Val::opt_text(&invoice.paid_on.map(rows::date_text)),
        Val::Int(invoice.amount.minor_units),
        Val::Text(invoice.amount.currency.as_str().into()),
    ]
}

/// An order's own columns, after its organisation and number.
pub(super) const ORDER_COLUMNS: [&str; 7] = [
    "description",
    "placed_on",
    "promised_on",
    "delivered_on",
    "status",
    "amount_minor",
    "currency",
];

/// `order`'s values for `ORDER_COLUMNS`.
pub(super) fn order_values(order: &Order) -> Vec<Val> {
    vec![
        Val::Text(order.description.clone()),
        Val::Text(rows::date_text(order.placed_on)),
        Val::Text(rows::date_text(order.promised_on)),
        Val::opt_text(&order.delivered_on.map(rows::date_text)),
        Val::Text(order.status.as_str().into()),
        Val::Int(order.amount.minor_units),
        Val::Text(order.amount.currency.as_str().into()),
    ]
}

/// SQL for the organisation a customer stands for: themselves when they
/// are one, else the one they called for last. `$a` and `$b` both bind the
/// customer's id (a parameter is bound once per use).
pub(super) fn account_of(a: usize, b: usize) -> String {
    format!(
        "COALESCE((SELECT customer_id FROM organisations WHERE customer_id = ${a}), \
         (SELECT organisation_id FROM contact_roles WHERE contact_id = ${b} \
          ORDER BY COALESCE(last_chosen_ms, 0) DESC, organisation_id LIMIT 1))"
    )
}

impl Store {
    /// The organisations `contact` acts for, the one chosen last first (as
    /// [`account_of`] picks it), each with its outstanding charges.
    pub async fn affiliations(&self, contact: CustomerId) -> StoreResult<Vec<Affiliation>> {
        let mut affiliations = sqlx::query(
            "SELECT r.organisation_id, c.name, c.currency, o.tier, r.role, r.authority_minor, \
             r.last_chosen_ms, o.kam_agent_id, a.name AS kam_name, o.annual_revenue_minor \
             FROM contact_roles r \
             JOIN customers c ON c.id = r.organisation_id \
             JOIN organisations o ON o.customer_id = r.organisation_id \
             LEFT JOIN agents a ON a.id = o.kam_agent_id \
             WHERE r.contact_id = $1 \
             ORDER BY COALESCE(r.last_chosen_ms, 0) DESC, r.organisation_id",
        )
        .bind(contact.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let currency: String = col(r, "currency")?;
            Ok(Affiliation {
                organisation_id: CustomerId(col(r, "organisation_id")?),
                organisation: col(r, "name")?,
                tier: rows::parsed(&col::<String>(r, "tier")?, "tier", Tier::parse)?,
                role: rows::parsed(&col::<String>(r, "role")?, "role", ContactRole::parse)?,
                authority: col::<Option<i64>>(r, "authority_minor")?
                    .map(|minor| rows::money(minor, &currency))
                    .transpose()?,
                key_account_manager: manager(r)?,
                last_chosen: col::<Option<i64>>(r, "last_chosen_ms")?
                    .map(rows::time)
                    .transpose()?,
                charges: Vec::new(),
                annual_revenue: Some(rows::money(col(r, "annual_revenue_minor")?, &currency)?),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        // Most contacts act for one organisation.
        for a in &mut affiliations {
            a.charges = self.outstanding_fees(a.organisation_id).await?;
        }
        Ok(affiliations)
    }

    /// What a decision needs of the account of `organisation`: `None` when
    /// it is not one.
    pub async fn account_history(
        &self,
        organisation: CustomerId,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<AccountHistory>> {
        let row = sqlx::query(
            "SELECT o.customer_id, o.tier, o.renewal_on, c.ltv_minor FROM organisations o \
             JOIN customers c ON c.id = o.customer_id WHERE o.customer_id = $1",
        )
        .bind(organisation.0)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let organisation = CustomerId(col(&row, "customer_id")?);
        let since_ms = (now - chrono::Duration::days(90)).timestamp_millis();
        let since_30d_ms = (now - chrono::Duration::days(30)).timestamp_millis();
        // Counted where the rows are: a busy account has thousands.
        let counts = async {
            Ok(sqlx::query(
                "SELECT COUNT(DISTINCT CASE WHEN kind IN ($1, $2) AND customer_id <> $3 \
                 AND at_ms >= $4 THEN customer_id END) AS people, \
                 COALESCE(SUM(CASE WHEN kind = $5 THEN 1 ELSE 0 END), 0) AS complaints, \
                 COALESCE(SUM(CASE WHEN topic LIKE 'technical%' THEN 1 ELSE 0 END), 0) AS technical, \
                 (SELECT COUNT(*) FROM interactions WHERE organisation_id = $8 \
                  AND created_at_ms >= $9 AND tone_flagged = 1) AS tone_flags \
                 FROM events WHERE organisation_id = $6 AND at_ms >= $7",
            )
            .bind(EventKind::Contact.as_str())
            .bind(EventKind::Complaint.as_str())
            .bind(organisation.0)
            .bind(since_30d_ms)
            .bind(EventKind::Complaint.as_str())
            .bind(organisation.0)
            .bind(since_ms)
            .bind(organisation.0)
            .bind(since_ms)
            .fetch_one(self.pool())
            .await?)
        };
        let (invoices, counts): (_, AnyRow) =
            tokio::try_join!(self.invoices(organisation, now.date_naive()), counts)?;
        Ok(Some(AccountHistory {
            organisation,
            tier: rows::parsed(&col::<String>(&row, "tier")?, "tier", Tier::parse)?,
            lifetime_value_minor: col(&row, "ltv_minor")?,
            renewal_on: rows::date(&col::<String>(&row, "renewal_on")?)?,
            invoices,
            contacts_30d: col(&counts, "people")?,
            complaints_90d: col(&counts, "complaints")?,
            technical_90d: col(&counts, "technical")?,
            tone_flags_90d: col(&counts, "tone_flags")?,
        }))
    }

    /// How many organisations there are.
    pub async fn organisation_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
            .fetch_one(self.pool())
            .await?)
    }

    /// The key account customer `id` is or acts for (the one called for
    /// last when several), as `Some(its manager, if it has one)`; `None`
    /// when they are not a key account's.
    pub async fn key_account_of(&self, id: CustomerId) -> StoreResult<Option<Option<AgentId>>> {
        let found = sqlx::query(
            "SELECT o.kam_agent_id FROM organisations o \
             LEFT JOIN contact_roles r ON r.organisation_id = o.customer_id AND r.contact_id = $1 \
             WHERE o.tier = $2 AND (o.customer_id = $3 OR r.contact_id IS NOT NULL) \
             ORDER BY COALESCE(r.last_chosen_ms, 0) DESC, o.customer_id LIMIT 1",
        )
        .bind(id.0)
        .bind(Tier::KeyAccount.as_str())
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        found
            .map(|r| Ok(col::<Option<i64>>(&r, "kam_agent_id")?.map(AgentId)))
            .transpose()
    }

    /// Whether customer `id` is an organisation.
    pub async fn is_organisation(&self, id: CustomerId) -> StoreResult<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT customer_id FROM organisations WHERE customer_id = $1")
                .bind(id.0)
                .fetch_optional(self.pool())
                .await?;
        Ok(found.is_some())
    }

    /// The account of organisation `id`, or `None` when `id` is not one.
    pub async fn organisation(&self, id: CustomerId) -> StoreResult<Option<Organisation>> {
        let today = self.now().date_naive();
        let (row, contacts, invoices, orders, rebates) = tokio::try_join!(
            self.organisation_row(id),
            self.organisation_contacts(id),
            self.invoices(id, today),
            self.orders(id, today),
            self.rebates(id),
        )?;
        let Some(r) = row else { return Ok(None) };
        let currency: String = col(&r, "currency")?;
        let money =
            |column: &str| -> StoreResult<Money> { rows::money(col(&r, column)?, &currency) };
        Ok(Some(Organisation {
            id,
            name: col(&r, "name")?,
            account_number: col(&r, "account_number")?,
            industry: col(&r, "industry")?,
            size_band: col(&r, "size_band")?,
            address: col(&r, "address")?,
            tier: rows::parsed(&col::<String>(&r, "tier")?, "tier", Tier::parse)?,
            key_account_manager: manager(&r)?,
            annual_revenue: money("annual_revenue_minor")?,
            margin_bp: col(&r, "margin_bp")?,
            lifetime_value: money("ltv_minor")?,
            payment_terms_days: col(&r, "payment_terms_days")?,
            credit_limit: money("credit_limit_minor")?,
            renewal_on: rows::date(&col::<String>(&r, "renewal_on")?)?,
            contacts,
            invoices,
            orders,
            rebates,
        }))
    }

    async fn organisation_row(&self, id: CustomerId) -> StoreResult<Option<AnyRow>> {
        Ok(sqlx::query(
            "SELECT c.name, c.account_number, c.currency, c.ltv_minor, o.industry, o.size_band, \
             o.address, o.tier, o.annual_revenue_minor, o.margin_bp, o.payment_terms_days, \
             o.credit_limit_minor, o.renewal_on, o.kam_agent_id, a.name AS kam_name \
             FROM organisations o JOIN customers c ON c.id = o.customer_id \
             LEFT JOIN agents a ON a.id = o.kam_agent_id WHERE o.customer_id = $1",
        )
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?)
    }

    async fn organisation_contacts(&self, id: CustomerId) -> StoreResult<Vec<OrganisationContact>> {
        sqlx::query(
            "SELECT r.contact_id, p.name, r.role, r.authority_minor, o.currency \
             FROM contact_roles r JOIN customers p ON p.id = r.contact_id \
             JOIN customers o ON o.id = r.organisation_id \
             WHERE r.organisation_id = $1 ORDER BY r.role, p.name, r.contact_id",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let currency: String = col(r, "currency")?;
            Ok(OrganisationContact {
                contact_id: CustomerId(col(r, "contact_id")?),
                name: col(r, "name")?,
                role: rows::parsed(&col::<String>(r, "role")?, "role", ContactRole::parse)?,
                authority: col::<Option<i64>>(r, "authority_minor")?
                    .map(|minor| rows::money(minor, &currency))
                    .transpose()?,
            })
        })
        .collect()
    }

    /// Unpaid invoices, and those paid in the year before `today`.
    async fn invoices(&self, id: CustomerId, today: NaiveDate) -> StoreResult<Vec<Invoice>> {
        let year_ago = rows::date_text(today - chrono::Duration::days(365));
        sqlx::query(
            "SELECT id, number, issued_on, due_on, paid_on, amount_minor, currency, late_fee_id \
             FROM invoices WHERE organisation_id = $1 AND (paid_on IS NULL OR paid_on >= $2) \
             ORDER BY due_on DESC, id DESC",
        )
        .bind(id.0)
        .bind(year_ago)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Invoice {
                id: col(r, "id")?,
                number: col(r, "number")?,
                issued_on: rows::date(&col::<String>(r, "issued_on")?)?,
                due_on: rows::date(&col::<String>(r, "due_on")?)?,
                paid_on: col::<Option<String>>(r, "paid_on")?
                    .map(|d| rows::date(&d))
                    .transpose()?,
                amount: rows::money(col(r, "amount_minor")?, &col::<String>(r, "currency")?)?,
                late_fee: col::<Option<i64>>(r, "late_fee_id")?.map(crate::domain::FeeId),
            })
        })
        .collect()
    }

    /// Orders not yet delivered, and those delivered in the 90 days before `today`.
    async fn orders(&self, id: CustomerId, today: NaiveDate) -> StoreResult<Vec<Order>> {
        let recent = rows::date_text(today - chrono::Duration::days(90));
        sqlx::query(
            "SELECT id, number, description, placed_on, promised_on, delivered_on, status, \
             amount_minor, currency FROM orders \
             WHERE organisation_id = $1 AND (delivered_on IS NULL OR delivered_on >= $2) \
             ORDER BY placed_on DESC, id DESC",
        )
        .bind(id.0)
        .bind(recent)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Order {
                id: col(r, "id")?,
                number: col(r, "number")?,
                description: col(r, "description")?,
                placed_on: rows::date(&col::<String>(r, "placed_on")?)?,
                promised_on: rows::date(&col::<String>(r, "promised_on")?)?,
                delivered_on: col::<Option<String>>(r, "delivered_on")?
                    .map(|d| rows::date(&d))
                    .transpose()?,
                status: rows::parsed(
                    &col::<String>(r, "status")?,
                    "order status",
                    OrderStatus::parse,
                )?,
                amount: rows::money(col(r, "amount_minor")?, &col::<String>(r, "currency")?)?,
            })
        })
        .collect()
    }

    async fn rebates(&self, id: CustomerId) -> StoreResult<Vec<Rebate>> {
        sqlx::query(
            "SELECT id, description, amount_minor, currency, due_on FROM rebates \
             WHERE organisation_id = $1 ORDER BY due_on, id",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Rebate {
                id: col(r, "id")?,
                description: col(r, "description")?,
                amount: rows::money(col(r, "amount_minor")?, &col::<String>(r, "currency")?)?,
                due_on: rows::date(&col::<String>(r, "due_on")?)?,
            })
        })
        .collect()
    }

    /// Makes the loaded customer `org.id` an organisation with its account,
    /// contacts' roles, invoices (a late charge is one of its fees, with its
    /// `fee` event), orders and rebates; the contacts' events not yet said to
    /// be for an organisation become this one's. One transaction.
    pub async fn add_organisation(&self, org: &NewOrganisation) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE customers SET kind = $1 WHERE id = $2")
            .bind(PartyKind::Organisation.as_str())
            .bind(org.id.0)
            .execute(&mut *tx.tx)
            .await?;
        sqlx::query(
            "INSERT INTO organisations (customer_id, industry, size_band, address, tier, \
             kam_agent_id, annual_revenue_minor, margin_bp, payment_terms_days, \
             credit_limit_minor, renewal_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(org.id.0)
        .bind(&org.industry)
        .bind(&org.size_band)
        .bind(&org.address)
        .bind(org.tier.as_str())
        .bind(org.key_account_manager.map(|a| a.0))
        .bind(org.annual_revenue.minor_units)
        .bind(org.margin_bp)
        .bind(org.payment_terms_days)
        .bind(org.credit_limit.minor_units)
        .bind(rows::date_text(org.renewal_on))
        .execute(&mut *tx.tx)
        .await?;
        let roles = org
            .contacts
            .iter()
            .map(|(contact, role, authority)| {
                vec![
                    Val::Int(contact.0),
                    Val::Int(org.id.0),
                    Val::Text(role.as_str().into()),
                    authority.map_or(Val::NullInt, |m| Val::Int(m.minor_units)),
                ]
            })
            .collect();
        insert_rows(
            &mut tx.tx,
            self.backend(),
            "contact_roles",
            &["contact_id", "organisation_id", "role", "authority_minor"],
            roles,
        )
        .await?;
        for invoice in &org.invoices {
            let mut fee_id = None;
            if let Some((charge, at_ms)) = invoice.late_charge {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO fees (customer_id, kind, charged_at_ms, amount_minor, \
                     outstanding_minor, currency) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(org.id.0)
                .bind(FeeKind::LatePayment.as_str())
                .bind(at_ms)
                .bind(charge.minor_units)
                .bind(charge.minor_units)
                .bind(charge.currency.as_str())
                .fetch_one(&mut *tx.tx)
                .await?;
                sqlx::query(
                    "INSERT INTO events (customer_id, organisation_id, at_ms, channel, kind, \
                     summary, amount_minor, currency) VALUES ($1, $1, $2, 'billing', 'fee', $3, $4, $5)",
                )
                .bind(org.id.0)
                .bind(at_ms)
                .bind(format!("Late-payment charge on invoice {}", invoice.number))
                .bind(charge.minor_units)
                .bind(charge.currency.as_str())
                .execute(&mut *tx.tx)
                .await?;
                fee_id = Some(id);
            }
            let sql = format!(
                "INSERT INTO invoices (organisation_id, number, {}, late_fee_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                INVOICE_COLUMNS.join(", ")
            );
            let mut insert = sqlx::query(&sql).bind(org.id.0).bind(&invoice.number);
            for v in invoice_values(invoice) {
                insert = v.bind_to(insert);
            }
            insert.bind(fee_id).execute(&mut *tx.tx).await?;
        }
        let orders = org
            .orders
            .iter()
            .map(|o| {
                let mut row = vec![Val::Int(org.id.0), Val::Text(o.number.clone())];
                row.extend(order_values(o));
                row
            })
            .collect();
        let mut columns = vec!["organisation_id", "number"];
        columns.extend(ORDER_COLUMNS);
        insert_rows(&mut tx.tx, self.backend(), "orders", &columns, orders).await?;
        let rebates = org
            .rebates
            .iter()
            .map(|r| {
                vec![
                    Val::Int(org.id.0),
                    Val::Text(r.description.clone()),
                    Val::Int(r.amount.minor_units),
                    Val::Text(r.amount.currency.as_str().into()),
                    Val::Text(rows::date_text(r.due_on)),
                ]
            })
            .collect();
        insert_rows(
            &mut tx.tx,
            self.backend(),
            "rebates",
            &[
                "organisation_id",
                "description",
                "amount_minor",
                "currency",
                "due_on",
            ],
            rebates,
        )
        .await?;
        let mut parties: Vec<i64> = org.contacts.iter().map(|(c, _, _)| c.0).collect();
        parties.push(org.id.0);
        let sql = format!(
            "UPDATE events SET organisation_id = ${} \
             WHERE organisation_id IS NULL AND customer_id IN ({})",
            parties.len() + 1,
            placeholders(parties.len())
        );
        let mut query = sqlx::query(&sql);
        for party in parties {
            query = query.bind(party);
        }
        let query = query.bind(org.id.0);
        query.execute(&mut *tx.tx).await?;
        tx.commit().await
    }
}

/// The key-account manager columns (`kam_agent_id`, `kam_name`) of a row.
fn manager(r: &AnyRow) -> StoreResult<Option<AccountManager>> {
    Ok(match col::<Option<i64>>(r, "kam_agent_id")? {
        Some(id) => Some(AccountManager {
            agent_id: AgentId(id),
            name: col(r, "kam_name")?,
            state: None,
        }),
        None => None,
    })
}
