//! Business accounts and contacts' roles from a company's own systems, on
//! customers imported from the same source: an account makes its customer
//! an organisation, a role links a person to one, and invoices and orders
//! belong to an account (keyed by it and their own number). Upserts keyed by the
//! customers' source ids, one transaction per batch; a record whose values
//! are already there changes nothing.

use super::db::{col, Store, StoreResult};
use super::imports::{keyed, Applied, Refusals, Tx};
use super::multirow::{backend_of, list_params, Val};
use super::organisations::{invoice_values, order_values, INVOICE_COLUMNS, ORDER_COLUMNS};
use crate::server::import::accounts::{InvoiceRecord, OrderRecord, OrganisationRecord, RoleRecord};
use crate::server::import::records::Rejected;
use std::collections::{HashMap, HashSet};

impl Store {
    /// Writes each record's account on its organisation's customer row.
    pub async fn import_organisations(
        &self,
        source: &str,
        records: &[OrganisationRecord],
    ) -> StoreResult<(Applied, Refusals)> {
        let mut w = self.begin_write().await?;
        let ids: Vec<&str> = records.iter().map(|r| r.source_id.as_str()).collect();
        let customers = keyed(&mut w.tx, "customers", source, &ids).await?;
        let customer_ids: Vec<i64> = customers.values().map(|(id, _)| *id).collect();
        let accounts = current_accounts(&mut w.tx, &customer_ids).await?;
        let contacts = acting_for_others(&mut w.tx, &customer_ids).await?;
        let agents = agents_by_name(&mut w.tx).await?;
        let (mut applied, mut refused, mut seen) =
            (Applied::default(), Refusals::new(), HashSet::new());
        for (i, r) in records.iter().enumerate() {
            let Some(&(id, _)) = customers.get(&r.source_id) else {
                refused.push((i, no_customer("source_id", &r.source_id, source)));
                continue;
            };
            if !seen.insert(id) {
                refused.push((i, twice("source_id", &r.source_id)));
                continue;
            }
            if contacts.contains(&id) {
                refused.push((
                    i,
                    Rejected::new(
                        "source_id",
                        format!("\"{}\" is a contact of an organisation; an account is an organisation's", r.source_id),
                    ),
                ));
                continue;
            }
            let manager = match &r.key_account_manager {
                None => None,
                Some(name) => match agents.get(&name.to_lowercase()).map(Vec::as_slice) {
                    Some([id]) => Some(*id),
                    Some(_) => {
                        refused.push((
                            i,
                            Rejected::new(
                                "key_account_manager",
                                format!("more than one agent is called \"{name}\""),
                            ),
                        ));
                        continue;
                    }
                    None => {
                        refused.push((
                            i,
                            Rejected::new(
                                "key_account_manager",
                                format!("no agent called \"{name}\"; add the agents first"),
                            ),
                        ));
                        continue;
                    }
                },
            };
            if !counted(&mut applied, accounts.get(&id), &account_values(r, manager)) {
                continue;
            }
            sqlx::query(
                "INSERT INTO organisations (customer_id, tier, industry, size_band, address, \
                 annual_revenue_minor, margin_bp, payment_terms_days, credit_limit_minor, renewal_on, \
                 kam_agent_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, \
                 industry = excluded.industry, size_band = excluded.size_band, \
                 address = excluded.address, annual_revenue_minor = excluded.annual_revenue_minor, \
                 margin_bp = excluded.margin_bp, payment_terms_days = excluded.payment_terms_days, \
                 credit_limit_minor = excluded.credit_limit_minor, renewal_on = excluded.renewal_on, \
                 kam_agent_id = excluded.kam_agent_id",
            )
            .bind(id)
            .bind(r.tier.as_str())
            .bind(&r.industry)
            .bind(&r.size_band)
            .bind(&r.address)
            .bind(r.annual_revenue_minor)
            .bind(r.margin_bp)
            .bind(r.payment_terms_days)
            .bind(r.credit_limit_minor)
            .bind(r.renewal_on.to_string())
            .bind(manager)
            .execute(&mut *w.tx)
            .await?;
            sqlx::query("UPDATE customers SET kind = 'organisation' WHERE id = $1")
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
        }
        w.commit().await?;
        Ok((applied, refused))
    }

    /// Writes each contact's role at their organisation.
    pub async fn import_roles(
        &self,
        source: &str,
        records: &[RoleRecord],
    ) -> StoreResult<(Applied, Refusals)> {
        let mut w = self.begin_write().await?;
        let mut ids: Vec<&str> = records
            .iter()
            .flat_map(|r| [r.contact.as_str(), r.organisation.as_str()])
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let customers = keyed(&mut w.tx, "customers", source, &ids).await?;
        let customer_ids: Vec<i64> = customers.values().map(|(id, _)| *id).collect();
        let accounts = current_accounts(&mut w.tx, &customer_ids).await?;
        let roles = current_roles(&mut w.tx, &customer_ids).await?;
        let (mut applied, mut refused, mut seen) =
            (Applied::default(), Refusals::new(), HashSet::new());
        for (i, r) in records.iter().enumerate() {
            let Some(&(contact, _)) = customers.get(&r.contact) else {
                refused.push((i, no_customer("contact_id", &r.contact, source)));
                continue;
            };
            let Some(&(organisation, _)) = customers.get(&r.organisation) else {
                refused.push((i, no_customer("organisation_id", &r.organisation, source)));
                continue;
            };
            if !accounts.contains_key(&organisation) {
                refused.push((i, no_account(&r.organisation)));
                continue;
            }
            if accounts.contains_key(&contact) {
                refused.push((
                    i,
                    Rejected::new(
                        "contact_id",
                        format!(
                            "\"{}\" is an organisation; a contact is a person",
                            r.contact
                        ),
                    ),
                ));
                continue;
            }
            if !seen.insert((contact, organisation)) {
                refused.push((
                    i,
                    twice(
                        "contact_id",
                        &format!("{} at {}", r.contact, r.organisation),
                    ),
                ));
                continue;
            }
            let values = (r.role.as_str().to_string(), r.authority_minor);
            if !counted(&mut applied, roles.get(&(contact, organisation)), &values) {
                continue;
            }
            sqlx::query(
                "INSERT INTO contact_roles (contact_id, organisation_id, role, authority_minor) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (contact_id, organisation_id) \
                 DO UPDATE SET role = excluded.role, authority_minor = excluded.authority_minor",
            )
            .bind(contact)
            .bind(organisation)
            .bind(r.role.as_str())
            .bind(r.authority_minor)
            .execute(&mut *w.tx)
            .await?;
        }
        w.commit().await?;
        Ok((applied, refused))
    }

    /// Writes each invoice on its account.
    pub async fn import_invoices(
        &self,
        source: &str,
        records: &[InvoiceRecord],
    ) -> StoreResult<(Applied, Refusals)> {
        let rows = records
            .iter()
            .map(|r| {
                let values = invoice_values(&r.invoice);
                (r.organisation.as_str(), r.invoice.number.as_str(), values)
            })
            .collect();
        self.import_account_rows("invoices", source, rows, &INVOICE_COLUMNS)
            .await
    }

    /// Writes each order on its account.
    pub async fn import_orders(
        &self,
        source: &str,
        records: &[OrderRecord],
    ) -> StoreResult<(Applied, Refusals)> {
        let rows = records
            .iter()
            .map(|r| {
                let values = order_values(&r.order);
                (r.organisation.as_str(), r.order.number.as_str(), values)
            })
            .collect();
        self.import_account_rows("orders", source, rows, &ORDER_COLUMNS)
            .await
    }

    /// Rows of `table` that belong to an account: each given as its
    /// organisation's source id, its number, and its values for `columns`.
    async fn import_account_rows(
        &self,
        table: &str,
        source: &str,
        rows: Vec<(&str, &str, Vec<Val>)>,
        columns: &[&str],
    ) -> StoreResult<(Applied, Refusals)> {
        let mut w = self.begin_write().await?;
        let mut owners: Vec<&str> = rows.iter().map(|r| r.0).collect();
        owners.sort_unstable();
        owners.dedup();
        let customers = keyed(&mut w.tx, "customers", source, &owners).await?;
        let ids: Vec<i64> = customers.values().map(|(id, _)| *id).collect();
        let accounts = current_accounts(&mut w.tx, &ids).await?;
        let stored = current_rows(&mut w.tx, table, columns, &ids).await?;
        let sets: Vec<String> = columns
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        let statement = format!(
            "INSERT INTO {table} (organisation_id, number, {}) VALUES ({}) \
             ON CONFLICT (organisation_id, number) DO UPDATE SET {}",
            columns.join(", "),
            list_params(self.backend(), 1, columns.len() + 2),
            sets.join(", ")
        );
        let (mut applied, mut refused, mut seen) =
            (Applied::default(), Refusals::new(), HashSet::new());
        for (i, (owner, number, values)) in rows.into_iter().enumerate() {
            let Some(&(organisation, _)) = customers.get(owner) else {
                refused.push((i, no_customer("organisation_id", owner, source)));
                continue;
            };
            if !accounts.contains_key(&organisation) {
                refused.push((i, no_account(owner)));
                continue;
            }
            if !seen.insert((organisation, number)) {
                refused.push((i, twice("number", number)));
                continue;
            }
            let text = values_text(&values);
            if !counted(
                &mut applied,
                stored.get(&(organisation, number.to_string())),
                &text,
            ) {
                continue;
            }
            let mut query = sqlx::query(&statement).bind(organisation).bind(number);
            for v in values {
                query = v.bind_to(query);
            }
            query.execute(&mut *w.tx).await?;
        }
        w.commit().await?;
        Ok((applied, refused))
    }
}

/// Values as text, `|` between them, as `current_rows` reads them back.
fn values_text(values: &[Val]) -> String {
    values
        .iter()
        .map(|v| match v {
            Val::Int(n) => n.to_string(),
            Val::Float(x) => x.to_string(),
            Val::Text(t) => t.clone(),
            Val::NullInt | Val::NullText => String::new(),
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// The rows of `table` on the accounts `ids`: `columns` as `values_text`
/// writes them, by (organisation, number).
async fn current_rows(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    ids: &[i64],
) -> StoreResult<HashMap<(i64, String), String>> {
    let text: Vec<String> = columns
        .iter()
        .map(|c| format!("COALESCE(CAST({c} AS TEXT), '')"))
        .collect();
    let backend = backend_of(tx);
    let mut found = HashMap::new();
    for chunk in ids.chunks(1_000) {
        let sql = format!(
            "SELECT organisation_id, number, {} AS v FROM {table} WHERE organisation_id IN ({})",
            text.join(" || '|' || "),
            list_params(backend, 1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut **tx).await? {
            found.insert(
                (col(&row, "organisation_id")?, col(&row, "number")?),
                col(&row, "v")?,
            );
        }
    }
    Ok(found)
}

fn no_account(organisation: &str) -> Rejected {
    Rejected::new(
        "organisation_id",
        format!("\"{organisation}\" has no account; import it with --organisations first"),
    )
}

/// Counts a record against what is stored (`None`: nothing yet), and says
/// whether it must be written.
fn counted<T: PartialEq>(applied: &mut Applied, stored: Option<&T>, values: &T) -> bool {
    match stored {
        Some(now) if now == values => {
            applied.unchanged += 1;
            false
        }
        Some(_) => {
            applied.updated += 1;
            true
        }
        None => {
            applied.created += 1;
            true
        }
    }
}

fn no_customer(field: &str, id: &str, source: &str) -> Rejected {
    Rejected::new(
        field,
        format!("no customer \"{id}\" from {source}; import the customers first"),
    )
}

fn twice(field: &str, what: &str) -> Rejected {
    Rejected::new(
        field,
        format!("\"{what}\" comes twice in one batch; the first was kept"),
    )
}

/// An account's values as stored, to compare with what is there.
fn account_values(r: &OrganisationRecord, manager: Option<i64>) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}|{:?}",
        r.tier.as_str(),
        r.industry,
        r.size_band,
        r.address,
        r.annual_revenue_minor,
        r.margin_bp,
        r.payment_terms_days,
        r.credit_limit_minor,
        r.renewal_on,
        manager
    )
}

/// The accounts of those of `ids` that have one, as `account_values`.
async fn current_accounts(tx: &mut Tx, ids: &[i64]) -> StoreResult<HashMap<i64, String>> {
    let backend = backend_of(tx);
    let mut found = HashMap::new();
    for chunk in ids.chunks(1_000) {
        let sql = format!(
            "SELECT customer_id, tier, industry, size_band, address, annual_revenue_minor, \
             margin_bp, payment_terms_days, credit_limit_minor, renewal_on, kam_agent_id FROM organisations \
             WHERE customer_id IN ({})",
            list_params(backend, 1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut **tx).await? {
            let values = format!(
                "{}|{}|{}|{}|{}|{}|{}|{}|{}|{:?}",
                col::<String>(&row, "tier")?,
                col::<String>(&row, "industry")?,
                col::<String>(&row, "size_band")?,
                col::<String>(&row, "address")?,
                col::<i64>(&row, "annual_revenue_minor")?,
                col::<i64>(&row, "margin_bp")?,
                col::<i64>(&row, "payment_terms_days")?,
                col::<i64>(&row, "credit_limit_minor")?,
                col::<String>(&row, "renewal_on")?,
                col::<Option<i64>>(&row, "kam_agent_id")?
            );
            found.insert(col(&row, "customer_id")?, values);
        }
    }
    Ok(found)
}

/// Agents' ids by their name, lower-cased.
async fn agents_by_name(tx: &mut Tx) -> StoreResult<HashMap<String, Vec<i64>>> {
    let mut found: HashMap<String, Vec<i64>> = HashMap::new();
    for row in sqlx::query("SELECT id, name FROM agents")
        .fetch_all(&mut **tx)
        .await?
    {
        found
            .entry(col::<String>(&row, "name")?.to_lowercase())
            .or_default()
            .push(col(&row, "id")?);
    }
    Ok(found)
}

/// Those of `ids` who act for an organisation.
async fn acting_for_others(tx: &mut Tx, ids: &[i64]) -> StoreResult<HashSet<i64>> {
    Ok(current_roles(tx, ids)
        .await?
        .into_keys()
        .map(|(contact, _)| contact)
        .collect())
}

/// The roles of those of `ids` who are contacts: role and authority by
/// (contact, organisation).
async fn current_roles(
    tx: &mut Tx,
    ids: &[i64],
) -> StoreResult<HashMap<(i64, i64), (String, Option<i64>)>> {
    let backend = backend_of(tx);
    let mut found = HashMap::new();
    for chunk in ids.chunks(1_000) {
        let sql = format!(
            "SELECT contact_id, organisation_id, role, authority_minor FROM contact_roles \
             WHERE contact_id IN ({})",
            list_params(backend, 1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut **tx).await? {
            found.insert(
                (col(&row, "contact_id")?, col(&row, "organisation_id")?),
                (col(&row, "role")?, col(&row, "authority_minor")?),
            );
        }
    }
    Ok(found)
}
