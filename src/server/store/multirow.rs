//! Multi-row INSERT statements for loading many rows at once, within the
//! caller's transaction.

use super::db::{Backend, StoreResult};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

/// One column value of a bulk row.
#[derive(Clone)]
pub(super) enum Val {
    Int(i64),
    Float(f64),
    Text(String),
    NullInt,
    NullText,
}

impl Val {
    pub(super) fn opt_text(v: &Option<String>) -> Val {
        v.clone().map_or(Val::NullText, Val::Text)
    }

    /// Binds the value as the query's next parameter.
    pub(super) fn bind_to<'q>(
        self,
        query: Query<'q, Any, AnyArguments<'q>>,
    ) -> Query<'q, Any, AnyArguments<'q>> {
        match self {
            Val::Int(v) => query.bind(v),
            Val::Float(v) => query.bind(v),
            Val::Text(v) => query.bind(v),
            Val::NullInt => query.bind(None::<i64>),
            Val::NullText => query.bind(None::<String>),
        }
    }
}

/// `n` parameters for an `IN` list: numbered from `first` on PostgreSQL,
/// anonymous (`?`) on SQLite, where numbered ones cost time proportional
/// to the statement's parameter count each (see `insert_rows`). On SQLite
/// every parameter of the statement must then be a `?`.
pub(super) fn list_params(backend: Backend, first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| match backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${i}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The backend a transaction runs on.
pub(super) fn backend_of(tx: &mut sqlx::Transaction<'static, Any>) -> Backend {
    use sqlx::AnyConnection;
    let conn: &mut AnyConnection = tx;
    match conn.backend_name() {
        "SQLite" => Backend::Sqlite,
        _ => Backend::Postgres,
    }
}

/// SQLite takes at most 32,766 parameters per statement; stay well below.
const MAX_PARAMS: usize = 16_000;

/// Inserts `rows` in multi-row statements. SQLite gets anonymous `?` parameters:
/// binding numbered ones (`$n`) costs time proportional to the statement's
/// parameter count for each parameter, which makes big statements quadratic.
pub(super) async fn insert_rows(
    tx: &mut sqlx::Transaction<'static, Any>,
    backend: Backend,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> StoreResult<()> {
    insert_rows_then(tx, backend, table, columns, rows, "").await
}

/// `insert_rows` with an `ON CONFLICT …` clause, e.g. `ON CONFLICT DO NOTHING`.
pub(super) async fn insert_rows_then(
    tx: &mut sqlx::Transaction<'static, Any>,
    backend: Backend,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
    conflict: &str,
) -> StoreResult<()> {
    let per_batch = (MAX_PARAMS / columns.len()).max(1);
    for batch in rows.chunks(per_batch) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in batch.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..columns.len() {
                n += 1;
                if c > 0 {
                    sql.push_str(", ");
                }
                match backend {
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => sql.push_str(&format!("${n}")),
                }
            }
            sql.push(')');
        }
        if !conflict.is_empty() {
            sql.push(' ');
            sql.push_str(conflict);
        }
        let mut query: Query<'_, Any, AnyArguments<'_>> = sqlx::query(&sql);
        for row in batch {
            for value in row {
                query = value.clone().bind_to(query);
            }
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
