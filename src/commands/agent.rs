//! `switchboard agent`: adds an agent or supervisor and prints its token once
//! (only a hash is stored), lists agents, and rotates, revokes or disables an
//! agent's access, each change in the audit log with the operator's name.

use crate::domain::{parse_skills, skills_text, AgentId, Currency, Money, Role, Skill};
use crate::server::store::{AccessChange, Store};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Add an agent and print their token (shown once, stored hashed).
    #[command(
        after_help = "Example:\n  switchboard agent add \"Alex Kim\" --role agent --waiver-limit 50.00 \\\n    --queues billing:3,retention:1"
    )]
    Add(AddArgs),
    /// List every agent: id, name, role, waiver limit, and whether disabled.
    List(DbArg),
    /// Give an agent a new token (printed once); the old one is refused.
    Rotate(RotateArgs),
    /// Refuse an agent's token from now on, without giving a new one.
    Revoke(IdArgs),
    /// Refuse every request as the agent, whatever the token.
    Disable(IdArgs),
    /// Change an agent's role, waiver limit (from their next request) or the
    /// queues they serve (from their next change of state).
    #[command(
        after_help = "Examples:\n  switchboard agent set 7 --waiver-limit 75.00\n  switchboard agent set 7 --queues billing:3,retention:1"
    )]
    Set(SetArgs),
}

#[derive(clap::Args)]
pub struct RotateArgs {
    #[command(flatten)]
    agent: IdArgs,
    /// The new token stops working this many days from now.
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
    expires_in_days: Option<u32>,
}

#[derive(clap::Args)]
pub struct SetArgs {
    /// The agent's id (see `switchboard agent list`).
    id: i64,
    /// `agent`, `supervisor`, or `system`.
    #[arg(long, value_parser = ["agent", "supervisor", "system"])]
    role: Option<String>,
    /// The most they may waive in one decision without approval.
    #[arg(long, value_name = "AMOUNT")]
    waiver_limit: Option<String>,
    /// Currency of the waiver limit (ISO-4217), with --waiver-limit.
    #[arg(long, default_value = "USD", requires = "waiver_limit")]
    currency: String,
    #[command(flatten)]
    queues: QueuesArg,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct QueuesArg {
    /// The queues they serve, each with a proficiency from 1 (takes its
    /// calls) to 3 (expert), e.g. `billing:3,retention:1`; an empty value
    /// (`--queues ''`) means every queue, at 1.
    #[arg(long, value_name = "QUEUE:LEVEL,…")]
    queues: Option<String>,
}

#[derive(clap::Args)]
pub struct DbArg {
    /// Database URL (see `switchboard serve --help`).
    #[arg(long, env = "SWITCHBOARD_DB", value_name = "URL")]
    db: Option<String>,
}

#[derive(clap::Args)]
pub struct IdArgs {
    /// The agent's id (see `switchboard agent list`).
    id: i64,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args)]
pub struct AddArgs {
    /// The agent's display name.
    name: String,
    /// `agent`, `supervisor`, or `system` (an ACD or call simulator posting call
    /// events).
    #[arg(long, value_parser = ["agent", "supervisor", "system"])]
    role: String,
    /// The most they may waive in one decision without approval, e.g. 50 or 50.00.
    #[arg(long, value_name = "AMOUNT")]
    waiver_limit: String,
    /// Currency of the waiver limit (ISO-4217).
    #[arg(long, default_value = "USD")]
    currency: String,
    /// The token stops working this many days from now (default: never).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
    expires_in_days: Option<u32>,
    #[command(flatten)]
    queues: QueuesArg,
    /// Database URL (see `switchboard serve --help`).
    #[arg(long, env = "SWITCHBOARD_DB", value_name = "URL")]
    db: Option<String>,
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    let (args, change) = match command {
        Command::Add(args) => return add(args).await,
        Command::List(db) => return list(db).await,
        Command::Set(args) => return set(args).await,
        Command::Rotate(args) => return rotate(args).await,
        Command::Revoke(args) => (args, AccessChange::Revoke),
        Command::Disable(args) => (args, AccessChange::Disable),
    };
    let store = super::open_store(&super::resolve_db(args.db.db)?).await?;
    let done = store
        .change_access(AgentId(args.id), change, &operator())
        .await?;
    if done.is_none() {
        anyhow::bail!("no agent with id {} (see: switchboard agent list)", args.id);
    }
    println!(
        "Agent #{}: {}d; their requests are refused from now on.",
        args.id,
        change.as_str()
    );
    Ok(())
}

async fn rotate(args: RotateArgs) -> anyhow::Result<()> {
    let id = args.agent.id;
    let store = super::open_store(&super::resolve_db(args.agent.db.db)?).await?;
    let Some(Some(token)) = store
        .change_access(AgentId(id), AccessChange::Rotate, &operator())
        .await?
    else {
        anyhow::bail!("no agent with id {id} (see: switchboard agent list)");
    };
    let expiry = expire(&store, AgentId(id), args.expires_in_days).await?;
    println!("Agent #{id}'s old token is refused from now on. New token{expiry} (shown once):");
    println!("{token}");
    Ok(())
}

/// Sets the token's expiry `days` from now, when given; says it in words.
async fn expire(
    store: &crate::server::store::Store,
    id: AgentId,
    days: Option<u32>,
) -> anyhow::Result<String> {
    let Some(days) = days else {
        return Ok(String::new());
    };
    let at = store.now() + chrono::Duration::days(i64::from(days));
    store.expire_token(id, Some(at), &operator()).await?;
    Ok(format!(", expiring {}", at.format("%Y-%m-%d %H:%M UTC")))
}

/// Who made a change, for the audit log: the operator's login.
fn operator() -> String {
    std::env::var("USER").unwrap_or_else(|_| "an operator".into())
}

async fn set(args: SetArgs) -> anyhow::Result<()> {
    if args.role.is_none() && args.waiver_limit.is_none() && args.queues.queues.is_none() {
        anyhow::bail!("say what to change: --role, --waiver-limit and/or --queues");
    }
    let role = args
        .role
        .as_deref()
        .map(|r| {
            Role::parse(r)
                .ok_or_else(|| anyhow::anyhow!("--role must be agent, supervisor or system"))
        })
        .transpose()?;
    let limit = match &args.waiver_limit {
        Some(amount) => {
            let currency = Currency::parse(&args.currency).ok_or_else(|| {
                anyhow::anyhow!("--currency must be an ISO-4217 code such as USD")
            })?;
            Some(
                Money::parse_decimal(amount, currency)
                    .map_err(|e| anyhow::anyhow!("--waiver-limit: {e}"))?,
            )
        }
        None => None,
    };
    let store = super::open_store(&super::resolve_db(args.db.db)?).await?;
    let skills = args.queues.checked(&store).await?;
    let Some(agent) = store
        .set_agent(AgentId(args.id), role, limit, &operator())
        .await?
    else {
        anyhow::bail!("no agent with id {} (see: switchboard agent list)", args.id);
    };
    if let Some(skills) = &skills {
        store.set_skills(agent.id, skills, &operator()).await?;
    }
    println!(
        "Agent #{} {} is now {} with a waiver limit of {}, serving {}.",
        agent.id.0,
        agent.name,
        agent.role.as_str(),
        agent.waiver_limit,
        skills_text(&store.skills_of(agent.id).await?)
    );
    Ok(())
}

impl QueuesArg {
    /// The skills asked for, each queue checked against the database's
    /// queues; `None` when `--queues` was not given.
    async fn checked(&self, store: &Store) -> anyhow::Result<Option<Vec<Skill>>> {
        let Some(text) = &self.queues else {
            return Ok(None);
        };
        let skills = parse_skills(text).map_err(|e| anyhow::anyhow!("--queues: {e}"))?;
        let queues = store.refdata().await?.queues;
        if let Some(unknown) = skills
            .iter()
            .find(|s| !queues.iter().any(|q| q.code == s.queue))
        {
            let known: Vec<&str> = queues.iter().map(|q| q.code.as_str()).collect();
            anyhow::bail!(
                "--queues: there is no queue \"{}\"; the queues are {}",
                crate::domain::text::clip(&unknown.queue, 40),
                known.join(", ")
            );
        }
        Ok(Some(skills))
    }
}

async fn list(db: DbArg) -> anyhow::Result<()> {
    let store = super::open_store(&super::resolve_db(db.db)?).await?;
    let mut skills = store.all_skills().await?;
    for (agent, disabled) in store.agents().await? {
        let serves = match agent.role {
            Role::Agent => format!(
                " serves {}",
                skills_text(&skills.remove(&agent.id).unwrap_or_default())
            ),
            _ => String::new(),
        };
        println!(
            "#{:<4} {:<28} {:<10} limit {:<12}{serves}{}",
            agent.id.0,
            agent.name,
            agent.role.as_str(),
            agent.waiver_limit.to_string(),
            if disabled { " DISABLED" } else { "" }
        );
    }
    Ok(())
}

async fn add(args: AddArgs) -> anyhow::Result<()> {
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        anyhow::bail!("the agent's name must be 1 to 100 printable characters");
    }
    let role = Role::parse(&args.role)
        .ok_or_else(|| anyhow::anyhow!("--role must be agent, supervisor or system"))?;
    let currency = Currency::parse(&args.currency)
        .ok_or_else(|| anyhow::anyhow!("--currency must be an ISO-4217 code such as USD"))?;
    let limit = Money::parse_decimal(&args.waiver_limit, currency)
        .map_err(|e| anyhow::anyhow!("--waiver-limit: {e}"))?;
    let store = super::open_store(&super::resolve_db(args.db)?).await?;
    let skills = args.queues.checked(&store).await?;
    // A second agent of the same name would leave two tokens for one person.
    if let Some((same, _)) = store
        .agents()
        .await?
        .into_iter()
        .find(|(a, disabled)| !disabled && a.name.eq_ignore_ascii_case(name))
    {
        anyhow::bail!(
            "there is already an agent named {} (#{}): `switchboard agent rotate {}` gives \
             them a new token, `agent disable {}` retires them",
            same.name,
            same.id.0,
            same.id.0,
            same.id.0
        );
    }
    let (agent, token) = store.add_agent(name, role, limit).await?;
    let expiry = expire(&store, agent.id, args.expires_in_days).await?;
    let skills = skills.unwrap_or_default();
    if !skills.is_empty() {
        store.set_skills(agent.id, &skills, &operator()).await?;
    }
    println!(
        "Added {} #{} ({}), waiver limit {}, serving {}.",
        agent.name,
        agent.id,
        agent.role.as_str(),
        agent.waiver_limit,
        skills_text(&skills)
    );
    println!("Token{expiry} (shown once; store it now, e.g. in SWITCHBOARD_TOKEN):");
    println!("{token}");
    Ok(())
}
