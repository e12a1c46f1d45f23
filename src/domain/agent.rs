//! Agents and supervisors: who is signed in and what they may decide alone.

use super::{AgentId, Money};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Agent,
    Supervisor,
    /// A machine: an ACD or the call simulator posting call events.
    System,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
            Role::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "agent" => Some(Role::Agent),
            "supervisor" => Some(Role::Supervisor),
            "system" => Some(Role::System),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Agent {
    pub id: AgentId,
    pub name: String,
    pub role: Role,
    /// The most this person may waive in one decision without approval.
    pub waiver_limit: Money,
}

/// Highest proficiency: 1 takes a queue's calls, 2 is experienced, 3 expert.
pub const MAX_PROFICIENCY: u8 = 3;

/// A queue an agent serves, and how well (1 to `MAX_PROFICIENCY`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Skill {
    /// Queue code from the reference data.
    pub queue: String,
    #[schema(minimum = 1, maximum = 3)]
    pub proficiency: u8,
}

/// Parses `billing:3,retention:1` (a queue without `:N` is proficiency 1);
/// the message names the part that is wrong. Queue codes are checked
/// against the reference data by the caller.
pub fn parse_skills(text: &str) -> Result<Vec<Skill>, String> {
    let mut skills: Vec<Skill> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (queue, level) = part.split_once(':').unwrap_or((part, "1"));
        let queue = queue.trim();
        let proficiency = level
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|p| (1..=MAX_PROFICIENCY).contains(p))
            .ok_or_else(|| format!("\"{part}\": the proficiency after ':' must be 1, 2 or 3"))?;
        if queue.is_empty() {
            return Err(format!("\"{part}\": a queue code comes before ':'"));
        }
        if skills.iter().any(|s| s.queue == queue) {
            return Err(format!("queue \"{queue}\" is listed twice"));
        }
        skills.push(Skill {
            queue: queue.to_string(),
            proficiency,
        });
    }
    Ok(skills)
}

/// How well an agent with `skills` serves `queue`: their proficiency, 1 for
/// every queue when they have no skills listed (a generalist), `None` when
/// they do not serve it.
pub fn proficiency_for(skills: &[Skill], queue: &str) -> Option<u8> {
    if skills.is_empty() {
        return Some(1);
    }
    skills
        .iter()
        .find(|s| s.queue == queue)
        .map(|s| s.proficiency)
}

/// `billing:3, retention:1`, as `parse_skills` reads it; "every queue" when empty.
pub fn skills_text(skills: &[Skill]) -> String {
    if skills.is_empty() {
        return "every queue".into();
    }
    skills
        .iter()
        .map(|s| format!("{}:{}", s.queue, s.proficiency))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_parse_and_say_what_is_wrong() {
        let skills = parse_skills("billing:3, retention:1,premier").expect("valid");
        assert_eq!(
            skills
                .iter()
                .map(|s| (s.queue.as_str(), s.proficiency))
                .collect::<Vec<_>>(),
            [("billing", 3), ("retention", 1), ("premier", 1)]
        );
        assert_eq!(skills_text(&skills), "billing:3, retention:1, premier:1");
        assert_eq!(parse_skills("").expect("none"), []);
        for (bad, says) in [
            ("billing:4", "must be 1, 2 or 3"),
            ("billing:0", "must be 1, 2 or 3"),
            ("billing:x", "must be 1, 2 or 3"),
            (":2", "a queue code comes before"),
            ("billing:1,billing:2", "listed twice"),
        ] {
            let e = parse_skills(bad).expect_err(bad);
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn no_skills_serves_every_queue_at_the_lowest_level() {
        let skills = parse_skills("billing:3").expect("valid");
        assert_eq!(proficiency_for(&skills, "billing"), Some(3));
        assert_eq!(proficiency_for(&skills, "sales"), None);
        assert_eq!(proficiency_for(&[], "sales"), Some(1));
    }
}
