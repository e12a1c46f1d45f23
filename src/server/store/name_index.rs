//! What search finds names by, written with the customers: every word of a
//! name and of its romanization (`domain::text::name_search_words`) in
//! `name_tokens`, and each word not seen before in the dictionary
//! `name_terms`, whose trigram index (an FTS5 table on SQLite, pg_trgm's GIN
//! index on PostgreSQL) finds the likely words behind a misspelling.

use super::db::{col, Backend, StoreResult};
use super::multirow::{insert_new_rows, Val};
use crate::domain::{text, CustomerId};
use sqlx::{Any, Executor};

type Tx = sqlx::Transaction<'static, Any>;

/// Indexes these customers' names, within the caller's transaction. Words
/// already indexed are skipped, so indexing a name again adds only what is new.
pub(super) async fn index_names(
    tx: &mut Tx,
    backend: Backend,
    names: &[(CustomerId, &str)],
) -> StoreResult<()> {
    let mut token_rows = Vec::new();
    let mut terms: Vec<String> = Vec::new();
    for (id, name) in names {
        for word in text::name_search_words(name) {
            terms.push(word.clone());
            token_rows.push(vec![Val::Text(word), Val::Int(id.0)]);
        }
    }
    terms.sort();
    terms.dedup();
    let last = last_term_id(tx).await?;
    insert_new_rows(
        tx,
        backend,
        "name_tokens",
        &["token", "customer_id"],
        token_rows,
    )
    .await?;
    let term_rows = terms.into_iter().map(|t| vec![Val::Text(t)]).collect();
    insert_new_rows(tx, backend, "name_terms", &["term"], term_rows).await?;
    index_trigrams_after(tx, backend, last).await
}

/// The migration's backfill: names written before search knew romanizations
/// get those words too, and every indexed word enters the dictionary.
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
    index_names(tx, backend, &names).await?;
    let last = last_term_id(tx).await?;
    tx.execute(
        "INSERT INTO name_terms (term) SELECT DISTINCT token FROM name_tokens \
         WHERE token NOT IN (SELECT term FROM name_terms)",
    )
    .await?;
    index_trigrams_after(tx, backend, last).await
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
