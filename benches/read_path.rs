//! The agent's read path, in process, on a 100,000-customer SQLite database:
//! lookup by phone, profile, first timeline page, and the decision (the
//! history and learned evidence it reads, Thompson sampling, the evidence in
//! words), per customer: one read after another, and as the desk asks
//! (the lookup, then profile, timeline page and suggestions at once, the
//! suggestions reading the profile again as their route does).
//! Reports p50 and p99. Run: `cargo bench --bench read_path`
//! (BENCH_CUSTOMERS=20000 for a quicker run; BENCH_DB=sqlite://PATH to reuse a
//! seeded file).

use std::time::{Duration, Instant};
use switchboard::domain::AgentId;
use switchboard::server::decide::catalog::Catalog;
use switchboard::server::decide::facts::Contact;
use switchboard::server::seed::{seed, SeedOptions};
use switchboard::server::store::{Store, TimelineFilter};
use switchboard::server::suggest::suggest;

const SAMPLES: usize = 2_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let customers: u64 = std::env::var("BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let dir = tempfile::tempdir()?;
        let url = match std::env::var("BENCH_DB") {
            Ok(url) => url,
            Err(_) => format!("sqlite://{}", dir.path().join("bench.db").display()),
        };
        let store = Store::open(&url).await?;
        if store.next_customer_id().await?.0 == 1 {
            let started = Instant::now();
            let report = seed(
                &store,
                &SeedOptions {
                    customers,
                    seed: 42,
                },
            )
            .await?;
            println!(
                "seeded {} customers, {} events in {:.1}s",
                report.customers,
                report.events,
                started.elapsed().as_secs_f64()
            );
        }
        let total = store.next_customer_id().await?.0 - 1;
        // Sample customers spread over the whole table, by their phone number.
        let step = (total as usize / SAMPLES).max(1);
        let ids: Vec<_> = (0..SAMPLES)
            .map(|i| switchboard::domain::CustomerId(1 + ((i * step) as i64 % total)))
            .collect();
        let mut phones = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(c) = store.customer(*id).await? {
                if let Some(p) = c.phones.first() {
                    phones.push(p.clone());
                }
            }
        }
        let catalog = Catalog::load(None)?;
        let decay = store
            .prepare_models(catalog.settings.half_life_days)
            .await?;
        let contact = Contact {
            channel: "voice".into(),
            queue: None,
        };
        let mut times = Vec::with_capacity(phones.len());
        let mut as_the_desk_asks = Vec::with_capacity(phones.len());
        // The decision alone (history, evidence, ranking), to tell it from the rest.
        let mut deciding = Vec::with_capacity(phones.len());
        let filter = TimelineFilter {
            before: None,
            limit: 50,
            channel: None,
            kind: None,
        };
        for phone in &phones {
            let started = Instant::now();
            let found = store.lookup_phone(phone).await?;
            let id = found
                .first()
                .map(|c| c.id)
                .ok_or_else(|| anyhow::anyhow!("no match"))?;
            let customer = store
                .customer(id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("gone"))?;
            let (page, _) = store.timeline(id, &filter).await?;
            let decision_started = Instant::now();
            let made = suggest(
                &store,
                &catalog,
                &decay,
                &customer,
                AgentId(1),
                &contact,
                false,
            )
            .await?;
            deciding.push(decision_started.elapsed());
            let suggestions = made.answer;
            std::hint::black_box((page, suggestions));
            times.push(started.elapsed());
        }
        for phone in &phones {
            let started = Instant::now();
            let found = store.lookup_phone(phone).await?;
            let id = found
                .first()
                .map(|c| c.id)
                .ok_or_else(|| anyhow::anyhow!("no match"))?;
            let decided = async {
                let customer = store
                    .customer(id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("gone"))?;
                let agent = AgentId(1);
                Ok::<_, anyhow::Error>(
                    suggest(&store, &catalog, &decay, &customer, agent, &contact, false).await?,
                )
            };
            let profile = async { Ok::<_, anyhow::Error>(store.customer(id).await?) };
            let page = async { Ok::<_, anyhow::Error>(store.timeline(id, &filter).await?) };
            std::hint::black_box(tokio::try_join!(profile, page, decided)?);
            as_the_desk_asks.push(started.elapsed());
        }
        for (what, times) in [
            ("read path, one read after another", &mut times),
            (
                "read path as the desk asks (the last three at once)",
                &mut as_the_desk_asks,
            ),
            ("  of which the decision", &mut deciding),
        ] {
            times.sort();
            println!(
                "{what} over {} customers of {total}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                times.len(),
                percentile(times, 0.50).as_secs_f64() * 1e3,
                percentile(times, 0.99).as_secs_f64() * 1e3,
                times.last().map_or(0.0, |t| t.as_secs_f64() * 1e3),
            );
        }
        Ok(())
    })
}
