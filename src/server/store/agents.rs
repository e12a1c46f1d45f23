//! Agents and their tokens. A token is shown once when the agent is added; only
//! its SHA-256 is stored (tokens are 256 random bits, so a plain hash suffices).

use super::db::{col, Store, StoreResult};
use super::rows;
use crate::domain::text::hex;
use crate::domain::{Agent, AgentId, Money, Role, Skill};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

/// Prefix that makes a Switchboard token recognisable in a config file.
const TOKEN_PREFIX: &str = "sb_";

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    format!("{TOKEN_PREFIX}{}", hex(&secret))
}

impl Store {
    /// Adds an agent and returns it with its token, which is not stored.
    pub async fn add_agent(
        &self,
        name: &str,
        role: Role,
        waiver_limit: Money,
    ) -> StoreResult<(Agent, String)> {
        let token = new_token();
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO agents (name, role, waiver_limit_minor, currency, token_hash, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(waiver_limit.minor_units)
        .bind(waiver_limit.currency.as_str())
        .bind(hash_token(&token))
        .bind(chrono::Utc::now().timestamp_millis())
        .fetch_one(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        let agent = Agent {
            id: AgentId(id),
            name: name.to_string(),
            role,
            waiver_limit,
        };
        Ok((agent, token))
    }

    /// The agent a bearer token belongs to, if any, not disabled, and the
    /// token not expired by the store's clock.
    pub async fn agent_by_token(&self, token: &str) -> StoreResult<Option<Agent>> {
        let row = sqlx::query(
            "SELECT id, name, role, waiver_limit_minor, currency FROM agents \
             WHERE token_hash = $1 AND disabled_at_ms IS NULL \
             AND (token_expires_at_ms IS NULL OR token_expires_at_ms > $2)",
        )
        .bind(hash_token(token))
        .bind(self.now().timestamp_millis())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(agent_from_row).transpose()
    }

    /// Makes agent `id`'s current token expire at `at` (or never), with an
    /// audit entry naming `by`; false when there is no such agent.
    pub async fn expire_token(
        &self,
        id: AgentId,
        at: Option<chrono::DateTime<chrono::Utc>>,
        by: &str,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query("UPDATE agents SET token_expires_at_ms = $1 WHERE id = $2")
            .bind(at.map(|t| t.timestamp_millis()))
            .bind(id.0)
            .execute(&mut *tx.tx)
            .await?
            .rows_affected();
        if changed != 1 {
            return Ok(false);
        }
        let when = at.map_or("never".to_string(), |t| {
            t.format("%Y-%m-%d %H:%M UTC").to_string()
        });
        sqlx::query(
            "INSERT INTO audit (at_ms, agent_id, action, customer_id, outcome, detail, \
             idempotency_key) VALUES ($1, $2, 'agent.expiry', 0, 'done', $3, '')",
        )
        .bind(self.now().timestamp_millis())
        .bind(id.0)
        .bind(format!("token expires {when}, by {by}"))
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Every agent, with whether they are disabled, by id.
    pub async fn agents(&self) -> StoreResult<Vec<(Agent, bool)>> {
        let rows = sqlx::query(
            "SELECT id, name, role, waiver_limit_minor, currency, disabled_at_ms FROM agents \
             ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    agent_from_row(r)?,
                    col::<Option<i64>>(r, "disabled_at_ms")?.is_some(),
                ))
            })
            .collect()
    }

    /// Changes agent `id`'s token (rotate: a new one, returned; revoke: one
    /// nobody is given) or disables them, in one transaction with its audit
    /// entry naming `by`. `None` when there is no such agent.
    pub async fn change_access(
        &self,
        id: AgentId,
        change: AccessChange,
        by: &str,
    ) -> StoreResult<Option<Option<String>>> {
        let token = new_token();
        let now = self.now().timestamp_millis();
        let mut tx = self.begin_write().await?;
        let changed = match change {
            AccessChange::Rotate | AccessChange::Revoke => {
                // A new token starts without the old one's expiry.
                sqlx::query(
                    "UPDATE agents SET token_hash = $1, token_expires_at_ms = NULL WHERE id = $2",
                )
                .bind(hash_token(&token))
                .bind(id.0)
                .execute(&mut *tx.tx)
                .await?
            }
            AccessChange::Disable => {
                sqlx::query("UPDATE agents SET disabled_at_ms = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id.0)
                    .execute(&mut *tx.tx)
                    .await?
            }
        }
        .rows_affected();
        if changed != 1 {
            return Ok(None);
        }
        sqlx::query(
            "INSERT INTO audit (at_ms, agent_id, action, customer_id, outcome, detail, \
             idempotency_key) VALUES ($1, $2, $3, 0, $4, $5, '')",
        )
        .bind(now)
        .bind(id.0)
        .bind(format!("agent.{}", change.as_str()))
        .bind("done")
        .bind(format!("{} by {by}", change.as_str()))
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok(Some((change == AccessChange::Rotate).then_some(token)))
    }
}

impl Store {
    /// Sets agent `id`'s role and waiver limit (each when given), with an
    /// audit entry naming `by`; the agent as it now is, or `None` when there
    /// is no such agent.
    pub async fn set_agent(
        &self,
        id: AgentId,
        role: Option<Role>,
        limit: Option<Money>,
        by: &str,
    ) -> StoreResult<Option<Agent>> {
        let mut tx = self.begin_write().await?;
        let Some(row) = sqlx::query(
            "SELECT id, name, role, waiver_limit_minor, currency FROM agents WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&mut *tx.tx)
        .await?
        else {
            return Ok(None);
        };
        let mut agent = agent_from_row(&row)?;
        let before = format!("{} {}", agent.role.as_str(), agent.waiver_limit);
        agent.role = role.unwrap_or(agent.role);
        agent.waiver_limit = limit.unwrap_or(agent.waiver_limit);
        sqlx::query(
            "UPDATE agents SET role = $1, waiver_limit_minor = $2, currency = $3 WHERE id = $4",
        )
        .bind(agent.role.as_str())
        .bind(agent.waiver_limit.minor_units)
        .bind(agent.waiver_limit.currency.as_str())
        .bind(id.0)
        .execute(&mut *tx.tx)
        .await?;
        sqlx::query(
            "INSERT INTO audit (at_ms, agent_id, action, customer_id, outcome, detail, \
             idempotency_key) VALUES ($1, $2, 'agent.set', 0, 'done', $3, '')",
        )
        .bind(self.now().timestamp_millis())
        .bind(id.0)
        .bind(format!(
            "{before} -> {} {} by {by}",
            agent.role.as_str(),
            agent.waiver_limit
        ))
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok(Some(agent))
    }
}

/// What `agent rotate | revoke | disable` does to an agent's access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessChange {
    /// A new token; the old one is refused.
    Rotate,
    /// The token is refused and no new one is given.
    Revoke,
    /// Every request as the agent is refused, whatever the token.
    Disable,
}

impl AccessChange {
    pub fn as_str(&self) -> &'static str {
        match self {
            AccessChange::Rotate => "rotate",
            AccessChange::Revoke => "revoke",
            AccessChange::Disable => "disable",
        }
    }
}

fn agent_from_row(row: &AnyRow) -> StoreResult<Agent> {
    Ok(Agent {
        id: AgentId(col(row, "id")?),
        name: col(row, "name")?,
        role: rows::parsed(&col::<String>(row, "role")?, "role", Role::parse)?,
        waiver_limit: rows::money(
            col(row, "waiver_limit_minor")?,
            &col::<String>(row, "currency")?,
        )?,
    })
}

/// An agent as the floor sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FloorAgent {
    pub agent: Agent,
    /// Played by the call simulator.
    pub simulated: bool,
    /// The queues they serve (empty: every queue).
    pub skills: Vec<Skill>,
}

impl Store {
    /// Adds agents for the call simulator to play, each with their skills;
    /// their tokens are discarded.
    pub async fn add_simulated_agents(
        &self,
        agents: &[(&str, Vec<Skill>)],
        limit: Money,
    ) -> StoreResult<()> {
        for (name, skills) in agents {
            let (agent, _) = self.add_agent(name, Role::Agent, limit).await?;
            sqlx::query("UPDATE agents SET simulated = 1 WHERE id = $1")
                .bind(agent.id.0)
                .execute(self.pool())
                .await?;
            if !skills.is_empty() {
                self.set_skills(agent.id, skills, "seed").await?;
            }
        }
        Ok(())
    }

    /// Every agent (role `agent`), by id.
    pub async fn floor_agents(&self) -> StoreResult<Vec<FloorAgent>> {
        let rows = sqlx::query(
            "SELECT id, name, role, waiver_limit_minor, currency, simulated FROM agents \
             WHERE role = $1 ORDER BY id",
        )
        .bind(Role::Agent.as_str())
        .fetch_all(self.pool())
        .await?;
        let mut skills = self.all_skills().await?;
        rows.iter()
            .map(|row| {
                let mut agent = floor_agent_from_row(row)?;
                agent.skills = skills.remove(&agent.agent.id).unwrap_or_default();
                Ok(agent)
            })
            .collect()
    }

    /// One agent (role `agent`) by id.
    pub async fn floor_agent(&self, id: AgentId) -> StoreResult<Option<FloorAgent>> {
        let row = sqlx::query(
            "SELECT id, name, role, waiver_limit_minor, currency, simulated FROM agents \
             WHERE id = $1 AND role = $2",
        )
        .bind(id.0)
        .bind(Role::Agent.as_str())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut agent = floor_agent_from_row(&row)?;
        agent.skills = self.skills_of(id).await?;
        Ok(Some(agent))
    }
}

fn floor_agent_from_row(row: &AnyRow) -> StoreResult<FloorAgent> {
    Ok(FloorAgent {
        agent: agent_from_row(row)?,
        simulated: col::<i64>(row, "simulated")? != 0,
        skills: Vec::new(),
    })
}
