//! Skills: the queues each agent serves and how well. `agent add|set
//! --queues` writes them (audited); the floor reads them with each agent.

use super::db::{col, Store, StoreResult};
use crate::domain::{skills_text, AgentId, Skill};
use std::collections::HashMap;

impl Store {
    /// Replaces the agent's skills (an empty list: every queue) and audits
    /// the change with who made it. The caller has checked the queue codes.
    pub async fn set_skills(&self, agent: AgentId, skills: &[Skill], by: &str) -> StoreResult<()> {
        let before = skills_text(&self.skills_of(agent).await?);
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM agent_skills WHERE agent_id = $1")
            .bind(agent.0)
            .execute(&mut *tx.tx)
            .await?;
        for s in skills {
            sqlx::query(
                "INSERT INTO agent_skills (agent_id, queue, proficiency) VALUES ($1, $2, $3)",
            )
            .bind(agent.0)
            .bind(&s.queue)
            .bind(i64::from(s.proficiency))
            .execute(&mut *tx.tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO audit (at_ms, agent_id, action, customer_id, outcome, detail, \
             idempotency_key) VALUES ($1, $2, 'agent.skills', 0, 'done', $3, '')",
        )
        .bind(self.now().timestamp_millis())
        .bind(agent.0)
        .bind(format!("{before} -> {} by {by}", skills_text(skills)))
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await
    }

    /// One agent's skills, highest proficiency first.
    pub async fn skills_of(&self, agent: AgentId) -> StoreResult<Vec<Skill>> {
        let rows = sqlx::query(
            "SELECT agent_id, queue, proficiency FROM agent_skills WHERE agent_id = $1 \
             ORDER BY proficiency DESC, queue",
        )
        .bind(agent.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(skill_from_row)
            .collect::<StoreResult<Vec<_>>>()?
            .into_iter()
            .map(|(_, s)| s)
            .collect())
    }

    /// Every agent's skills, highest proficiency first.
    pub async fn all_skills(&self) -> StoreResult<HashMap<AgentId, Vec<Skill>>> {
        let rows = sqlx::query(
            "SELECT agent_id, queue, proficiency FROM agent_skills \
             ORDER BY agent_id, proficiency DESC, queue",
        )
        .fetch_all(self.pool())
        .await?;
        let mut by_agent: HashMap<AgentId, Vec<Skill>> = HashMap::new();
        for row in &rows {
            let (agent, skill) = skill_from_row(row)?;
            by_agent.entry(agent).or_default().push(skill);
        }
        Ok(by_agent)
    }
}

fn skill_from_row(row: &sqlx::any::AnyRow) -> StoreResult<(AgentId, Skill)> {
    let proficiency: i64 = col(row, "proficiency")?;
    Ok((
        AgentId(col(row, "agent_id")?),
        Skill {
            queue: col(row, "queue")?,
            proficiency: u8::try_from(proficiency).unwrap_or(1),
        },
    ))
}
