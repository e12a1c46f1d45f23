//! Schema migrations, run at every start. Each migration is one SQL file written
//! once; the few words SQLite and PostgreSQL spell differently are filled in here,
//! and a migration that must compute rows in Rust names its backfill.

use super::db::{Backend, Store, StoreResult};
use super::name_index;
use sqlx::Executor;

/// Work a migration does in Rust after its SQL, in the same transaction.
#[derive(Clone, Copy)]
enum Backfill {
    /// Romanized name words and the name dictionary (`name_index::backfill`).
    NameIndex,
}

/// (version, SQL, backfill). Append only: a released migration never changes.
const MIGRATIONS: &[(i64, &str, Option<Backfill>)] = &[
    (1, include_str!("schema/v1.sql"), None),
    (2, include_str!("schema/v2.sql"), None),
    (3, include_str!("schema/v3.sql"), Some(Backfill::NameIndex)),
    (4, include_str!("schema/v4.sql"), None),
    (5, include_str!("schema/v5.sql"), None),
    (6, include_str!("schema/v6.sql"), None),
    (7, include_str!("schema/v7.sql"), None),
    (8, include_str!("schema/v8.sql"), None),
    (9, include_str!("schema/v9.sql"), None),
    (10, include_str!("schema/v10.sql"), None),
    (11, include_str!("schema/v11.sql"), None),
    (12, include_str!("schema/v12.sql"), None),
    (13, include_str!("schema/v13.sql"), None),
    (14, include_str!("schema/v14.sql"), None),
    (15, include_str!("schema/v15.sql"), None),
    (16, include_str!("schema/v16.sql"), None),
    (17, include_str!("schema/v17.sql"), None),
    (18, include_str!("schema/v18.sql"), None),
    (19, include_str!("schema/v19.sql"), None),
    (20, include_str!("schema/v20.sql"), None),
];

fn render(sql: &str, backend: Backend) -> String {
    let (serial_id, big_key, text_key, without_rowid, real) = match backend {
        Backend::Sqlite => (
            "INTEGER PRIMARY KEY AUTOINCREMENT",
            "INTEGER PRIMARY KEY",
            "TEXT",
            "WITHOUT ROWID",
            "REAL",
        ),
        // Byte order, so prefix range scans on tokens match SQLite's.
        Backend::Postgres => (
            "BIGSERIAL PRIMARY KEY",
            "BIGINT PRIMARY KEY",
            "TEXT COLLATE \"C\"",
            "",
            "DOUBLE PRECISION",
        ),
    };
    // Whole statements of one dialect (an empty statement is skipped).
    let (trigram_extension, term_trigrams) = match backend {
        Backend::Sqlite => (
            "",
            "CREATE VIRTUAL TABLE name_terms_trigram USING fts5(term, tokenize = 'trigram')",
        ),
        Backend::Postgres => (
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX name_terms_trigram ON name_terms USING gin (term gin_trgm_ops)",
        ),
    };
    sql.replace("{serial_id}", serial_id)
        .replace("{big_key}", big_key)
        .replace("{text_key}", text_key)
        .replace("{without_rowid}", without_rowid)
        .replace("{real}", real)
        .replace("{trigram_extension}", trigram_extension)
        .replace("{term_trigrams}", term_trigrams)
}

/// Applies every migration newer than the database's version, each in its own
/// transaction.
pub(super) async fn run(store: &Store) -> StoreResult<()> {
    let mut tx = store.begin_write().await?;
    tx.tx
        .execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations \
             (version BIGINT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)",
        )
        .await?;
    tx.commit().await?;
    for (version, sql, backfill) in MIGRATIONS {
        let mut tx = store.begin_write().await?;
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(*version)
                .fetch_optional(&mut *tx.tx)
                .await?;
        if applied.is_some() {
            continue;
        }
        for statement in render(sql, store.backend()).split(';') {
            let statement = strip_comments(statement);
            if !statement.is_empty() {
                tx.tx.execute(statement.as_str()).await?;
            }
        }
        match backfill {
            Some(Backfill::NameIndex) => name_index::backfill(&mut tx.tx, store.backend()).await?,
            None => {}
        }
        sqlx::query("INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($1, $2)")
            .bind(*version)
            .bind(chrono::Utc::now().timestamp_millis())
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version, "applied schema migration");
    }
    Ok(())
}

fn strip_comments(statement: &str) -> String {
    statement
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}
