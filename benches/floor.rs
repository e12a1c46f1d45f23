//! The event stream under load, in process: one server with 2,000 connected
//! supervisor streams; a call event makes the floor publish new queue
//! statistics (within the one-second throttle), and each stream's delay from
//! the statistics' `generated_at` to its arrival is measured. Reports p50, p99
//! and the slowest per round. Run: `cargo bench --bench floor`
//! (BENCH_STREAMS=500 for a quicker run).

use futures::StreamExt;
use std::time::Duration;
use switchboard::api::{Client, FloorEvent, NewCallEvent};
use switchboard::domain::{CallEventKind, Currency, Money, Role};
use switchboard::server::decide::catalog::Catalog;
use switchboard::server::floor::FloorConfig;
use switchboard::server::store::Store;
use switchboard::server::{self, AppState};

const ROUNDS: usize = 10;

fn percentile(sorted: &[i64], p: f64) -> i64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let streams: usize = std::env::var("BENCH_STREAMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let store = Store::open(&url).await?;
        let usd = Money::new(0, Currency::USD);
        let (_, boss) = store
            .add_agent("Bench Supervisor", Role::Supervisor, usd)
            .await?;
        let (_, system) = store.add_agent("Bench ACD", Role::System, usd).await?;
        let state = AppState::new(
            store.clone(),
            "1".into(),
            FloorConfig::default(),
            Catalog::load(None)?,
        )
        .await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        tokio::spawn(server::serve(listener, state, std::future::pending()));

        let viewer = Client::new(&base, &boss)?;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(i64, i64)>();
        let mut connected = 0;
        for _ in 0..streams {
            let mut events = Box::pin(viewer.events(None).await?);
            let tx = tx.clone();
            tokio::spawn(async move {
                while let Some(Ok((_, event))) = events.next().await {
                    if let FloorEvent::QueueStats(board) = event {
                        let now = chrono::Utc::now().timestamp_millis();
                        let _ = tx.send((board.generated_at.timestamp_millis(), now));
                    }
                }
            });
            connected += 1;
        }
        println!("{connected} event streams connected to {base}");
        let acd = Client::new(&base, &system)?;
        let mut delays = Vec::new();
        let mut slowest = Vec::new();
        for round in 0..ROUNDS {
            // Let the previous publication settle, then change the floor.
            tokio::time::sleep(Duration::from_millis(1500)).await;
            while rx.try_recv().is_ok() {}
            let started = chrono::Utc::now().timestamp_millis();
            for kind in [CallEventKind::Offered, CallEventKind::Abandoned] {
                acd.post_call(&NewCallEvent {
                    call_id: format!("bench-{round}"),
                    kind,
                    queue: "general".into(),
                    caller: None,
                    agent_id: None,
                    occurred_at: chrono::Utc::now(),
                    seq: 0,
                })
                .await?;
            }
            let mut round_delays = Vec::with_capacity(streams);
            while round_delays.len() < streams {
                let (generated, received) =
                    tokio::time::timeout(Duration::from_secs(10), rx.recv())
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("streams ended"))?;
                if generated >= started {
                    round_delays.push(received - generated);
                }
            }
            let max = round_delays.iter().copied().max().unwrap_or(0);
            println!("round {round}: all {streams} received within {max} ms of the update");
            slowest.push(max);
            delays.extend(round_delays);
        }
        delays.sort_unstable();
        slowest.sort_unstable();
        println!(
            "delivery to {streams} streams over {ROUNDS} updates: p50 {} ms, p99 {} ms, max {} ms; \
             slowest stream per update: median {} ms, worst {} ms",
            percentile(&delays, 0.5),
            percentile(&delays, 0.99),
            delays.last().copied().unwrap_or(0),
            percentile(&slowest, 0.5),
            slowest.last().copied().unwrap_or(0),
        );
        Ok(())
    })
}
