//! What search finds names by, written with the customers: every word of a
//! name and of its romanization (`domain::text::name_search_words`) in
//! `name_tokens`, and in the dictionary `name_terms` each word with how many
//! customers have it; the dictionary's trigram index (an FTS5 table on
//! SQLite, pg_trgm's GIN index on PostgreSQL) finds the likely words behind a
//! misspelling.

use super::db::{col, Backend, Store, StoreResult};
use super::multirow::{insert_rows_then, Val};
use crate::domain::{text, CustomerId};
use sqlx::{Any, Executor};
use std::collections::BTreeMap;

type Tx = sqlx::Transaction<'static, Any>;

impl Store {
    /// After loading many customers, on PostgreSQL: the planner statistics
    /// for the tables search reads, so it keeps using their indexes, and
    /// their visibility maps, so those are index-only scans. Until
    /// autovacuum comes by, a freshly loaded `name_tokens` sends every index
    /// hit to the table: a two-word search read 1,000 pages and took 40 ms
    /// instead of 1. (SQLite plans by the indexes alone and has no such map.)
    pub async fn refresh_search_statistics(&self) -> StoreResult<()> {
        if self.backend() == Backend::Postgres {
            self.pool()
                .execute("VACUUM (ANALYZE) customers, name_tokens, name_terms")
                .await?;
        }
        Ok(())
    }
}

/// Indexes the names of these new customers, within the caller's transaction.
pub(super) async fn index_names(
    tx: &mut Tx,
    backend: Backend,
    names: &[(CustomerId, &str)],
) -> StoreResult<()> {
    let words = words_of(names);
    let mut customers_by_term: BTreeMap<String, i64> = BTreeMap::new();
    for word in words.iter().flat_map(|(_, words)| words) {
        *customers_by_term.entry(word.clone()).or_default() += 1;
    }
    insert_tokens(tx, backend, words).await?;
    let last = last_term_id(tx).await?;
    let term_rows = customers_by_term
        .into_iter()
        .map(|(term, n)| vec![Val::Text(term), Val::Int(n)])
        .collect();
    insert_rows_then(
        tx,
        backend,
        "name_terms",
        &["term", "customers"],
        term_rows,
        "ON CONFLICT (term) DO UPDATE SET customers = name_terms.customers + excluded.customers",
    )
    .await?;
    index_trigrams_after(tx, backend, last).await
}

/// Forgets the words a customer's old name was found by (before it is
/// indexed under the new one), within the caller's transaction.
pub(super) async fn unindex_name(tx: &mut Tx, id: CustomerId, old: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM name_tokens WHERE customer_id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    for word in text::name_search_words(old) {
        sqlx::query(
            "UPDATE name_terms SET customers = customers - 1 WHERE term = $1 AND customers > 0",
        )
        .bind(word)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Every word each name is found by.
fn words_of(names: &[(CustomerId, &str)]) -> Vec<(CustomerId, Vec<String>)> {
    names
        .iter()
        .map(|(id, name)| (*id, text::name_search_words(name)))
        .collect()
}

/// Customers' words into `name_tokens`; words a customer already has there
/// are skipped.
async fn insert_tokens(
    tx: &mut Tx,
    backend: Backend,
    words: Vec<(CustomerId, Vec<String>)>,
) -> StoreResult<()> {
    let rows = words
        .into_iter()
        .flat_map(|(id, words)| {
            words
                .into_iter()
                .map(move |word| vec![Val::Text(word), Val::Int(id.0)])
        })
        .collect();
    insert_rows_then(
        tx,
        backend,
        "name_tokens",
        &["token", "customer_id"],
        rows,
        "ON CONFLICT DO NOTHING",
    )
    .await
}

/// The migration's backfill: names written before search knew romanizations
/// get those words too, then the (empty) dictionary is filled from every
/// customer's words.
pub(super) async fn backfill(tx: &mut Tx, backend: Backend) -> StoreResult<()> {
    let rows = sqlx::query("SELECT id, name FROM customers ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    let mut names = Vec::new();
    for row in &rows {
        let name: String = col(row, "name")?;
        // ASCII names have no other spelling: their words are all there.
        if !name.is_ascii() {
            names.push((CustomerId(col(row, "id")?), name));
        }
    }
    let names: Vec<_> = names.iter().map(|(id, n)| (*id, n.as_str())).collect();
    insert_tokens(tx, backend, words_of(&names)).await?;
    tx.execute(
        "INSERT INTO name_terms (term, customers) \
         SELECT token, COUNT(*) FROM name_tokens GROUP BY token",
    )
    .await?;
    index_trigrams_after(tx, backend, 0).await
}

async fn last_term_id(tx: &mut Tx) -> StoreResult<i64> {
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM name_terms")
        .fetch_one(&mut **tx)
        .await?;
    Ok(last.unwrap_or(0))
}

/// Adds the dictionary's words after id `last` to SQLite's trigram table
/// (PostgreSQL's index follows the table by itself). Writers are serialised
/// on SQLite, so the words after `last` are exactly this transaction's.
async fn index_trigrams_after(tx: &mut Tx, backend: Backend, last: i64) -> StoreResult<()> {
    if backend == Backend::Sqlite {
        sqlx::query(
            "INSERT INTO name_terms_trigram (rowid, term) \
             SELECT id, term FROM name_terms WHERE id > $1",
        )
        .bind(last)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
