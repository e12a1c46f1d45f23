//! Staffing advice per statistics tick: Erlang C and Erlang A for 200 queues
//! of 1 to 60 Erlangs (AHT 3 to 10 minutes, patience 30 s to 5 minutes),
//! alone and as part of the whole queue board (30 minutes of calls, 200
//! agents with two or three skills each). Run: `cargo bench --bench staffing`.

use std::time::{Duration, Instant};
use switchboard::domain::{parse_skills, AgentState, CallEventKind, Queue, Skill};
use switchboard::server::floor::board::{self, OnFloor};
use switchboard::server::floor::calls::{Call, Seen};
use switchboard::server::floor::erlang::Demand;

const QUEUES: usize = 200;
const TICKS: usize = 50;
/// Noon UTC on a whole day, so the last half hour is today.
const NOW: i64 = 1_700_006_400_000 + 12 * 3_600_000;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1e3
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{label}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} ticks)",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        percentile(&times, 1.0),
        times.len()
    );
}

/// Queue `i`'s demand: traffic from 1 to 60 Erlangs, and its patience.
fn demand(i: usize) -> (Demand, f64) {
    let aht = 180.0 + (i % 8) as f64 * 60.0;
    let erlangs = 1.0 + (i * 37 % 60) as f64;
    (
        Demand {
            calls_per_interval: erlangs * 1800.0 / aht,
            interval_s: 1800,
            aht_s: aht,
            target_pct: 80.0,
            target_s: 20,
        },
        30.0 + (i * 13 % 10) as f64 * 30.0,
    )
}

fn main() {
    // The advice alone, with the agents each queue has about what it needs.
    let mut alone = Vec::new();
    for _ in 0..TICKS {
        let started = Instant::now();
        for i in 0..QUEUES {
            let (d, patience) = demand(i);
            let agents = d.traffic().round() as u32;
            std::hint::black_box(board::advise(&d, agents, agents as f64, Some(patience)));
        }
        alone.push(started.elapsed());
    }
    report(
        &format!("Erlang C and Erlang A advice for {QUEUES} queues"),
        alone,
    );

    // The whole board: each queue's calls of the last 30 minutes (arrivals at
    // its rate, one in ten abandoned), and 200 agents with skills.
    let queues: Vec<Queue> = (0..QUEUES)
        .map(|i| Queue {
            code: format!("q{i}"),
            name: format!("Queue {i}"),
            target_pct: 80,
            target_seconds: 20,
        })
        .collect();
    let mut calls = Vec::new();
    for (i, q) in queues.iter().enumerate() {
        let (d, _) = demand(i);
        let n = d.calls_per_interval.round() as i64;
        for k in 0..n {
            let offered = NOW - 1_800_000 + k * 1_800_000 / n.max(1);
            let mut call = Call::new(&q.code);
            call.record(
                CallEventKind::Offered,
                Seen {
                    at_ms: offered,
                    agent: None,
                },
            );
            let (kind, after) = match k % 10 {
                0 => (CallEventKind::Abandoned, 40_000),
                _ => (CallEventKind::Answered, 8_000),
            };
            call.record(
                kind,
                Seen {
                    at_ms: offered + after,
                    agent: None,
                },
            );
            calls.push(call);
        }
    }
    let skills: Vec<Vec<Skill>> = (0..QUEUES)
        .map(|a| {
            let text = format!("q{}:3,q{}:2,q{}", a, (a + 1) % QUEUES, (a + 7) % QUEUES);
            parse_skills(&text).expect("skills")
        })
        .collect();
    let on_floor: Vec<OnFloor> = skills
        .iter()
        .enumerate()
        .map(|(a, skills)| OnFloor {
            state: [
                AgentState::Available,
                AgentState::OnContact,
                AgentState::WrapUp,
            ][a % 3],
            skills,
        })
        .collect();
    let mut whole = Vec::new();
    for _ in 0..TICKS {
        let started = Instant::now();
        std::hint::black_box(board::queue_board(&queues, calls.iter(), &on_floor, NOW));
        whole.push(started.elapsed());
    }
    report(
        &format!(
            "the queue board ({QUEUES} queues, {} calls, {} agents)",
            calls.len(),
            on_floor.len()
        ),
        whole,
    );
}
