//! `switchboard decisions`: the decision service's tools. `simulate` plays a
//! population with hidden tastes against a real server (in this process, on
//! a loopback port, on a clock the simulator moves) and prints how much of
//! an all-knowing oracle's value learning earns, against ranking by the
//! catalog's priors. `evaluate` estimates from a stored decision log what
//! another policy would have earned.

use crate::api::Client;
use crate::domain::{CustomerId, Money, Role};
use crate::server::clock::Clock;
use crate::server::decide::catalog::Catalog;
use crate::server::decide::evaluate::{
    logged, policy_values, without_chance, Estimate, PolicyValue,
};
use crate::server::floor::FloorConfig;
use crate::server::seed::{seed_at, SeedOptions};
use crate::server::store::Store;
use crate::server::{self, AppState};
use crate::sim::decisions::{self as sim, Options, Report, Score};
use crate::sim::population::{Person, SWAPPED};
use anyhow::Context;
use std::collections::BTreeMap;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Play a simulated population against the decision service and print
    /// its value as a share of an oracle's, per window of contacts.
    #[command(after_help = "Example:\n  switchboard decisions simulate --contacts 20000 --seed 1")]
    Simulate(SimulateArgs),
    /// Estimate from a decision log what other policies would have earned
    /// (inverse propensity scoring and doubly robust, with 95% intervals).
    #[command(
        after_help = "Examples:\n  switchboard decisions evaluate --db sqlite://sb.db\n  \
                      switchboard decisions evaluate --db sqlite://sb.db --actions new-actions.toml"
    )]
    Evaluate(EvaluateArgs),
}

#[derive(clap::Args)]
pub struct EvaluateArgs {
    /// The database whose decision log to read.
    #[arg(long, env = "SWITCHBOARD_DB", value_name = "URL")]
    db: String,
    /// Also evaluate ranking by this catalog's priors and levers.
    #[arg(long, value_name = "FILE")]
    actions: Option<std::path::PathBuf>,
    /// Decisions of the last this many days.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3650))]
    days: u64,
}

#[derive(clap::Args)]
pub struct SimulateArgs {
    /// Contacts to play.
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    contacts: u64,
    /// Customers in the population.
    #[arg(long, default_value_t = 3_000, value_parser = clap::value_parser!(u64).range(13..=200_000))]
    customers: u64,
    /// Random seed for the population's data and answers.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Contacts per row of the report.
    #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    window: u64,
    /// The contact after which two actions swap appeal (default: half way).
    #[arg(long, value_name = "N")]
    change_at: Option<u64>,
    /// The actions: `choice`, eight offers anyone may get with uninformed
    /// priors, one shown per contact; or `shipped`, the catalog `serve` uses.
    #[arg(long, value_enum, default_value_t = World::Choice)]
    world: World,
    /// Suggestions shown per contact (default: the catalog's own setting).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=9))]
    show: Option<u64>,
    /// How fast evidence is forgotten (default: the catalog's own setting):
    /// longer learns more surely, shorter follows a change sooner.
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u64).range(1..=3650))]
    half_life_days: Option<u64>,
    /// How widely Thompson sampling explores (default: the catalog's own
    /// setting): the posterior's variance is scaled by it, 1 for plain
    /// Thompson sampling.
    #[arg(long, value_name = "SHARE", value_parser = exploration_share)]
    exploration: Option<f64>,
    /// Simulated minutes between contacts.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1440))]
    minutes_between: u64,
    /// Database for the run (default: a temporary SQLite file).
    #[arg(long, value_name = "URL")]
    db: Option<String>,
}

/// `--exploration`: a number above 0 and at most 1.
fn exploration_share(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|x| *x > 0.0 && *x <= 1.0)
        .ok_or_else(|| format!("`{text}` is not a number above 0 and at most 1"))
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum World {
    Choice,
    Shipped,
}

/// The choice world's catalog.
const CHOICE_ACTIONS: &str = include_str!("../sim/choice_actions.toml");

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Simulate(args) => simulate(args).await,
        Command::Evaluate(args) => evaluate(args).await,
    }
}

async fn evaluate(args: EvaluateArgs) -> anyhow::Result<()> {
    let store = super::open_store(&args.db).await?;
    let shipped = Catalog::load(None)?;
    let since = store.now().timestamp_millis() - args.days as i64 * 86_400_000;
    let logged = logged(&store.logged_decisions(since).await?, &shipped);
    let mut policies = vec![("shipped catalog's priors".to_string(), shipped)];
    if let Some(path) = &args.actions {
        policies.push((path.display().to_string(), Catalog::load(Some(path))?));
    }
    super::say(&format!(
        "{} decisions in the last {} days; value per decision (minor units, × lever):",
        logged.len(),
        args.days
    ));
    print_values(&policy_values(&logged, &policies));
    let skipped = without_chance(&logged);
    if skipped > 0 {
        super::say(&format!(
            "{skipped} shown suggestion(s) were logged without a chance of being shown \
             (before chances were logged by resampling): IPS and DR leave them out"
        ));
    }
    store.close().await;
    Ok(())
}

/// The estimates as a table, one policy a line.
fn print_values(values: &[PolicyValue]) {
    let shown = |e: &Estimate| format!("{:>9.1} [{:.1}, {:.1}]", e.value, e.low, e.high);
    super::say(&format!(
        "{:<40} {:>28} {:>28}",
        "policy", "IPS", "doubly robust"
    ));
    for v in values {
        super::say(&format!(
            "{:<40} {:>28} {:>28}",
            v.name,
            shown(&v.ips),
            shown(&v.dr)
        ));
    }
}

async fn simulate(args: SimulateArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("cannot make a temporary directory")?;
    let url = match &args.db {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", dir.path().join("simulate.db").display()),
    };
    let store = Store::open(&url)
        .await
        .with_context(|| format!("cannot open {}", crate::server::store::redact(&url)))?;
    anyhow::ensure!(
        store.next_customer_id().await?.0 == 1,
        "{} already holds customers; the simulation needs an empty database",
        crate::server::store::redact(&url)
    );
    // Times are relative to midnight UTC today, as the seed's are; the run
    // starts at 09:00 and its clock moves only when the simulator moves it.
    let anchor = chrono::Utc::now().date_naive();
    let start = anchor
        .and_hms_opt(9, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default();
    seed_at(
        &store,
        &SeedOptions {
            customers: args.customers,
            seed: args.seed,
        },
        anchor,
    )
    .await?;
    let (_, token) = store
        .add_agent(
            "Simulated desk",
            Role::Supervisor,
            Money::new(0, crate::domain::Currency::USD),
        )
        .await?;
    let clock = Clock::manual(start);
    let store = store.on_clock(clock.clone());
    let mut catalog = match args.world {
        World::Shipped => Catalog::load(None)?,
        World::Choice => Catalog::parse("src/sim/choice_actions.toml", CHOICE_ACTIONS)
            .map_err(|errors| anyhow::anyhow!("the choice world's catalog: {errors:?}"))?,
    };
    if let Some(show) = args.show {
        catalog.settings.max_shown = show as usize;
    }
    if let Some(days) = args.half_life_days {
        catalog.settings.half_life_days = days as f64;
    }
    if let Some(share) = args.exploration {
        catalog.settings.exploration = share;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = AppState::new(
        store.clone(),
        "1".into(),
        FloorConfig::default(),
        catalog.clone(),
    )
    .await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let client = Client::new(&base, &token)?;
    let today = sim::today(start.timestamp_millis());
    let mut people = BTreeMap::new();
    for id in 1..=args.customers as i64 {
        let customer = client.customer(CustomerId(id)).await?;
        people.insert(customer.id, Person::of(&customer, today));
    }
    let opts = Options {
        contacts: args.contacts as usize,
        window: args.window as usize,
        change_at: args.change_at.unwrap_or(args.contacts / 2) as usize,
        step_ms: args.minutes_between as i64 * 60_000,
        seed: args.seed,
    };
    let swaps: Vec<String> = SWAPPED
        .iter()
        .filter(|(a, _)| catalog.action(a).is_some())
        .map(|(a, b)| format!("{a} and {b}"))
        .collect();
    super::say(&format!(
        "Simulating {} contacts among {} customers (seed {}), {} suggestion(s) shown, \
         {} simulated minutes apart, evidence halving every {} days, exploring at {}; {} swap appeal after contact {}.",
        opts.contacts,
        args.customers,
        args.seed,
        catalog.settings.max_shown,
        args.minutes_between,
        catalog.settings.half_life_days,
        catalog.settings.exploration,
        swaps.join(", "),
        opts.change_at
    ));
    let started = std::time::Instant::now();
    let report = sim::run(
        &client,
        &catalog,
        &people,
        &opts,
        start.timestamp_millis(),
        &|ms| clock.advance(ms),
    )
    .await;
    let _ = stop.send(());
    let _ = server.await;
    let report = report?;
    print(&report);
    let logged = logged(&store.logged_decisions(0).await?, &catalog);
    store.close().await;
    let policies = [("ranking by priors".to_string(), catalog.clone())];
    super::say(&format!(
        "Off-policy estimates from the log ({} decisions), value per decision:",
        logged.len()
    ));
    print_values(&policy_values(&logged, &policies));
    let per = |s: Score| s.earned / opts.contacts.max(1) as f64;
    super::say(&format!(
        "Simulated truth, value per decision: as logged {:.1}, ranking by priors {:.1}",
        per(report.logged_truth),
        per(report.priors_truth)
    ));
    super::say(&format!(
        "{} contacts in {:.0} s; {} decisions in the control group.",
        opts.contacts,
        started.elapsed().as_secs_f64(),
        report.control_decisions
    ));
    if !report.violations.is_empty() {
        for v in report.violations.iter().take(20) {
            super::say(v);
        }
        anyhow::bail!("{} contact-policy violation(s)", report.violations.len());
    }
    Ok(())
}

/// The report: each window's share of the oracle's value, and so far.
fn print(report: &Report) {
    let pct = |s: Score| {
        s.share()
            .map_or("    -".to_string(), |x| format!("{:5.1}", x * 100.0))
    };
    super::say("contacts | learned % of oracle: window, so far | priors only: window, so far | control: window | violations");
    for w in &report.windows {
        super::say(&format!(
            "{:>8} | {:>22}, {:>6} | {:>19}, {:>6} | {:>15} | {}",
            w.upto,
            pct(w.learned),
            pct(w.learned_so_far),
            pct(w.priors),
            pct(w.priors_so_far),
            pct(w.control),
            w.violations
        ));
    }
}
