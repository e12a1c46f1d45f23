//! Records from a company's own systems, keyed by the source system's name
//! and its own id (`source`, `source_id` on customers, events and fees), so
//! an import can run again: a record seen before with the same content
//! (its fingerprint) changes nothing, a changed one updates its row in
//! place, a new one is inserted. One transaction per batch; names are
//! indexed for search in it. What only the database can judge (an account
//! number another customer has, a customer the source never sent) rejects
//! the record, not the batch.

use super::bulk::{Contacts, CUSTOMER_COLUMNS, EVENT_COLUMNS};
use super::db::{col, Store, StoreResult};
use super::multirow::{backend_of, insert_rows, list_params, Val};
use super::name_index;
use super::rows;
use crate::domain::{text, CustomerId};
use crate::server::import::records::{CustomerRecord, EventRecord, FeeRecord, Rejected};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

pub(super) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// What a batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Applied {
    pub fn add(&mut self, other: Applied) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// A record of the batch the database refused: its index in the batch and why.
pub type Refusals = Vec<(usize, Rejected)>;

/// A record's fingerprint: its content, hashed.
fn fingerprint(record: &impl std::fmt::Debug) -> String {
    text::hex(&Sha256::digest(format!("{record:?}").as_bytes())[..16])
}

/// The account number a record without one gets.
fn default_account(source: &str, source_id: &str) -> String {
    format!("{}-{}", source.to_ascii_uppercase(), source_id)
}

impl Store {
    /// How many customers, events and fees `source` has here.
    pub async fn imported(&self, source: &str) -> StoreResult<(u64, u64, u64)> {
        let mut counts = [0u64; 3];
        for (n, table) in ["customers", "events", "fees"].iter().enumerate() {
            let count: i64 =
                sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE source = $1"))
                    .bind(source)
                    .fetch_one(self.pool())
                    .await?;
            counts[n] = count as u64;
        }
        Ok((counts[0], counts[1], counts[2]))
    }

    /// On PostgreSQL, the planner's statistics of the tables an import
    /// fills: without them a table loaded in this run still looks empty,
    /// and the lookups by source id scan it whole.
    pub async fn analyze_imported(&self) -> StoreResult<()> {
        if self.backend() == super::db::Backend::Postgres {
            sqlx::query("ANALYZE customers, events, fees")
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }

    /// The id here of `source`'s customer `source_id`, if imported.
    pub async fn imported_customer(
        &self,
        source: &str,
        source_id: &str,
    ) -> StoreResult<Option<CustomerId>> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM customers WHERE source = $1 AND source_id = $2")
                .bind(source)
                .bind(source_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(id.map(CustomerId))
    }

    /// Creates or updates `records` from `source`.
    pub async fn import_customers(
        &self,
        source: &str,
        records: &[CustomerRecord],
    ) -> StoreResult<(Applied, Refusals)> {
        let mut tx = self.begin_write().await?;
        let ids: Vec<&str> = records.iter().map(|r| r.source_id.as_str()).collect();
        let known = keyed(&mut tx.tx, "customers", source, &ids).await?;
        let accounts: Vec<String> = records.iter().map(|r| account_of(source, r)).collect();
        let holders = account_holders(&mut tx.tx, &accounts).await?;
        let mut applied = Applied::default();
        let mut refused = Refusals::new();
        let mut seen = HashSet::new();
        let mut taken = HashSet::new();
        let mut next_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM customers")
            .fetch_one(&mut *tx.tx)
            .await?;
        let (mut new, mut changed) = (Vec::new(), Vec::new());
        for (i, r) in records.iter().enumerate() {
            if !seen.insert(r.source_id.as_str()) {
                refused.push((
                    i,
                    Rejected::new(
                        "source_id",
                        format!(
                            "source_id \"{}\" comes twice in one batch; the first was kept",
                            r.source_id
                        ),
                    ),
                ));
                continue;
            }
            let own = known.get(r.source_id.as_str()).map(|(id, _)| *id);
            if let Some(&holder) = holders.get(&accounts[i]) {
                if Some(holder) != own {
                    refused.push((
                        i,
                        Rejected::new(
                            "account_number",
                            format!(
                                "account number {} belongs to customer #{holder}",
                                accounts[i]
                            ),
                        ),
                    ));
                    continue;
                }
            }
            if !taken.insert(accounts[i].as_str()) {
                refused.push((
                    i,
                    Rejected::new(
                        "account_number",
                        format!(
                            "account number {} comes twice in one batch; the first was kept",
                            accounts[i]
                        ),
                    ),
                ));
                continue;
            }
            let fp = fingerprint(r);
            match known.get(r.source_id.as_str()) {
                Some((_, old)) if *old == fp => applied.unchanged += 1,
                Some((id, _)) => changed.push((CustomerId(*id), i, fp)),
                None => {
                    new.push((CustomerId(next_id), i, fp));
                    next_id += 1;
                }
            }
        }
        let rows = new
            .iter()
            .map(|(id, i, fp)| {
                let r = &records[*i];
                let mut row = vec![
                    Val::Int(id.0),
                    Val::Text(r.name.clone()),
                    Val::Text(accounts[*i].clone()),
                ];
                row.extend(customer_values(r));
                row.extend([
                    Val::Text(source.into()),
                    Val::Text(r.source_id.clone()),
                    Val::Text(fp.clone()),
                ]);
                row
            })
            .collect();
        let mut columns = CUSTOMER_COLUMNS.to_vec();
        columns.extend(["source", "source_id", "import_fp"]);
        insert_rows(&mut tx.tx, self.backend(), "customers", &columns, rows).await?;
        for (id, i, fp) in &changed {
            let r = &records[*i];
            let old_name: String = sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
                .bind(id.0)
                .fetch_one(&mut *tx.tx)
                .await?;
            let mut update = sqlx::query(
                "UPDATE customers SET segment = $1, ltv_minor = $2, currency = $3, customer_since = $4, \
                 churn_risk = $5, language = $6, time_zone = $7, marketing_channels = $8, \
                 balance_minor = $9, name = $10, account_number = $11, import_fp = $12 WHERE id = $13",
            );
            for v in customer_values(r) {
                update = v.bind_to(update);
            }
            update
                .bind(&r.name)
                .bind(&accounts[*i])
                .bind(fp)
                .bind(id.0)
                .execute(&mut *tx.tx)
                .await?;
            for table in ["customer_phones", "customer_emails"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE customer_id = $1"))
                    .bind(id.0)
                    .execute(&mut *tx.tx)
                    .await?;
            }
            if old_name != r.name {
                name_index::unindex_name(&mut tx.tx, *id, &old_name).await?;
            }
        }
        let written: Vec<(CustomerId, usize)> = new
            .iter()
            .chain(&changed)
            .map(|(id, i, _)| (*id, *i))
            .collect();
        let mut contacts = Contacts::default();
        for (id, i) in &written {
            contacts.add(*id, &records[*i].phones, &records[*i].emails);
        }
        let backend = self.backend();
        contacts.insert(&mut tx.tx, backend).await?;
        let renamed: Vec<(CustomerId, &str)> = new
            .iter()
            .map(|(id, i, _)| (*id, records[*i].name.as_str()))
            .chain(
                changed
                    .iter()
                    .map(|(id, i, _)| (*id, records[*i].name.as_str())),
            )
            .collect();
        name_index::index_names(&mut tx.tx, backend, &renamed).await?;
        tx.commit().await?;
        applied.created += new.len() as u64;
        applied.updated += changed.len() as u64;
        Ok((applied, refused))
    }

    /// Creates or updates timeline events from `source`, each on the
    /// customer the source gave it.
    pub async fn import_events(
        &self,
        source: &str,
        records: &[EventRecord],
    ) -> StoreResult<(Applied, Refusals)> {
        let rows = records.iter().map(|r| {
            let mut row = vec![
                Val::Int(r.at_ms),
                Val::Text(r.channel.as_str().into()),
                Val::Text(r.kind.as_str().into()),
                Val::opt_text(&r.topic),
                Val::Text(r.summary.clone()),
                Val::opt_text(&r.detail),
                Val::opt_text(&r.agent),
                Val::opt_text(&r.outcome),
            ];
            row.extend(match r.amount {
                Some(m) => [
                    Val::Int(m.minor_units),
                    Val::Text(m.currency.as_str().into()),
                ],
                None => [Val::NullInt, Val::NullText],
            });
            (
                r.source_id.as_str(),
                r.customer.as_str(),
                row,
                fingerprint(r),
            )
        });
        self.import_owned("events", source, rows.collect(), &EVENT_COLUMNS)
            .await
    }

    /// Creates or updates fees from `source`.
    pub async fn import_fees(
        &self,
        source: &str,
        records: &[FeeRecord],
    ) -> StoreResult<(Applied, Refusals)> {
        let rows = records.iter().map(|r| {
            let row = vec![
                Val::Text(r.kind.as_str().into()),
                Val::Int(r.charged_at_ms),
                Val::Int(r.amount.minor_units),
                Val::Int(r.outstanding.minor_units),
                Val::Text(r.amount.currency.as_str().into()),
            ];
            (
                r.source_id.as_str(),
                r.customer.as_str(),
                row,
                fingerprint(r),
            )
        });
        let columns = [
            "kind",
            "charged_at_ms",
            "amount_minor",
            "outstanding_minor",
            "currency",
        ];
        self.import_owned("fees", source, rows.collect(), &columns)
            .await
    }

    /// Rows of `table` that belong to a customer: each given as its source
    /// id, its customer's source id, its values for `columns`, and its
    /// fingerprint.
    async fn import_owned(
        &self,
        table: &str,
        source: &str,
        rows: Vec<(&str, &str, Vec<Val>, String)>,
        columns: &[&str],
    ) -> StoreResult<(Applied, Refusals)> {
        let mut tx = self.begin_write().await?;
        let ids: Vec<&str> = rows.iter().map(|r| r.0).collect();
        let known = keyed(&mut tx.tx, table, source, &ids).await?;
        let mut owners: Vec<&str> = rows.iter().map(|r| r.1).collect();
        owners.sort_unstable();
        owners.dedup();
        let customers = keyed(&mut tx.tx, "customers", source, &owners).await?;
        let mut applied = Applied::default();
        let mut refused = Refusals::new();
        let mut seen = HashSet::new();
        let mut inserts = Vec::new();
        for (i, (source_id, customer, values, fp)) in rows.into_iter().enumerate() {
            let Some((customer_id, _)) = customers.get(customer) else {
                refused.push((
                    i,
                    Rejected::new(
                        "customer_id",
                        format!(
                            "no customer \"{customer}\" from {source}; import the customers first"
                        ),
                    ),
                ));
                continue;
            };
            if !seen.insert(source_id) {
                refused.push((i, Rejected::new("source_id", format!("source_id \"{source_id}\" comes twice in one batch; the first was kept"))));
                continue;
            }
            match known.get(source_id) {
                Some((_, old)) if *old == fp => applied.unchanged += 1,
                Some((id, _)) => {
                    let sets: Vec<String> = columns
                        .iter()
                        .enumerate()
                        .map(|(n, c)| format!("{c} = ${}", n + 1))
                        .collect();
                    let sql = format!(
                        "UPDATE {table} SET {}, customer_id = ${}, import_fp = ${} WHERE id = ${}",
                        sets.join(", "),
                        columns.len() + 1,
                        columns.len() + 2,
                        columns.len() + 3
                    );
                    let mut update = sqlx::query(&sql);
                    for v in values {
                        update = v.bind_to(update);
                    }
                    update
                        .bind(*customer_id)
                        .bind(fp)
                        .bind(*id)
                        .execute(&mut *tx.tx)
                        .await?;
                    applied.updated += 1;
                }
                None => {
                    let mut row = vec![Val::Int(*customer_id)];
                    row.extend(values);
                    row.extend([
                        Val::Text(source.into()),
                        Val::Text(source_id.into()),
                        Val::Text(fp),
                    ]);
                    inserts.push(row);
                }
            }
        }
        applied.created = inserts.len() as u64;
        let mut all = vec!["customer_id"];
        all.extend(columns);
        all.extend(["source", "source_id", "import_fp"]);
        insert_rows(&mut tx.tx, self.backend(), table, &all, inserts).await?;
        tx.commit().await?;
        Ok((applied, refused))
    }
}

/// The values of a customer's own columns, from `segment` to `balance_minor`.
fn customer_values(r: &CustomerRecord) -> Vec<Val> {
    vec![
        Val::Text(r.segment.as_str().into()),
        Val::Int(r.lifetime_value.minor_units),
        Val::Text(r.lifetime_value.currency.as_str().into()),
        Val::Text(r.customer_since.to_string()),
        Val::Float(r.churn_risk),
        Val::Text(r.language.clone()),
        Val::Text(r.time_zone.clone()),
        Val::Text(rows::channels_text(&r.marketing_channels)),
        Val::Int(r.balance.minor_units),
    ]
}

fn account_of(source: &str, r: &CustomerRecord) -> String {
    r.account_number
        .clone()
        .unwrap_or_else(|| default_account(source, &r.source_id))
}

/// The rows of `table` from `source` among `ids`: their id and fingerprint
/// by source id.
pub(super) async fn keyed(
    tx: &mut Tx,
    table: &str,
    source: &str,
    ids: &[&str],
) -> StoreResult<HashMap<String, (i64, String)>> {
    let backend = backend_of(tx);
    let source_param = list_params(backend, 1, 1);
    let mut found = HashMap::new();
    for chunk in ids.chunks(1_000) {
        let sql = format!(
            "SELECT id, source_id, import_fp FROM {table} WHERE source = {source_param} \
             AND source_id IN ({})",
            list_params(backend, 2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(source);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut **tx).await? {
            let fp: Option<String> = col(&row, "import_fp")?;
            found.insert(
                col(&row, "source_id")?,
                (col(&row, "id")?, fp.unwrap_or_default()),
            );
        }
    }
    Ok(found)
}

/// Which customers hold these account numbers.
async fn account_holders(tx: &mut Tx, accounts: &[String]) -> StoreResult<HashMap<String, i64>> {
    let backend = backend_of(tx);
    let mut found = HashMap::new();
    for chunk in accounts.chunks(1_000) {
        let sql = format!(
            "SELECT id, account_number FROM customers WHERE account_number IN ({})",
            list_params(backend, 1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for a in chunk {
            query = query.bind(a.as_str());
        }
        for row in query.fetch_all(&mut **tx).await? {
            found.insert(col(&row, "account_number")?, col(&row, "id")?);
        }
    }
    Ok(found)
}
