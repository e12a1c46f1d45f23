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
    /// Also add the business world, once per database: this many
    /// organisations (2 to 200, two of them fixed) with their contacts,
    /// invoices, orders and rebates.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=200))]
    organisations: Option<u64>,
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
    if let Some(n) = args.organisations {
        let today = chrono::Utc::now().date_naive();
        let added = seed::seed_business(&store, args.seed, n, today).await?;
        println!("Added {added} organisations with their contacts.");
    }
    store.close().await;
    Ok(())
}
