//! The queue board: each queue's statistics over the last 30 minutes and since
//! midnight UTC, its per-minute series, and Erlang C staffing advice for the
//! agents on shift. Pure: built from the calls, the agent states and the clock.

use super::calls::{Call, CallFacts};
use super::{erlang, stats};
use crate::api::{QueueBoard, QueueStats};
use crate::domain::{AgentState, AgentsByState, Queue};
use chrono::DateTime;

/// The rolling window and the staffing interval, in seconds.
pub const WINDOW_S: u32 = 30 * 60;
/// The AHT assumed for staffing while a queue has no finished call today.
pub const DEFAULT_AHT_S: f64 = 180.0;

pub fn queue_board<'a>(
    queues: &[Queue],
    calls: impl Iterator<Item = &'a Call>,
    states: &[AgentState],
    now_ms: i64,
) -> QueueBoard {
    let mut agents = AgentsByState::default();
    for s in states {
        agents.add(*s);
    }
    // Agents who can take calls: everyone on shift but those not ready.
    let taking_calls = agents.on_shift() - agents.not_ready;
    let mut by_queue: Vec<Vec<CallFacts>> = vec![Vec::new(); queues.len()];
    let mut key_accounts_waiting = vec![0u32; queues.len()];
    for call in calls {
        if let Some(i) = queues.iter().position(|q| q.code == call.queue) {
            let facts = call.facts();
            if call.key_account && facts.waiting() {
                key_accounts_waiting[i] += 1;
            }
            by_queue[i].push(facts);
        }
    }
    let midnight = now_ms - now_ms.rem_euclid(24 * 3600 * 1000);
    let queues = queues
        .iter()
        .zip(by_queue)
        .zip(key_accounts_waiting)
        .map(|((queue, facts), key_account_waiting)| {
            let (waiting, longest_wait_s) = stats::waiting(&facts, now_ms);
            let last_30_min = stats::period(
                &facts,
                now_ms - WINDOW_S as i64 * 1000,
                queue.target_seconds,
            );
            let today = stats::period(&facts, midnight, queue.target_seconds);
            let demand = live_demand(queue, last_30_min.offered, today.aht_s);
            QueueStats {
                queue: queue.clone(),
                waiting,
                key_account_waiting,
                longest_wait_s,
                per_minute: stats::per_minute(&facts, now_ms, WINDOW_S / 60),
                staffing: erlang::staffing(&demand, Some(taking_calls)),
                last_30_min,
                today,
            }
        })
        .collect();
    QueueBoard {
        generated_at: DateTime::from_timestamp_millis(now_ms).unwrap_or_default(),
        agents,
        queues,
    }
}

/// The demand a queue shows now: the last 30 minutes' arrivals per 30 minutes,
/// today's AHT (or `DEFAULT_AHT_S`), and the queue's target.
pub fn live_demand(queue: &Queue, offered_last_30_min: u32, aht_s: Option<f64>) -> erlang::Demand {
    erlang::Demand {
        calls_per_interval: offered_last_30_min as f64,
        interval_s: WINDOW_S,
        aht_s: aht_s.unwrap_or(DEFAULT_AHT_S),
        target_pct: queue.target_pct as f64,
        target_s: queue.target_seconds,
    }
}
