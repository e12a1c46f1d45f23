//! Idempotency keys (IETF draft "The Idempotency-Key HTTP Header Field"). A key is
//! claimed before a write runs; the write's transaction stores the response with
//! it; a replay with the same body gets that response, a different body is
//! refused, and a request arriving while the first is still running is told so.

use super::db::{col, Store, StoreError, StoreResult};
use crate::domain::AgentId;
use chrono::Utc;

/// A claim older than this is taken to belong to a server that died
/// mid-request. Short, so a desk replaying its outbox after a server crash
/// waits seconds, not minutes; safe, because a request whose claim was taken
/// over cannot complete (its token no longer matches) and its write rolls back.
const STALE_CLAIM_MS: i64 = 10_000;
/// Keys are kept at least 30 days; purged after 45.
const KEEP_KEYS_MS: i64 = 45 * 24 * 3600 * 1000;

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is ours now: run the request. `token` identifies this claim, so
    /// a request whose claim was taken over cannot also complete.
    Fresh { token: i64 },
    /// The same request was answered before: send this again.
    Replay { status: u16, body: String },
    /// The key was used with a different request body.
    Mismatch,
    /// A request with this key is being processed right now.
    InFlight,
}

impl Store {
    pub async fn claim_key(
        &self,
        agent: AgentId,
        key: &str,
        request_hash: &str,
    ) -> StoreResult<Claim> {
        let now = Utc::now().timestamp_millis();
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO idempotency (agent_id, key, request_hash, state, created_at_ms) \
             VALUES ($1, $2, $3, 'in_flight', $4) ON CONFLICT (agent_id, key) DO NOTHING",
        )
        .bind(agent.0)
        .bind(key)
        .bind(request_hash)
        .bind(now)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            tx.commit().await?;
            return Ok(Claim::Fresh { token: now });
        }
        let row = sqlx::query(
            "SELECT request_hash, state, status_code, response, created_at_ms FROM idempotency \
             WHERE agent_id = $1 AND key = $2",
        )
        .bind(agent.0)
        .bind(key)
        .fetch_one(&mut *tx.tx)
        .await?;
        if col::<String>(&row, "request_hash")? != request_hash {
            return Ok(Claim::Mismatch);
        }
        if col::<String>(&row, "state")? == "done" {
            let status = col::<Option<i64>>(&row, "status_code")?.unwrap_or(200);
            return Ok(Claim::Replay {
                status: u16::try_from(status).unwrap_or(200),
                body: col::<Option<String>>(&row, "response")?.unwrap_or_default(),
            });
        }
        let claimed_at: i64 = col(&row, "created_at_ms")?;
        if now - claimed_at < STALE_CLAIM_MS {
            return Ok(Claim::InFlight);
        }
        let taken = sqlx::query(
            "UPDATE idempotency SET created_at_ms = $1 \
             WHERE agent_id = $2 AND key = $3 AND state = 'in_flight' AND created_at_ms = $4",
        )
        .bind(now)
        .bind(agent.0)
        .bind(key)
        .bind(claimed_at)
        .execute(&mut *tx.tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(if taken == 1 {
            Claim::Fresh { token: now }
        } else {
            Claim::InFlight
        })
    }

    /// Gives a claimed key back, for a request that was not processed (invalid
    /// input or a server failure), so it can be retried. Only this claim's: a
    /// claim taken over by a retry is left alone.
    pub async fn release_key(&self, agent: AgentId, key: &str, token: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM idempotency \
             WHERE agent_id = $1 AND key = $2 AND state = 'in_flight' AND created_at_ms = $3",
        )
        .bind(agent.0)
        .bind(key)
        .bind(token)
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await
    }

    /// Deletes keys past their keeping time; returns how many.
    pub async fn purge_old_keys(&self) -> StoreResult<u64> {
        let cutoff = Utc::now().timestamp_millis() - KEEP_KEYS_MS;
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM idempotency WHERE created_at_ms < $1")
            .bind(cutoff)
            .execute(&mut *tx.tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n)
    }
}

/// Stores the response with the key, inside the write's own transaction. Fails
/// (rolling the write back) when the claim is no longer this request's: it was
/// taken over after going stale, or released.
pub(super) async fn complete(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    agent: AgentId,
    key: &str,
    token: i64,
    status: u16,
    body: &str,
) -> StoreResult<()> {
    let updated = sqlx::query(
        "UPDATE idempotency SET state = 'done', status_code = $1, response = $2 \
         WHERE agent_id = $3 AND key = $4 AND state = 'in_flight' AND created_at_ms = $5",
    )
    .bind(i64::from(status))
    .bind(body)
    .bind(agent.0)
    .bind(key)
    .bind(token)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return Err(StoreError::ClaimLost);
    }
    Ok(())
}
