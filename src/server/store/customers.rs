//! Reading customers: the full profile, identity lookups by phone, e-mail or
//! account, and the short forms search results show (ranked name search is
//! in `search.rs`).

use super::db::{col, Store, StoreResult};
use super::rows;
use crate::api::CustomerSummary;
use crate::domain::{Customer, CustomerId, Fee, FeeId, FeeKind, PartyKind, Segment, WaiverStatus};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use std::collections::HashMap;

const PROFILE_COLUMNS: &str = "id, name, account_number, segment, ltv_minor, currency, \
     customer_since, churn_risk, language, time_zone, marketing_channels, balance_minor, kind";

/// `$1, $2, … $n` for an `IN (…)` list.
pub(super) fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// The full profile, or `None` when there is no such customer. The
    /// profile row, contact points, fees and the organisations they act for
    /// are read at once, each on its own connection: a pop waits for one
    /// round trip, not five.
    pub async fn customer(&self, id: CustomerId) -> StoreResult<Option<Customer>> {
        let profile = format!("SELECT {PROFILE_COLUMNS} FROM customers WHERE id = $1");
        let one = [id];
        let (row, (phones, emails), fees, acts_for) = tokio::try_join!(
            async {
                Ok(sqlx::query(&profile)
                    .bind(id.0)
                    .fetch_optional(self.pool())
                    .await?)
            },
            self.contact_points(&one),
            self.outstanding_fees(id),
            self.affiliations(id),
        )?;
        let Some(row) = row else { return Ok(None) };
        let currency = rows::currency(&col::<String>(&row, "currency")?)?;
        let since: String = col(&row, "customer_since")?;
        Ok(Some(Customer {
            id,
            name: col(&row, "name")?,
            phones: phones.get(&id).cloned().unwrap_or_default(),
            emails: emails.get(&id).cloned().unwrap_or_default(),
            account_number: col(&row, "account_number")?,
            segment: rows::parsed(&col::<String>(&row, "segment")?, "segment", Segment::parse)?,
            lifetime_value: rows::money(col(&row, "ltv_minor")?, currency.as_str())?,
            customer_since: NaiveDate::parse_from_str(&since, "%Y-%m-%d")
                .map_err(|_| super::db::StoreError::Corrupt(format!("customer_since `{since}`")))?,
            churn_risk: col(&row, "churn_risk")?,
            language: col(&row, "language")?,
            time_zone: col(&row, "time_zone")?,
            marketing_channels: rows::channels(&col::<String>(&row, "marketing_channels")?)?,
            balance: rows::money(col(&row, "balance_minor")?, currency.as_str())?,
            outstanding_fees: fees,
            kind: rows::parsed(
                &col::<String>(&row, "kind")?,
                "party kind",
                PartyKind::parse,
            )?,
            acts_for,
        }))
    }

    pub async fn customer_exists(&self, id: CustomerId) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?;
        Ok(found.is_some())
    }

    /// Fees with something still owed, oldest first, each saying whether a
    /// waiver of it waits for a supervisor.
    pub async fn outstanding_fees(&self, id: CustomerId) -> StoreResult<Vec<Fee>> {
        sqlx::query(
            "SELECT id, kind, charged_at_ms, amount_minor, outstanding_minor, currency, \
             (SELECT COUNT(*) FROM fee_waivers w WHERE w.customer_id = fees.customer_id \
              AND w.fee_id = fees.id AND w.status = $2) AS pending_waivers \
             FROM fees WHERE customer_id = $1 AND outstanding_minor > 0 ORDER BY charged_at_ms, id",
        )
        .bind(id.0)
        .bind(WaiverStatus::PendingApproval.as_str())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let mut fee = fee_from_row(row)?;
            fee.waiver_pending = col::<i64>(row, "pending_waivers")? > 0;
            Ok(fee)
        })
        .collect()
    }

    /// Customers with this E.164 phone number (a household may share one).
    pub async fn lookup_phone(&self, e164: &str) -> StoreResult<Vec<CustomerSummary>> {
        let ids = self
            .ids(
                "SELECT DISTINCT customer_id FROM customer_phones WHERE e164 = $1",
                e164,
            )
            .await?;
        self.summaries(&ids).await
    }

    /// Customers with this normalised e-mail address.
    pub async fn lookup_email(&self, email_norm: &str) -> StoreResult<Vec<CustomerSummary>> {
        let ids = self
            .ids(
                "SELECT DISTINCT customer_id FROM customer_emails WHERE email_norm = $1",
                email_norm,
            )
            .await?;
        self.summaries(&ids).await
    }

    /// The customer with this account number (compared without case or spaces).
    pub async fn lookup_account(&self, account: &str) -> StoreResult<Vec<CustomerSummary>> {
        let ids = self
            .ids(
                "SELECT id FROM customers WHERE account_number = $1",
                account,
            )
            .await?;
        self.summaries(&ids).await
    }

    async fn ids(&self, sql: &str, value: &str) -> StoreResult<Vec<CustomerId>> {
        Ok(sqlx::query_scalar::<_, i64>(sql)
            .bind(value)
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(CustomerId)
            .collect())
    }

    /// Short forms of these customers, in the order given.
    pub async fn summaries(&self, ids: &[CustomerId]) -> StoreResult<Vec<CustomerSummary>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT id, name, account_number, segment FROM customers WHERE id IN ({})",
            placeholders(ids.len())
        );
        let rows = async {
            let mut query = sqlx::query(&sql);
            for id in ids {
                query = query.bind(id.0);
            }
            Ok(query.fetch_all(self.pool()).await?)
        };
        let (found, (mut phones, mut emails)) = tokio::try_join!(rows, self.contact_points(ids))?;
        let mut by_id: HashMap<CustomerId, CustomerSummary> = HashMap::new();
        for row in &found {
            let id = CustomerId(col(row, "id")?);
            by_id.insert(
                id,
                CustomerSummary {
                    id,
                    name: col(row, "name")?,
                    account_number: col(row, "account_number")?,
                    phones: phones.remove(&id).unwrap_or_default(),
                    emails: emails.remove(&id).unwrap_or_default(),
                    segment: rows::parsed(
                        &col::<String>(row, "segment")?,
                        "segment",
                        Segment::parse,
                    )?,
                },
            );
        }
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// Phones and e-mails of these customers, in their stored order, read at once.
    #[allow(clippy::type_complexity)]
    async fn contact_points(
        &self,
        ids: &[CustomerId],
    ) -> StoreResult<(
        HashMap<CustomerId, Vec<String>>,
        HashMap<CustomerId, Vec<String>>,
    )> {
        tokio::try_join!(
            self.points_of(ids, "customer_phones", "e164"),
            self.points_of(ids, "customer_emails", "email"),
        )
    }

    /// One kind of contact point (`column` of `table`) for these customers.
    async fn points_of(
        &self,
        ids: &[CustomerId],
        table: &str,
        column: &str,
    ) -> StoreResult<HashMap<CustomerId, Vec<String>>> {
        let sql = format!(
            "SELECT customer_id, {column} AS v FROM {table} \
             WHERE customer_id IN ({}) ORDER BY customer_id, position",
            placeholders(ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(id.0);
        }
        let mut out: HashMap<CustomerId, Vec<String>> = HashMap::new();
        for row in query.fetch_all(self.pool()).await? {
            out.entry(CustomerId(col(&row, "customer_id")?))
                .or_default()
                .push(col(&row, "v")?);
        }
        Ok(out)
    }
}

pub(super) fn fee_from_row(row: &AnyRow) -> StoreResult<Fee> {
    let currency: String = col(row, "currency")?;
    Ok(Fee {
        id: FeeId(col(row, "id")?),
        kind: rows::parsed(&col::<String>(row, "kind")?, "fee kind", FeeKind::parse)?,
        charged_at: rows::time(col(row, "charged_at_ms")?)?,
        amount: rows::money(col(row, "amount_minor")?, &currency)?,
        outstanding: rows::money(col(row, "outstanding_minor")?, &currency)?,
        waiver_pending: false,
    })
}
