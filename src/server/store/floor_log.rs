//! The floor's shared event log (`floor_events`), through which replicas on
//! PostgreSQL fan events out: appended in batches under one advisory lock so
//! ids commit in increasing order (a reader that has seen id n never later
//! finds a smaller one), with a `NOTIFY` carrying the newest id sent on
//! commit; read back in id order by every replica.

use super::db::{col, Store, StoreResult};
use super::multirow::{insert_rows, Val};

/// The channel replicas listen on; its payload is the newest id.
pub const CHANNEL: &str = "switchboard_floor";
/// The advisory lock that orders appends (any constant unique to this use),
/// taken with the schema's hash beside it: floors in two schemas of one
/// database do not wait for each other.
const APPEND_LOCK: i32 = 0x5342_464c;

/// An event for the log.
pub struct NewLogEvent<'a> {
    pub audience: &'a str,
    pub agent: Option<i64>,
    pub name: &'a str,
    pub data: &'a str,
    /// When it was published (UTC epoch ms).
    pub at_ms: i64,
}

/// An event from the log.
#[derive(Debug, Clone)]
pub struct LoggedEvent {
    pub id: u64,
    /// The replica that appended it.
    pub origin: String,
    pub audience: String,
    pub agent: Option<i64>,
    pub name: String,
    pub data: String,
    pub at_ms: i64,
}

impl Store {
    /// Appends `events` from replica `origin` in one transaction and rings
    /// the doorbell on commit.
    pub async fn append_floor_events(
        &self,
        origin: &str,
        events: &[NewLogEvent<'_>],
    ) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))")
            .bind(APPEND_LOCK)
            .execute(&mut *tx.tx)
            .await?;
        let rows = events
            .iter()
            .map(|e| {
                vec![
                    Val::Text(origin.to_string()),
                    Val::Text(e.audience.to_string()),
                    e.agent.map_or(Val::NullInt, Val::Int),
                    Val::Text(e.name.to_string()),
                    Val::Text(e.data.to_string()),
                    Val::Int(e.at_ms),
                ]
            })
            .collect();
        insert_rows(
            &mut tx.tx,
            self.backend(),
            "floor_events",
            &["origin", "audience", "agent_id", "name", "data", "at_ms"],
            rows,
        )
        .await?;
        sqlx::query("SELECT pg_notify($1, CAST(COALESCE(MAX(id), 0) AS TEXT)) FROM floor_events")
            .bind(CHANNEL)
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }

    /// Up to `limit` events after id `after`, oldest first.
    pub async fn floor_events_after(
        &self,
        after: u64,
        limit: i64,
    ) -> StoreResult<Vec<LoggedEvent>> {
        let rows = sqlx::query(
            "SELECT id, origin, audience, agent_id, name, data, at_ms FROM floor_events \
             WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after as i64)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LoggedEvent {
                    id: col::<i64>(r, "id")? as u64,
                    origin: col(r, "origin")?,
                    audience: col(r, "audience")?,
                    agent: col(r, "agent_id")?,
                    name: col(r, "name")?,
                    data: col(r, "data")?,
                    at_ms: col(r, "at_ms")?,
                })
            })
            .collect()
    }

    /// The oldest id still in the log, if any.
    pub async fn floor_log_oldest(&self) -> StoreResult<Option<u64>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT MIN(id) FROM floor_events")
            .fetch_one(self.pool())
            .await?;
        Ok(id.map(|id| id as u64))
    }

    /// The newest id in the log (0 when empty).
    pub async fn floor_log_latest(&self) -> StoreResult<u64> {
        let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM floor_events")
            .fetch_one(self.pool())
            .await?;
        Ok(id.unwrap_or(0) as u64)
    }

    /// The id just before the first event logged at or after `since_ms`
    /// (the newest id when there is none).
    pub async fn floor_log_before(&self, since_ms: i64) -> StoreResult<u64> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT MIN(id) FROM floor_events WHERE at_ms >= $1")
                .bind(since_ms)
                .fetch_one(self.pool())
                .await?;
        match id {
            Some(id) => Ok(id as u64 - 1),
            None => self.floor_log_latest().await,
        }
    }

    /// Drops events logged before `before_ms`; returns how many.
    pub async fn purge_floor_log(&self, before_ms: i64) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM floor_events WHERE at_ms < $1")
            .bind(before_ms)
            .execute(&mut *tx.tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n)
    }
}
