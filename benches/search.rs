//! Customer search through the real server (`GET /v1/customers/search` on
//! loopback, in process) over 100,000 seeded customers, on SQLite and, when
//! SWITCHBOARD_TEST_POSTGRES is set, PostgreSQL. A realistic mix of what
//! agents type: one letter, two letters, full names, misspelt names, Chinese
//! names in pinyin, run together and as initials, and in characters. Reports
//! p50 and p99 per kind and overall, one query at a time and with four agents
//! searching at once. Run: `cargo bench --bench search` (BENCH_CUSTOMERS=20000
//! for a quicker run; BENCH_DB=sqlite://PATH to reuse a seeded SQLite file,
//! or `none` to leave SQLite out; BENCH_PG=postgres://… a seeded PostgreSQL
//! database).

#[path = "../tests/common/mod.rs"]
mod common;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::{Duration, Instant};
use switchboard::api::Client;
use switchboard::domain::{romanize, text, Currency, CustomerId, Money, Role};
use switchboard::server::decide::catalog::Catalog;
use switchboard::server::seed::{seed, SeedOptions};
use switchboard::server::store::Store;
use switchboard::server::AppState;

/// Queries of each kind, one at a time.
const PER_KIND: usize = 300;
/// Agents searching at once, and the queries each sends.
const CONCURRENT: usize = 4;
const PER_AGENT: usize = 500;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1e3
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "  {what:<28} n={:<5} p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
        times.len(),
        percentile(times, 0.50),
        percentile(times, 0.99),
        times.last().map_or(0.0, |t| t.as_secs_f64() * 1e3),
    );
}

/// One typing mistake in `word`: a letter replaced, dropped, doubled or two
/// swapped, never the first letter.
fn misspell(rng: &mut ChaCha8Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = rng.gen_range(1..chars.len() - 1);
    match rng.gen_range(0..4) {
        0 => chars[at] = *b"aeiouszcnt".choose(rng).unwrap_or(&b'e') as char,
        1 => {
            chars.remove(at);
        }
        2 => chars.insert(at, chars[at]),
        _ => chars.swap(at, at + 1),
    }
    chars.into_iter().collect()
}

/// (kind, query) pairs drawn from the seeded customers' names.
async fn query_mix(store: &Store, total: i64) -> anyhow::Result<Vec<(&'static str, String)>> {
    let mut rng = ChaCha8Rng::seed_from_u64(18);
    let ids: Vec<CustomerId> = (0..5_000)
        .map(|_| CustomerId(rng.gen_range(1..=total)))
        .collect();
    let mut latin = Vec::new();
    let mut chinese = Vec::new();
    for chunk in ids.chunks(250) {
        for c in store.summaries(chunk).await? {
            if !romanize::han_runs(&c.name).is_empty() {
                chinese.push(c.name);
            } else if text::search_tokens(&c.name).iter().all(|w| w.is_ascii()) {
                latin.push(c.name);
            }
        }
    }
    anyhow::ensure!(!latin.is_empty() && !chinese.is_empty(), "no names");
    let mut mix = Vec::new();
    for _ in 0..PER_KIND {
        let name = latin.choose(&mut rng).cloned().unwrap_or_default();
        let words = text::search_tokens(&name);
        let han = chinese.choose(&mut rng).cloned().unwrap_or_default();
        let run = romanize::han_runs(&han).concat();
        // What an agent has typed of a name so far.
        let start = |n: usize| words.first().map(|w| w.chars().take(n).collect::<String>());
        mix.push(("one letter", start(1).unwrap_or_default()));
        mix.push(("two letters", start(2).unwrap_or_default()));
        mix.push(("full name", name.clone()));
        let long = words
            .iter()
            .max_by_key(|w| w.len())
            .cloned()
            .unwrap_or_default();
        let misspelt = if long.len() >= 5 {
            misspell(&mut rng, &long)
        } else {
            long.clone()
        };
        let other = words
            .iter()
            .find(|w| **w != long)
            .cloned()
            .unwrap_or_default();
        mix.push(("misspelt", format!("{other} {misspelt}").trim().to_string()));
        mix.push(("pinyin", romanize::to_ascii(&han).to_lowercase()));
        mix.push(("pinyin run together", run.concat()));
        mix.push((
            "initials",
            run.iter().filter_map(|s| s.chars().next()).collect(),
        ));
        mix.push(("characters", han));
    }
    mix.shuffle(&mut rng);
    Ok(mix)
}

async fn bench(url: &str, customers: u64) -> anyhow::Result<()> {
    let store = Store::open(url).await?;
    if store.next_customer_id().await?.0 == 1 {
        let started = Instant::now();
        let seeded = seed(
            &store,
            &SeedOptions {
                customers,
                seed: 42,
            },
        )
        .await?;
        println!(
            "  seeded {} customers in {:.1}s",
            seeded.customers,
            started.elapsed().as_secs_f64()
        );
    }
    let total = store.next_customer_id().await?.0 - 1;
    let (_, token) = store
        .add_agent("Bench Agent", Role::Agent, Money::new(5_000, Currency::USD))
        .await?;
    let mix = query_mix(&store, total).await?;
    let state = AppState::new(store, "1".into(), Default::default(), Catalog::load(None)?).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(switchboard::server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let client = Client::new(&base, &token)?;

    // Warm up: the first queries read the indexes from disk.
    for (_, q) in mix.iter().take(200) {
        client.search(q, 20).await?;
    }
    let mut by_kind: std::collections::BTreeMap<&str, Vec<Duration>> = Default::default();
    let mut all = Vec::new();
    let mut empty: std::collections::BTreeMap<&str, usize> = Default::default();
    for (kind, q) in &mix {
        let started = Instant::now();
        let hits = client.search(q, 20).await?.hits;
        let took = started.elapsed();
        if hits.is_empty() {
            *empty.entry(kind).or_default() += 1;
        }
        by_kind.entry(kind).or_default().push(took);
        all.push(took);
    }
    println!("  one query at a time ({total} customers):");
    for (kind, times) in &mut by_kind {
        report(kind, times);
    }
    report("all", &mut all);
    if !empty.is_empty() {
        println!("  queries that found nobody: {empty:?}");
    }

    let agents: Vec<_> = (0..CONCURRENT)
        .map(|agent| {
            let client = client.clone();
            let queries: Vec<String> = mix
                .iter()
                .cycle()
                .skip(agent * 97)
                .take(PER_AGENT)
                .map(|(_, q)| q.clone())
                .collect();
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(queries.len());
                for q in &queries {
                    let started = Instant::now();
                    client.search(q, 20).await?;
                    times.push(started.elapsed());
                }
                anyhow::Ok(times)
            })
        })
        .collect();
    let mut loaded = Vec::new();
    for agent in agents {
        loaded.extend(agent.await??);
    }
    report(&format!("all, {CONCURRENT} agents at once"), &mut loaded);
    let _ = stop.send(());
    server.await??;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let customers: u64 = std::env::var("BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let sqlite = common::TestDb::sqlite();
        let url = std::env::var("BENCH_DB").unwrap_or(sqlite.url.clone());
        if url != "none" {
            println!("sqlite:");
            bench(&url, customers).await?;
        }
        if let Ok(url) = std::env::var("BENCH_PG") {
            println!("postgres (BENCH_PG):");
            bench(&url, customers).await?;
        } else if let Some(postgres) = common::TestDb::postgres() {
            println!("postgres:");
            bench(&postgres.url, customers).await?;
        }
        anyhow::Ok(())
    })
}
