//! The decision service's own costs.
//!
//! 1. Ranking in process for the customer with 2,000 events (fixture 5)
//!    with the full shipped catalog, learned posteriors and Thompson
//!    sampling (geometric resampling for each shown chance): facts,
//!    eligibility, policies, ranking, reasons. The history is read once.
//! 2. What learning adds to a wrap-up: `POST /v1/interactions` through a
//!    server on loopback (SQLite), with the outcomes of a fresh decision
//!    (joined, `ignored` inferred, the model's cells updated in the same
//!    transaction) against the same wrap-up with no outcomes.
//!
//! Reports p50 and p99. Run: `cargo bench --bench decide`.

use std::time::{Duration, Instant};
use switchboard::api::{Client, NewInteraction, SuggestionsQuery};
use switchboard::domain::{Currency, Money, Role, SuggestionOutcome, SuggestionVerdict};
use switchboard::server::decide::catalog::Catalog;
use switchboard::server::decide::facts::Contact;
use switchboard::server::decide::learn::{self, context::Context};
use switchboard::server::decide::rank::Scorer;
use switchboard::server::decide::{self, Case};
use switchboard::server::floor::FloorConfig;
use switchboard::server::seed::fixtures::{MARIA_ID, PRIYA_ID};
use switchboard::server::seed::{seed, SeedOptions};
use switchboard::server::store::Store;
use switchboard::server::{self, AppState};

const RANKINGS: usize = 5_000;
const WRITES: usize = 300;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1e3
}

fn report(what: &str, mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!(
        "{what}: p50 {p50:.3} ms, p99 {p99:.3} ms ({} runs)",
        times.len()
    );
    (p50, p99)
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("decide.db").display());
        let store = Store::open(&url).await?;
        seed(
            &store,
            &SeedOptions {
                customers: 13,
                seed: 1,
            },
        )
        .await?;
        let catalog = Catalog::load(None)?;
        let decay = store
            .prepare_models(catalog.settings.half_life_days)
            .await?;

        // 1. Ranking for the 2,000-event customer.
        let customer = store
            .customer(PRIYA_ID)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no fixture 5"))?;
        let now = chrono::Utc::now();
        let history = store.history(PRIYA_ID, None, now).await?;
        let contact = Contact {
            channel: "voice".into(),
            queue: Some("billing".into()),
        };
        let context = Context::of(&Case::new(&customer, &history, &contact, now).facts);
        let evidence = store
            .evidence(&context.chain(), &decay, now.timestamp_millis())
            .await?;
        let posteriors = learn::posteriors(&catalog, &context, &evidence);
        println!("{} events in the history read", history.events.len());
        let mut times = Vec::with_capacity(RANKINGS);
        for i in 0..RANKINGS {
            let started = Instant::now();
            let case = Case::new(&customer, &history, &contact, now);
            let mut scorer =
                Scorer::new(i as u64, catalog.settings.control_share, posteriors.clone());
            let decision = decide::decide(&catalog, case, &mut scorer, decide::new_id(now), now);
            std::hint::black_box(decision);
            times.push(started.elapsed());
        }
        report("ranking, 2,000-event customer, full catalog", times);

        // 2. A wrap-up with and without the model's update.
        let usd = Money::new(50_000, Currency::USD);
        let (_, token) = store
            .add_agent("Bench Agent", Role::Supervisor, usd)
            .await?;
        let state =
            AppState::new(store.clone(), "1".into(), FloorConfig::default(), catalog).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        let client = Client::new(&base, &token)?;
        let (mut with, mut without) = (Vec::new(), Vec::new());
        for i in 0..WRITES * 2 {
            let decision = client
                .suggestions(MARIA_ID, &SuggestionsQuery::default())
                .await?;
            let learn = i % 2 == 0;
            let outcomes = if learn {
                decision
                    .suggestions
                    .iter()
                    .enumerate()
                    .map(|(k, s)| SuggestionOutcome {
                        action: s.action.clone(),
                        verdict: if k == 0 {
                            SuggestionVerdict::Accepted
                        } else {
                            SuggestionVerdict::Declined
                        },
                        decision_id: Some(decision.decision_id),
                    })
                    .collect()
            } else {
                vec![]
            };
            // Let the decision reach the log first, as it has by the time an
            // agent wraps up.
            tokio::time::sleep(Duration::from_millis(5)).await;
            let body = NewInteraction::resolved(MARIA_ID, "general.info", outcomes);
            let started = Instant::now();
            client.log_interaction(&format!("bench-{i}"), &body).await?;
            let took = started.elapsed();
            if learn {
                with.push(took)
            } else {
                without.push(took)
            }
        }
        let (_, p99_with) = report("wrap-up with outcomes (joined, model updated)", with);
        let (_, p99_without) = report("wrap-up without outcomes", without);
        println!(
            "the model's update adds {:.3} ms at p99",
            p99_with - p99_without
        );
        let _ = stop.send(());
        let _ = serving.await;
        Ok(())
    })
}
