//! `switchboard agent add`: creates an agent or supervisor and prints its token
//! once. Only a hash of the token is stored.

use crate::domain::{Currency, Money, Role};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Add an agent and print their token (shown once, stored hashed).
    #[command(
        after_help = "Example:\n  switchboard agent add \"Alex Kim\" --role agent --waiver-limit 50.00"
    )]
    Add(AddArgs),
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
    let Command::Add(args) = command;
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
