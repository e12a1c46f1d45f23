//! The queue board: each queue's statistics over the last 30 minutes and since
//! midnight UTC, its per-minute series, and Erlang C and Erlang A staffing
//! advice for the agents who serve it; and the floor's agents against what
//! the queues need together. Pure: built from the calls, the agents (state
//! and skills) and the clock.

use super::calls::{Call, CallFacts};
use super::{erlang, erlang_a, stats};
use crate::api::{QueueBoard, QueueStats};
use crate::domain::{
    proficiency_for, AgentState, AgentsByState, ErlangA, FloorStaffing, Queue, Skill, Staffing,
};
use chrono::DateTime;

/// An agent as staffing counts them.
pub struct OnFloor<'a> {
    pub state: AgentState,
    /// The queues they serve (empty: every queue).
    pub skills: &'a [Skill],
}

/// The rolling window and the staffing interval, in seconds.
pub const WINDOW_S: u32 = 30 * 60;
/// The AHT assumed for staffing while a queue has no finished call today.
pub const DEFAULT_AHT_S: f64 = 180.0;

pub fn queue_board<'a>(
    queues: &[Queue],
    calls: impl Iterator<Item = &'a Call>,
    on_floor: &[OnFloor],
    now_ms: i64,
) -> QueueBoard {
    let mut agents = AgentsByState::default();
    for a in on_floor {
        agents.add(a.state);
    }
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
    let figures: Vec<_> = queues
        .iter()
        .zip(&by_queue)
        .map(|(queue, facts)| {
            let last_30_min =
                stats::period(facts, now_ms - WINDOW_S as i64 * 1000, queue.target_seconds);
            let today = stats::period(facts, midnight, queue.target_seconds);
            let demand = live_demand(queue, last_30_min.offered, today.aht_s);
            (last_30_min, today, demand)
        })
        .collect();
    let traffic: Vec<f64> = figures.iter().map(|(_, _, d)| d.traffic()).collect();
    let serving = agents_serving(queues, &traffic, on_floor);
    let whole = whole_agents(&serving);
    let queues: Vec<QueueStats> = queues
        .iter()
        .zip(by_queue)
        .zip(figures)
        .enumerate()
        .map(|(i, ((queue, facts), (last_30_min, today, demand)))| {
            let (waiting, longest_wait_s) = stats::waiting(&facts, now_ms);
            let patience = stats::patience_s(&facts, midnight, now_ms);
            QueueStats {
                queue: queue.clone(),
                waiting,
                key_account_waiting: key_accounts_waiting[i],
                longest_wait_s,
                per_minute: stats::per_minute(&facts, now_ms, WINDOW_S / 60),
                staffing: advise(&demand, whole[i], serving[i], patience),
                last_30_min,
                today,
            }
        })
        .collect();
    let needed: Option<u32> = queues.iter().map(|q| q.staffing.advised_agents()).sum();
    let floor = FloorStaffing {
        agents_needed: needed,
        on_shift: agents.on_shift(),
        short_by: needed.map_or(0, |n| n.saturating_sub(agents.on_shift())),
    };
    QueueBoard {
        generated_at: DateTime::from_timestamp_millis(now_ms).unwrap_or_default(),
        agents,
        floor,
        queues,
    }
}

/// Erlang C, and Erlang A when callers' patience is known, for `agents`
/// (of a fractional `serving`).
pub fn advise(
    demand: &erlang::Demand,
    agents: u32,
    serving: f64,
    patience_s: Option<f64>,
) -> Staffing {
    let erlang_a = patience_s.and_then(|patience| {
        let p = erlang_a::predict(agents, demand, patience)?;
        Some(ErlangA {
            agents_needed: erlang_a::agents_needed(demand, patience),
            predicted_service_level_pct: p.service_level_pct,
            predicted_asa_s: p.asa_s,
            predicted_abandon_pct: p.abandon_pct,
        })
    });
    Staffing {
        agents_serving: serving,
        patience_s,
        erlang_a,
        ..erlang::staffing(demand, Some(agents))
    }
}

/// Agents taking calls (available, on a contact, in wrap-up) who serve each
/// queue. One who serves several is shared among them in proportion to
/// their traffic now, or equally when none has any.
fn agents_serving(queues: &[Queue], traffic: &[f64], on_floor: &[OnFloor]) -> Vec<f64> {
    let mut serving = vec![0.0; queues.len()];
    let taking_calls = |s: AgentState| {
        matches!(
            s,
            AgentState::Available | AgentState::OnContact | AgentState::WrapUp
        )
    };
    for agent in on_floor.iter().filter(|a| taking_calls(a.state)) {
        let served: Vec<usize> = (0..queues.len())
            .filter(|&i| proficiency_for(agent.skills, &queues[i].code).is_some())
            .collect();
        let total: f64 = served.iter().map(|&i| traffic[i]).sum();
        for &i in &served {
            serving[i] += if total > 0.0 {
                traffic[i] / total
            } else {
                1.0 / served.len() as f64
            };
        }
    }
    serving
}

/// Shares rounded to whole agents so that they add up to the (rounded) sum
/// of the shares: each queue gets its whole part, and the agents left go to
/// the largest remainders.
fn whole_agents(shares: &[f64]) -> Vec<u32> {
    let total = shares.iter().sum::<f64>().round() as u32;
    let mut whole: Vec<u32> = shares.iter().map(|s| s.floor() as u32).collect();
    let mut left = total.saturating_sub(whole.iter().sum());
    let mut by_remainder: Vec<usize> = (0..shares.len()).collect();
    by_remainder.sort_by(|&a, &b| {
        (shares[b] - shares[b].floor()).total_cmp(&(shares[a] - shares[a].floor()))
    });
    for i in by_remainder {
        if left == 0 {
            break;
        }
        whole[i] += 1;
        left -= 1;
    }
    whole
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{parse_skills, CallEventKind};
    use crate::server::floor::calls::Seen;

    /// Noon UTC, so the last half hour is today too.
    const NOW: i64 = 1_700_006_400_000 + 12 * 3_600_000;

    fn queue(code: &str) -> Queue {
        Queue {
            code: code.into(),
            name: code.into(),
            target_pct: 80,
            target_seconds: 20,
        }
    }

    /// `n` calls offered to `queue` in the last 30 minutes, all still waiting.
    fn offered(queue: &str, n: usize) -> Vec<Call> {
        (0..n)
            .map(|i| {
                let mut call = Call::new(queue);
                call.record(
                    CallEventKind::Offered,
                    Seen {
                        at_ms: NOW - 1000 * (i as i64 + 1),
                        agent: None,
                    },
                );
                call
            })
            .collect()
    }

    #[test]
    fn each_queue_counts_the_agents_who_serve_it_worked_by_hand() {
        let queues = [queue("billing"), queue("sales"), queue("support")];
        // 40 and 20 calls in 30 minutes at the default 180 s AHT: 4 and 2
        // Erlangs; support has none.
        let calls = [offered("billing", 40), offered("sales", 20)].concat();
        let skills = |text: &str| parse_skills(text).expect("skills");
        let (billing, both, sales_support, everything) = (
            skills("billing:3"),
            skills("billing:1,sales:2"),
            skills("sales,support"),
            Vec::new(),
        );
        use AgentState::*;
        let on_floor = [
            // Billing only: 1 to billing.
            OnFloor {
                state: Available,
                skills: &billing,
            },
            // Billing and sales, split 4:2 by their traffic: 2/3 and 1/3.
            OnFloor {
                state: OnContact,
                skills: &both,
            },
            // Sales and support, which has no traffic: 1 to sales.
            OnFloor {
                state: WrapUp,
                skills: &sales_support,
            },
            // No skills listed, so every queue: 2/3, 1/3, 0.
            OnFloor {
                state: Available,
                skills: &everything,
            },
            // Not ready and offline agents take no calls.
            OnFloor {
                state: NotReady,
                skills: &billing,
            },
            OnFloor {
                state: Offline,
                skills: &billing,
            },
        ];
        let board = queue_board(&queues, calls.iter(), &on_floor, NOW);
        let serving: Vec<f64> = board
            .queues
            .iter()
            .map(|q| q.staffing.agents_serving)
            .collect();
        // Billing 1 + 2/3 + 2/3 = 2.33; sales 1/3 + 1 + 1/3 = 1.67; support 0.
        assert!((serving[0] - 7.0 / 3.0).abs() < 1e-9, "{serving:?}");
        assert!((serving[1] - 5.0 / 3.0).abs() < 1e-9, "{serving:?}");
        assert_eq!(serving[2], 0.0);
        // Four agents take calls: 2 and 1 whole, and the one left goes to
        // the larger remainder (sales, .67 against .33).
        let whole: Vec<u32> = board.queues.iter().map(|q| q.staffing.agents).collect();
        assert_eq!(whole, [2, 2, 0]);
        // Erlang C at 80% in 20 s: 4 Erlangs need 7 (6 give 77.2%), 2 need 4
        // (3 give 60.2%), none need 0. Two agents cannot keep up with 4.
        let needed: Vec<Option<u32>> = board
            .queues
            .iter()
            .map(|q| q.staffing.agents_needed)
            .collect();
        assert_eq!(needed, [Some(7), Some(4), Some(0)]);
        assert_eq!(board.queues[0].staffing.predicted_service_level_pct, 0.0);
        // Together 11 against the 5 on shift (not ready counts, offline not).
        assert_eq!(
            board.floor,
            FloorStaffing {
                agents_needed: Some(11),
                on_shift: 5,
                short_by: 6,
            }
        );
        // Nobody has hung up yet: no patience, no Erlang A.
        assert!(board.queues.iter().all(|q| q.staffing.erlang_a.is_none()));
    }

    #[test]
    fn whole_agents_keep_the_total() {
        assert_eq!(whole_agents(&[0.5, 0.5, 1.0]), [1, 0, 1]);
        assert_eq!(whole_agents(&[1.2, 1.3, 1.5]), [1, 1, 2]);
        assert_eq!(whole_agents(&[]), Vec::<u32>::new());
        assert_eq!(whole_agents(&[0.0, 0.0]), [0, 0]);
    }

    #[test]
    fn a_queue_whose_callers_hang_up_is_advised_by_erlang_a() {
        let queues = [queue("billing")];
        let mut calls = offered("billing", 40);
        // Five of them hung up after 30 s each; the rest wait on.
        for call in calls.iter_mut().take(5) {
            let at = call.offered.expect("offered").at_ms + 30_000;
            call.record(
                CallEventKind::Abandoned,
                Seen {
                    at_ms: at,
                    agent: None,
                },
            );
        }
        let everything = Vec::new();
        let on_floor: Vec<OnFloor> = (0..3)
            .map(|_| OnFloor {
                state: AgentState::Available,
                skills: &everything,
            })
            .collect();
        let board = queue_board(&queues, calls.iter(), &on_floor, NOW);
        let s = &board.queues[0].staffing;
        let patience = s.patience_s.expect("five abandons");
        assert!(patience > 30.0, "{patience}");
        let a = s.erlang_a.as_ref().expect("erlang a");
        assert_eq!(s.advised_agents(), a.agents_needed);
        // Three agents for 4 Erlangs: Erlang C cannot keep up, Erlang A
        // predicts a service level and the callers lost.
        assert_eq!(s.predicted_asa_s, None);
        assert!(
            a.predicted_abandon_pct > 0.0 && a.predicted_asa_s.is_some(),
            "{a:?}"
        );
        assert_eq!(board.floor.agents_needed, a.agents_needed);
    }
}
