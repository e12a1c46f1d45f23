//! `switchboard demo`: the one-command tour. A server on 127.0.0.1 with generated
//! data in a temporary SQLite file, two demo agents and the call simulator
//! playing the ACD (with its own `system` token and the 12 simulated agents
//! of the seed), a few approvals the demo agent asked for, then the desk
//! signed in as the demo agent (or, with `--supervisor`, the supervisor).
//! Without a terminal it prints the address and tokens and serves until
//! interrupted, so the API can be tried with curl.

use crate::domain::{Currency, Money, Role};
use crate::server::floor::FloorConfig;
use crate::server::{self, seed, AppState};
use crate::sim::calls::{self, SimOptions};
use anyhow::Context;

#[derive(clap::Args)]
pub struct Args {
    /// Customers to generate.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    customers: u64,
    /// Random seed for the generated data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Address to listen on; the default picks a free port on loopback.
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    listen: String,
    /// The call simulator's time compression: 10 plays ten minutes of calls
    /// in one (calls are quiet at night UTC at 1).
    #[arg(long, default_value_t = 1.0, value_parser = super::simulate::parse_speed)]
    speed: f64,
    /// Open the desk as the demo supervisor (queue board, agents, approvals)
    /// instead of the demo agent.
    #[arg(long)]
    supervisor: bool,
    #[command(flatten)]
    desk: super::desk::Args,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("switchboard-demo-")
        .tempdir()
        .context("cannot create a temporary folder for the demo database")?;
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let store = super::open_store(&url).await?;
    super::tell(&format!("Generating {} demo customers…", args.customers));
    seed::seed(
        &store,
        &seed::SeedOptions {
            customers: args.customers,
            seed: args.seed,
        },
    )
    .await?;
    let usd = |units| Money::new(units, Currency::USD);
    let (agent, agent_token) = store
        .add_agent("Alex Agent", Role::Agent, usd(5_000))
        .await?;
    let (boss, boss_token) = store
        .add_agent("Sam Supervisor", Role::Supervisor, usd(50_000))
        .await?;
    let (_, system_token) = store
        .add_agent("Call simulator", Role::System, usd(0))
        .await?;
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    super::say(&format!("switchboard demo: listening on {base}"));
    super::say(&format!(
        "agent token ({}, limit {}): {agent_token}",
        agent.name, agent.waiver_limit
    ));
    super::say(&format!(
        "supervisor token ({}, limit {}): {boss_token}",
        boss.name, boss.waiver_limit
    ));
    super::say(&format!("Try: curl -H 'Authorization: Bearer {agent_token}' '{base}/v1/customers/lookup?phone=415.555.0134'"));
    super::say(&format!(
        "API contract: {base}/v1/openapi.json. Stop with Ctrl-C."
    ));
    let state = AppState::new(store.clone(), "1".into(), FloorConfig::default()).await?;
    // The call simulator keeps the demo floor alive, over HTTP like any ACD,
    // and the demo agent has asked for approvals the supervisor can decide.
    let asks = tokio::spawn(ask_for_approvals(base.clone(), agent_token.clone()));
    let simulator = tokio::spawn(simulate(base.clone(), system_token, args.seed, args.speed));
    if super::desk::have_terminal() {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        let token = if args.supervisor {
            boss_token
        } else {
            agent_token
        };
        let desk = super::desk::open(args.desk, Some((base, token))).await;
        let _ = stop.send(());
        let _ = server.await;
        desk?;
    } else {
        server::serve(listener, state, super::serve::shutdown_signal()).await?;
    }
    simulator.abort();
    asks.abort();
    store.close().await;
    drop(dir);
    Ok(())
}

/// The hour of the day the demo's calls start from (UTC): near the morning
/// peak, the 12 simulated agents are busy most of the time and the tighter
/// queues miss their goal now and then.
const DEMO_HOUR: f64 = 10.0;

/// Plays the ACD against the demo server until the demo ends.
async fn simulate(base: String, token: String, seed: u64, speed: f64) {
    let options = SimOptions {
        speed,
        seed,
        agents: None,
        warm_up: true,
        // A morning's calls, whatever the time.
        start_hour: Some(DEMO_HOUR),
    };
    let run = async {
        let client = crate::api::Client::new(&base, &token)?;
        calls::run(client, options, std::future::pending()).await
    };
    if let Err(e) = run.await {
        tracing::warn!(error = %e, "the demo call simulator stopped");
    }
}

/// The demo agent asks for what only a supervisor may grant: waivers above the
/// agent's limit for the first customers who owe enough, and an escalation.
/// Over HTTP, as the agent's desk would.
async fn ask_for_approvals(base: String, token: String) {
    if let Err(e) = asks(&base, &token).await {
        tracing::warn!(error = %e, "the demo agent could not ask for approvals");
    }
}

async fn asks(base: &str, token: &str) -> anyhow::Result<()> {
    use crate::api::{NewEscalation, NewFeeWaiver, WaiverItem};
    use crate::domain::{Channel, CustomerId, Priority};

    let client = crate::api::Client::new(base, token)?;
    let me = client.me().await?;
    let refdata = client.refdata().await?;
    let key = || uuid::Uuid::new_v4().to_string();
    let (Some(reason), Some(target), Some(why)) = (
        refdata.waiver_reasons.first(),
        refdata.escalation_targets.first(),
        refdata.escalation_reasons.first(),
    ) else {
        anyhow::bail!("the reference data has no waiver or escalation reasons");
    };
    let mut waivers = 0;
    for id in 1..=200 {
        if waivers == 2 {
            break;
        }
        let customer = client.customer(CustomerId(id)).await?;
        let owed = Money::sum(customer.outstanding_fees.iter().map(|f| f.outstanding));
        if owed.is_none_or(|o| o.minor_units <= me.waiver_limit.minor_units) {
            continue;
        }
        let fees = customer
            .outstanding_fees
            .iter()
            .map(|f| WaiverItem {
                fee_id: f.id,
                amount: f.outstanding,
            })
            .collect();
        let body = NewFeeWaiver {
            customer_id: customer.id,
            fees,
            reason_code: reason.code.clone(),
            note: "Long-standing customer; first late payment in years".into(),
        };
        client.waive_fees(&key(), &body).await?;
        waivers += 1;
    }
    // Maria: three billing contacts in a week, the seed's escalation case.
    let body = NewEscalation {
        customer_id: seed::fixtures::MARIA_ID,
        channel: Channel::Voice,
        target_code: target.code.clone(),
        priority: Priority::High,
        reason_code: why.code.clone(),
        summary: "Third call about the same overdraft fee; asks for a manager".into(),
    };
    client.escalate(&key(), &body).await?;
    Ok(())
}
