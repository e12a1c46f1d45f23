//! `switchboard agent`: adds an agent or supervisor and prints its token once
//! (only a hash is stored), lists agents, and rotates, revokes or disables an
//! agent's access, each change in the audit log with the operator's name.

use crate::domain::{AgentId, Currency, Money, Role};
use crate::server::store::AccessChange;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Add an agent and print their token (shown once, stored hashed).
    #[command(
        after_help = "Example:\n  switchboard agent add \"Alex Kim\" --role agent --waiver-limit 50.00"
    )]
    Add(AddArgs),
    /// List every agent: id, name, role, waiver limit, and whether disabled.
    List(DbArg),
    /// Give an agent a new token (printed once); the old one is refused.
    Rotate(IdArgs),
    /// Refuse an agent's token from now on, without giving a new one.
    Revoke(IdArgs),
    /// Refuse every request as the agent, whatever the token.
    Disable(IdArgs),
    /// Change an agent's role or waiver limit (from their next request).
    #[command(after_help = "Example:\n  switchboard agent set 7 --waiver-limit 75.00")]
    Set(SetArgs),
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
    db: DbArg,
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
    /// Database URL (see `switchboard serve --help`).
    #[arg(long, env = "SWITCHBOARD_DB", value_name = "URL")]
    db: Option<String>,
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    let (args, change) = match command {
        Command::Add(args) => return add(args).await,
        Command::List(db) => return list(db).await,
        Command::Set(args) => return set(args).await,
        Command::Rotate(args) => (args, AccessChange::Rotate),
        Command::Revoke(args) => (args, AccessChange::Revoke),
        Command::Disable(args) => (args, AccessChange::Disable),
    };
    let store = super::open_store(&super::resolve_db(args.db.db)?).await?;
    let Some(token) = store
        .change_access(AgentId(args.id), change, &operator())
        .await?
    else {
        anyhow::bail!("no agent with id {} (see: switchboard agent list)", args.id);
    };
    match token {
        Some(token) => {
            println!(
                "Agent #{}'s old token is refused from now on. New token (shown once):",
                args.id
            );
            println!("{token}");
        }
        None => println!(
            "Agent #{}: {}d; their requests are refused from now on.",
            args.id,
            change.as_str()
        ),
    }
    Ok(())
}

/// Who made a change, for the audit log: the operator's login.
fn operator() -> String {
    std::env::var("USER").unwrap_or_else(|_| "an operator".into())
}

async fn set(args: SetArgs) -> anyhow::Result<()> {
    if args.role.is_none() && args.waiver_limit.is_none() {
        anyhow::bail!("say what to change: --role and/or --waiver-limit");
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
    let Some(agent) = store
        .set_agent(AgentId(args.id), role, limit, &operator())
        .await?
    else {
        anyhow::bail!("no agent with id {} (see: switchboard agent list)", args.id);
    };
    println!(
        "Agent #{} {} is now {} with a waiver limit of {}.",
        agent.id.0,
        agent.name,
        agent.role.as_str(),
        agent.waiver_limit
    );
    Ok(())
}

async fn list(db: DbArg) -> anyhow::Result<()> {
    let store = super::open_store(&super::resolve_db(db.db)?).await?;
    for (agent, disabled) in store.agents().await? {
        println!(
            "#{:<4} {:<28} {:<10} limit {:<12}{}",
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
    println!(
        "Added {} #{} ({}), waiver limit {}.",
        agent.name,
        agent.id,
        agent.role.as_str(),
        agent.waiver_limit
    );
    println!("Token (shown once; store it now, e.g. in SWITCHBOARD_TOKEN):");
    println!("{token}");
    Ok(())
}
