//! `switchboard demo`: the one-command tour. A server on 127.0.0.1 with generated
//! data in a temporary SQLite file, two demo agents and the call simulator
//! playing the ACD (with its own `system` token and the 12 simulated agents
//! of the seed), a few approvals the demo agent asked for, a colleague's
//! calls with their suggestions answered (for the decisions board), then the desk
//! signed in as the demo agent (or, with `--supervisor`, the supervisor).
//! Without a terminal it prints the address and tokens and serves until
//! interrupted, so the API can be tried with curl.
//!
//! The demo ends when its desk does (quit, SIGINT, SIGTERM, SIGHUP, or the
//! terminal going away), or headless on SIGINT or SIGTERM: the simulator
//! stops first, then the server, each given a moment to finish.

use crate::domain::{Currency, CustomerId, Money, Role};
use crate::server::decide::catalog::Catalog;
use crate::server::floor::FloorConfig;
use crate::server::{self, seed, AppState};
use crate::sim::calls::{self, SimOptions};
use crate::sim::decisions::warm_up;
use anyhow::Context;
use std::future::Future;
use std::time::Duration;
use tokens::TokensFile;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

mod tokens;

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
    let today = chrono::Utc::now().date_naive();
    seed::seed_business(&store, args.seed, seed::business::ORGANISATIONS, today).await?;
    let usd = |units| Money::new(units, Currency::USD);
    let (agent, agent_token) = store
        .add_agent("Alex Agent", Role::Agent, usd(5_000))
        .await?;
    let (boss, boss_token) = store
        .add_agent("Sam Supervisor", Role::Supervisor, usd(500_000))
        .await?;
    let (_, system_token) = store
        .add_agent("Call simulator", Role::System, usd(0))
        .await?;
    let (_, colleague_token) = store.add_agent(COLLEAGUE, Role::Agent, usd(5_000)).await?;
    let callers = super::simulate::directory(&store).await?;
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    let tokens = write_tokens(&base, (&agent, &agent_token), (&boss, &boss_token));
    super::say(&format!("switchboard demo: listening on {base}"));
    super::say(&format!(
        "agent token ({}, limit {}): {agent_token}",
        agent.name, agent.waiver_limit
    ));
    super::say(&format!(
        "supervisor token ({}, limit {}): {boss_token}",
        boss.name, boss.waiver_limit
    ));
    if let Some(tokens) = &tokens {
        super::say(&format!(
            "Server and tokens are also in {} (readable by you only; \
             help in the desk says where).",
            tokens.path().display()
        ));
    }
    super::say(&format!("Try: curl -H 'Authorization: Bearer {agent_token}' '{base}/v1/customers/lookup?phone=415.555.0134'"));
    let desk = super::desk::have_terminal();
    super::say(&format!(
        "API contract: {base}/v1/openapi.json. {}",
        if desk {
            "The desk opens now; quitting it (q) stops the demo."
        } else {
            "Stop with Ctrl-C."
        }
    ));
    let state = AppState::new(
        store.clone(),
        "1".into(),
        FloorConfig::default(),
        Catalog::load(None)?,
    )
    .await?;
    let server = Stoppable::spawn("server", |stopped| server::serve(listener, state, stopped));
    // The call simulator keeps the demo floor alive, over HTTP like any ACD,
    // and the demo agent has asked for approvals the supervisor can decide.
    let asks = tokio::spawn(ask_for_approvals(base.clone(), agent_token.clone()));
    // A colleague's morning of calls: the decisions board and the models
    // have answers to show from the start.
    let morning = tokio::spawn(colleague_calls(
        base.clone(),
        colleague_token,
        args.customers,
        args.seed,
    ));
    let (at, seed, speed) = (base.clone(), args.seed, args.speed);
    let simulator = Stoppable::spawn("simulator", |stopped| {
        simulate(at, system_token, seed, speed, callers, stopped)
    });
    let ended = if desk {
        let token = if args.supervisor {
            boss_token
        } else {
            agent_token
        };
        let demo = super::desk::DemoSignIn {
            server: base,
            token,
            tokens_file: tokens.as_ref().map(|t| t.path().to_path_buf()),
        };
        super::desk::open(args.desk, Some(demo)).await
    } else {
        super::serve::shutdown_signal().await;
        Ok(())
    };
    // In order: nothing may call the server once it is gone.
    asks.abort();
    morning.abort();
    simulator.stop().await;
    if let Some(Err(e)) = server.stop().await {
        tracing::warn!(error = %e, "the demo server failed");
    }
    if tokio::time::timeout(GRACE, store.close()).await.is_err() {
        tracing::warn!("the demo database did not close in time");
    }
    drop((dir, tokens));
    ended
}

/// Writes the tokens file; a demo without one still runs (the tokens are on
/// the screen), saying why.
fn write_tokens(
    base: &str,
    agent: (&crate::domain::Agent, &str),
    supervisor: (&crate::domain::Agent, &str),
) -> Option<TokensFile> {
    let Some(dir) = crate::config::demo_dir() else {
        super::tell("The tokens are not kept in a file: there is no home folder.");
        return None;
    };
    match TokensFile::write(&dir, base, agent, supervisor) {
        Ok(file) => Some(file),
        Err(e) => {
            super::tell(&format!("The tokens are not kept in a file: {e:#}"));
            None
        }
    }
}

/// How long a part of the demo may take to stop once asked (the server: to
/// finish what it is answering; a client still following the event stream
/// is then cut off).
const GRACE: Duration = Duration::from_secs(1);

/// A task of the demo that is asked to stop, then waited for (up to
/// [`GRACE`], then ended).
struct Stoppable<T> {
    name: &'static str,
    stop: oneshot::Sender<()>,
    task: JoinHandle<T>,
}

impl<T: Send + 'static> Stoppable<T> {
    /// Spawns what `start` makes of a future that resolves when the task is
    /// asked to stop.
    fn spawn<F>(
        name: &'static str,
        start: impl FnOnce(std::pin::Pin<Box<dyn Future<Output = ()> + Send>>) -> F,
    ) -> Stoppable<T>
    where
        F: Future<Output = T> + Send + 'static,
    {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(start(Box::pin(async {
            let _ = stopped.await;
        })));
        Stoppable { name, stop, task }
    }

    /// Asks the task to stop and waits for it; its result, unless it had to
    /// be ended.
    async fn stop(self) -> Option<T> {
        let Stoppable {
            name,
            stop,
            mut task,
        } = self;
        let _ = stop.send(());
        match tokio::time::timeout(GRACE, &mut task).await {
            Ok(Ok(result)) => {
                tracing::info!("demo {name} stopped");
                Some(result)
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "demo {name} stopped: it failed");
                None
            }
            Err(_) => {
                task.abort();
                tracing::warn!(
                    "demo {name} stopped: it did not finish within {GRACE:?}, so it was ended"
                );
                None
            }
        }
    }
}

/// The hour of the day the demo's calls start from (UTC): near the morning
/// peak, the 12 simulated agents are busy most of the time and the tighter
/// queues miss their goal now and then.
const DEMO_HOUR: f64 = 10.0;

/// Plays the ACD against the demo server until `stopped` resolves.
async fn simulate(
    base: String,
    token: String,
    seed: u64,
    speed: f64,
    callers: Vec<crate::sim::calls::SimCaller>,
    stopped: impl Future<Output = ()>,
) {
    let options = SimOptions {
        speed,
        seed,
        agents: None,
        warm_up: true,
        // A morning's calls, whatever the time.
        start_hour: Some(DEMO_HOUR),
        callers,
    };
    let run = async {
        let client = crate::api::Client::new(&base, &token)?;
        // Stopped wherever it is, also while it starts or warms up.
        tokio::select! {
            played = calls::run(client, options, std::future::pending()) => played,
            () = stopped => Ok(()),
        }
    };
    if let Err(e) = run.await {
        tracing::warn!(error = %e, "the demo call simulator stopped");
    }
}

/// The colleague whose calls, as the demo opens, fill the decisions board.
const COLLEAGUE: &str = "Jordan Lee";
/// How many: enough for the funnel's rates and for a few models to pass
/// their minimum number of answers.
const COLLEAGUE_CALLS: usize = 400;

/// Calls the colleague takes among the generated customers (the fixed ones,
/// which the tour and the tests rely on, are left as they are), each with
/// its suggestions answered and wrapped up.
async fn colleague_calls(base: String, token: String, customers: u64, seed: u64) {
    let first = seed::fixtures::COUNT as i64 + 1;
    let ids: Vec<CustomerId> = (first..=customers as i64).map(CustomerId).collect();
    let played = match crate::api::Client::new(&base, &token) {
        Ok(client) => warm_up(&client, &ids, COLLEAGUE_CALLS, seed).await,
        Err(e) => Err(e.into()),
    };
    match played {
        Ok(n) => tracing::info!(calls = n, "the demo colleague's calls are logged"),
        Err(e) => tracing::warn!(error = %e, "the demo colleague's calls stopped"),
    }
}

/// The demo agent asks for what only a supervisor may grant: waivers above the
/// agent's limit for the first customers who owe enough in the limit's
/// currency (so the demo supervisor, whose limit is in the same one, can
/// approve them), and an escalation. Over HTTP, as the agent's desk would.
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
        let above = owed.is_some_and(|o| {
            matches!(
                crate::domain::authority::against_limit(o, me.waiver_limit),
                crate::domain::authority::LimitCheck::Above
            )
        });
        if !above {
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
        // The note says which fees, so the approval reads true.
        let mut kinds: Vec<String> = customer
            .outstanding_fees
            .iter()
            .map(|f| f.kind.label().to_lowercase())
            .collect();
        kinds.dedup();
        let body = NewFeeWaiver {
            customer_id: customer.id,
            fees,
            reason_code: reason.code.clone(),
            note: format!(
                "Long-standing customer; asks us to waive the {} as a one-off",
                kinds.join(" and ")
            ),
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
        summary: "Third call this week about the same late fee; asks for a manager".into(),
    };
    client.escalate(&key(), &body).await?;
    Ok(())
}
