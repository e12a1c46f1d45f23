//! Erlang A against what is known exactly (Erlang C as patience grows; the
//! infinite-server queue when patience equals the handle time; the chain's
//! flow balance) and against a discrete-event simulation of the same queue.

use super::*;
use crate::server::floor::erlang;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;

use erlang::classic_example as classic;

#[test]
fn callers_who_never_hang_up_give_erlang_c() {
    let d = classic();
    let a = predict(14, &d, 1e7).expect("prediction");
    // Erlang C for 14 agents: waits 17.41%, SL 88.84%, ASA 7.84 s.
    assert!((a.wait_pct - 17.41).abs() < 0.05, "{a:?}");
    assert!((a.service_level_pct - 88.84).abs() < 0.05, "{a:?}");
    assert!((a.asa_s.expect("answered") - 7.84).abs() < 0.05, "{a:?}");
    assert!(a.abandon_pct < 0.01, "{a:?}");
    assert_eq!(agents_needed(&d, 1e7), erlang::agents_needed(&d));
}

#[test]
fn patience_as_long_as_a_call_is_the_infinite_server_queue() {
    // With θ = μ every call in the system leaves at rate μ, waiting or not:
    // the number in the system is Poisson with mean A (here 10 Erlangs).
    let d = classic();
    let poisson: Vec<f64> = (0..200)
        .scan(1.0_f64, |p, k| {
            let here = *p;
            *p *= 10.0 / (k as f64 + 1.0);
            Some(here)
        })
        .map(|p| p * (-10.0_f64).exp())
        .collect();
    for agents in [6u32, 8, 10, 13] {
        let n = agents as usize;
        let waits: f64 = poisson[n..].iter().sum();
        let queued: f64 = poisson
            .iter()
            .enumerate()
            .map(|(k, p)| k.saturating_sub(n) as f64 * p)
            .sum();
        let a = predict(agents, &d, 180.0).expect("prediction");
        assert!((a.wait_pct - waits * 100.0).abs() < 1e-6, "{agents}: {a:?}");
        // Abandons per second θ·E[queue] over arrivals per second λ.
        assert!(
            (a.abandon_pct - queued / 10.0 * 100.0).abs() < 1e-6,
            "{agents}: {a:?}"
        );
    }
}

#[test]
fn the_chain_balances_its_flows() {
    // What arrives and is not abandoned is served: λ(1 − P(ab)) = μ·E[busy].
    let d = classic();
    for (agents, patience) in [(8u32, 60.0), (11, 120.0), (3, 30.0), (20, 600.0)] {
        let r = Rates {
            lambda: 100.0 / 1800.0,
            mu: 1.0 / 180.0,
            theta: 1.0 / patience,
            n: agents as usize,
        };
        let pi = stationary(&r).expect("distribution");
        assert!((pi.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let busy: f64 = pi
            .iter()
            .enumerate()
            .map(|(k, p)| k.min(r.n) as f64 * p)
            .sum();
        let a = predict(agents, &d, patience).expect("prediction");
        let served = r.lambda * (1.0 - a.abandon_pct / 100.0);
        assert!(
            (served - r.mu * busy).abs() < 1e-9,
            "{agents}/{patience}: {served} vs {}",
            r.mu * busy
        );
    }
}

#[test]
fn callers_who_hang_up_need_fewer_agents_and_overload_has_an_answer() {
    let d = classic();
    let c = erlang::agents_needed(&d).expect("erlang c");
    let a = agents_needed(&d, 60.0).expect("erlang a");
    assert!(a < c, "A {a} vs C {c}");
    // Fewer agents than Erlangs: Erlang C has no answer, Erlang A does.
    assert_eq!(erlang::erlang_c(9, 10.0), None);
    let p = predict(9, &d, 60.0).expect("prediction");
    assert!(p.abandon_pct > 5.0 && p.abandon_pct < 40.0, "{p:?}");
    // More agents never do worse.
    let mut last = 0.0;
    for n in 0..20 {
        let sl = predict(n, &d, 60.0).expect("prediction").service_level_pct;
        assert!(sl >= last - 1e-9, "{n}: {sl} after {last}");
        last = sl;
    }
    // Nobody to answer: everyone hangs up, nobody is answered.
    let none = predict(0, &d, 60.0).expect("prediction");
    assert!((none.abandon_pct - 100.0).abs() < 1e-9 && none.asa_s.is_none());
}

#[test]
fn figures_it_cannot_use_give_no_prediction() {
    let d = classic();
    for patience in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(predict(10, &d, patience), None, "{patience}");
        assert_eq!(agents_needed(&d, patience), None, "{patience}");
    }
    let no_calls = Demand {
        calls_per_interval: 0.0,
        ..d
    };
    assert_eq!(agents_needed(&no_calls, 60.0), Some(0));
    // So patient a queue of more than MAX_QUEUE callers would build up.
    assert_eq!(predict(5, &d, 1e9), None);
    // Extremes give numbers, not NaN: callers who hang up at once, an hour's
    // target, a huge floor.
    let hour = Demand {
        target_s: 3600,
        ..d
    };
    for (agents, demand, patience) in [(5, &d, 0.001), (5, &hour, 1.0), (9, &hour, 60.0)] {
        let p = predict(agents, demand, patience).expect("prediction");
        assert!(
            p.service_level_pct.is_finite() && p.abandon_pct.is_finite(),
            "{agents}/{patience}: {p:?}"
        );
    }
    let huge = Demand {
        calls_per_interval: 10_000.0,
        ..d
    };
    let n = agents_needed(&huge, 120.0).expect("a staffing");
    assert!((940..=1030).contains(&n), "{n}");
    let p = predict(n, &huge, 120.0).expect("prediction");
    assert!(
        p.abandon_pct <= MAX_ABANDON_PCT && p.service_level_pct >= 80.0,
        "{p:?}"
    );
}

/// What a discrete-event simulation of the queue measured.
struct Measured {
    service_level_pct: f64,
    abandon_pct: f64,
    asa_s: f64,
}

/// Plays `calls` callers through `agents` agents, first come first served,
/// with exponential gaps, handle times and patience.
fn simulate(agents: usize, d: &Demand, patience_s: f64, calls: u32, seed: u64) -> Measured {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut exp = |mean: f64| -(1.0 - rng.gen::<f64>()).ln() * mean;
    let gap = d.interval_s as f64 / d.calls_per_interval;
    let target = d.target_s as f64;
    let (mut answered, mut within, mut abandoned, mut late, mut wait) =
        (0u32, 0u32, 0u32, 0u32, 0.0);
    let mut busy: Vec<f64> = Vec::new(); // When each busy agent finishes.
    let mut queue: VecDeque<(f64, f64)> = VecDeque::new(); // (arrived, gives up)
    let mut now = 0.0;
    for _ in 0..calls {
        let arrival = now + exp(gap);
        // Agents who finish before this arrival take the next caller still there.
        while let Some((i, at)) = busy
            .iter()
            .copied()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
        {
            if at > arrival {
                break;
            }
            busy.swap_remove(i);
            while let Some((came, gives_up)) = queue.pop_front() {
                if gives_up < at {
                    abandoned += 1;
                    late += u32::from(gives_up - came > target);
                    continue;
                }
                answered += 1;
                within += u32::from(at - came <= target);
                wait += at - came;
                busy.push(at + exp(d.aht_s));
                break;
            }
        }
        now = arrival;
        if busy.len() < agents {
            answered += 1;
            within += 1;
            busy.push(now + exp(d.aht_s));
        } else {
            queue.push_back((now, now + exp(patience_s)));
        }
    }
    let offered = (answered + abandoned) as f64;
    Measured {
        service_level_pct: within as f64 / (answered + late) as f64 * 100.0,
        abandon_pct: abandoned as f64 / offered * 100.0,
        asa_s: wait / answered as f64,
    }
}

#[test]
fn a_simulation_of_the_same_queue_agrees() {
    // Understaffed with impatient callers, about right, and well staffed.
    let d = classic();
    for (agents, patience, seed) in [(9u32, 60.0, 1u64), (11, 120.0, 2), (13, 300.0, 3)] {
        let model = predict(agents, &d, patience).expect("prediction");
        let sim = simulate(agents as usize, &d, patience, 400_000, seed);
        let asa = model.asa_s.expect("answered");
        assert!(
            (model.service_level_pct - sim.service_level_pct).abs() < 1.0,
            "{agents}/{patience}: SL {model:?} vs {:.2}",
            sim.service_level_pct
        );
        assert!(
            (model.abandon_pct - sim.abandon_pct).abs() < 0.5,
            "{agents}/{patience}: abandon {model:?} vs {:.2}",
            sim.abandon_pct
        );
        assert!(
            (asa - sim.asa_s).abs() < 0.05 * asa.max(2.0),
            "{agents}/{patience}: ASA {model:?} vs {:.2}",
            sim.asa_s
        );
    }
}
