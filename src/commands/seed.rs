//! `switchboard seed`: deterministic demo data into a database.

use crate::server::seed::{self, SeedOptions};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Database URL (see `switchboard serve --help`).
    #[arg(long, env = "SWITCHBOARD_DB", value_name = "URL")]
    db: Option<String>,
    /// How many customers to add (up to 1,000,000).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    customers: u64,
    /// Random seed: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let url = super::resolve_db(args.db)?;
    let store = super::open_store(&url).await?;
    let started = Instant::now();
    let report = seed::seed(
        &store,
        &SeedOptions {
            customers: args.customers,
            seed: args.seed,
        },
    )
    .await?;
    println!(
        "Seeded {} customers ({} events, {} fees) into {} in {:.1}s; first id {}.",
        report.customers,
        report.events,
        report.fees,
        super::redact(&url),
        started.elapsed().as_secs_f64(),
        report.first_id
    );
    store.close().await;
    Ok(())
}
