//! Erlang A (M/M/n+M, Palm's queue): Erlang C with callers who hang up.
//! Each caller's patience is exponential with a mean estimated from the
//! queue's abandoned calls, so the queue is stable with any number of agents
//! and the advice is not inflated by callers who in truth would have left.
//! Pure arithmetic, no I/O.
//!
//! Calls in the system form a birth–death chain: arrivals at rate λ; in
//! state k, departures at `min(k, n)·μ + max(k − n, 0)·θ` (services, and
//! waiting callers giving up at rate θ each). Its stationary distribution is
//! computed in logarithms, so large floors neither overflow nor underflow,
//! and cut where the tail is below e⁻³⁵ of the peak. An arriving caller sees
//! that distribution (Poisson arrivals see time averages). One who finds
//! `j` callers ahead moves up as the head is served (rate nμ) or a caller
//! ahead hangs up (θ each), and hangs up at rate θ: a small absorbing chain.
//! From it come, in closed form, the chance to be served and the mean wait
//! of those served, and, by uniformization over the target's seconds, the
//! chance to be answered within the target and to hang up after it.
//!
//! Service level has the board's definition (`PeriodStats`): answered within
//! the target over answered plus abandoned after the target.

use super::erlang::{Demand, MAX_AGENTS};

/// Callers more than this many deep are not modelled: a queue whose callers
/// are so patient that it settles deeper is answered "cannot tell".
const MAX_QUEUE: usize = 20_000;
/// Tail weight (natural log, relative to the peak) below which states are cut.
const TAIL_LOG: f64 = -35.0;

/// What Erlang A predicts for one staffing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// Answered within the target over answered plus abandoned after it, percent.
    pub service_level_pct: f64,
    /// Mean wait of the callers who are answered, seconds; `None` when nobody is.
    pub asa_s: Option<f64>,
    /// Callers who hang up before an answer, percent.
    pub abandon_pct: f64,
    /// Callers who wait at all, percent.
    pub wait_pct: f64,
}

/// The chain's rates, per second.
struct Rates {
    lambda: f64,
    mu: f64,
    theta: f64,
    n: usize,
}

impl Rates {
    /// `None` unless patience, handle time and interval are positive and
    /// finite and the arrival rate is finite.
    fn new(agents: u32, demand: &Demand, patience_s: f64) -> Option<Rates> {
        let interval = demand.interval_s as f64;
        let usable = |x: f64| x > 0.0 && x.is_finite();
        if !(usable(patience_s) && usable(demand.aht_s) && usable(interval)) {
            return None;
        }
        let lambda = demand.calls_per_interval.max(0.0) / interval;
        lambda.is_finite().then_some(Rates {
            lambda,
            mu: 1.0 / demand.aht_s,
            theta: 1.0 / patience_s,
            n: agents as usize,
        })
    }
}

/// The prediction for `agents` agents when callers wait `patience_s`
/// seconds on average before hanging up. `None` when the figures cannot
/// give one: no positive, finite patience or handle time, or a queue
/// deeper than `MAX_QUEUE`.
pub fn predict(agents: u32, demand: &Demand, patience_s: f64) -> Option<Prediction> {
    let rates = Rates::new(agents, demand, patience_s)?;
    if rates.lambda == 0.0 {
        return Some(Prediction {
            service_level_pct: 100.0,
            asa_s: Some(0.0),
            abandon_pct: 0.0,
            wait_pct: 0.0,
        });
    }
    let pi = stationary(&rates)?;
    let n = rates.n;
    // Arrivals who find a free agent; then those who find `j` ahead.
    let immediate: f64 = pi.iter().take(n).sum();
    let ahead: &[f64] = pi.get(n..).unwrap_or(&[]);
    let theta = rates.theta;
    let served_from = |i: usize| rates.n as f64 * rates.mu + i as f64 * theta;
    // P(served | j ahead) and E[wait · served | j ahead], by recurrence.
    let (mut served, mut wait_served) = (0.0, 0.0);
    let (mut s, mut e) = (1.0, 0.0);
    for (j, p) in ahead.iter().enumerate() {
        let r = served_from(j);
        let leave = r + theta;
        s *= r / leave;
        e = s / leave + r / leave * e;
        served += p * s;
        wait_served += p * e;
    }
    let abandoned = (1.0 - immediate - served).max(0.0);
    let (served_within, abandoned_within) =
        within_target(ahead, &served_from, theta, demand.target_s as f64);
    let answered = immediate + served;
    let abandoned_after = (abandoned - abandoned_within).max(0.0);
    let denominator = answered + abandoned_after;
    let service_level_pct = if denominator > 0.0 {
        ((immediate + served_within) / denominator * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    };
    Some(Prediction {
        service_level_pct,
        asa_s: (answered > 0.0).then(|| wait_served / answered),
        abandon_pct: (abandoned * 100.0).clamp(0.0, 100.0),
        wait_pct: ((1.0 - immediate) * 100.0).clamp(0.0, 100.0),
    })
}

/// The fewest agents (up to `MAX_AGENTS`) whose predicted service level
/// meets the target; `None` when none does or no prediction can be made.
pub fn agents_needed(demand: &Demand, patience_s: f64) -> Option<u32> {
    // A staffing whose queue is too deep to model does not meet any target.
    let meets = |n: u32| {
        predict(n, demand, patience_s).is_some_and(|p| p.service_level_pct >= demand.target_pct)
    };
    Rates::new(0, demand, patience_s)?; // The figures can be used at all.
    if meets(0) {
        return Some(0);
    }
    // Double up to a staffing that meets it, then halve the gap.
    let mut high = (demand.traffic().ceil() as u32).clamp(1, MAX_AGENTS);
    while !meets(high) {
        if high == MAX_AGENTS {
            return None;
        }
        high = high.saturating_mul(2).min(MAX_AGENTS);
    }
    let mut low = 0; // Known not to meet it.
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if meets(mid) {
            high = mid;
        } else {
            low = mid;
        }
    }
    Some(high)
}

/// The chain's stationary distribution over 0, 1, … calls in the system,
/// cut where the tail is negligible.
fn stationary(r: &Rates) -> Option<Vec<f64>> {
    let mut logs = vec![0.0_f64];
    let (ln_lambda, mut peak) = (r.lambda.ln(), 0.0_f64);
    loop {
        let k = logs.len();
        if k > r.n + MAX_QUEUE {
            return None;
        }
        let busy = k.min(r.n) as f64 * r.mu;
        let leaving = busy + k.saturating_sub(r.n) as f64 * r.theta;
        let next = logs[k - 1] + ln_lambda - leaving.ln();
        peak = peak.max(next);
        // Past the agents and falling: the tail only shrinks from here.
        if k > r.n && next < logs[k - 1] && next - peak < TAIL_LOG {
            break;
        }
        logs.push(next);
    }
    let total: f64 = logs.iter().map(|l| (l - peak).exp()).sum();
    Some(logs.iter().map(|l| (l - peak).exp() / total).collect())
}

/// Of the callers who arrive to find `ahead[j]` (the weight of `j` callers
/// ahead), the shares answered and abandoned within `target_s` seconds:
/// the absorbing chain run forward by uniformization, weighting each jump
/// count by its Poisson chance.
fn within_target(
    ahead: &[f64],
    served_from: &dyn Fn(usize) -> f64,
    theta: f64,
    target_s: f64,
) -> (f64, f64) {
    if ahead.is_empty() {
        return (0.0, 0.0);
    }
    let fastest = served_from(ahead.len() - 1) + theta;
    if target_s <= 0.0 || fastest <= 0.0 {
        return (0.0, 0.0);
    }
    let mean_jumps = fastest * target_s;
    let mut mass = ahead.to_vec();
    let mut next = vec![0.0; mass.len()];
    let (mut served, mut abandoned) = (0.0, 0.0);
    let (mut within_served, mut within_abandoned) = (0.0, 0.0);
    let mut seen = 0.0; // Poisson weight counted so far.
    let mut log_weight = -mean_jumps; // ln P(jumps = 0).
    let mut jumps = 0u32;
    loop {
        let weight = log_weight.exp();
        within_served += weight * served;
        within_abandoned += weight * abandoned;
        seen += weight;
        if (jumps as f64 > mean_jumps && 1.0 - seen < 1e-10) || jumps > 1_000_000 {
            break;
        }
        // One jump of the uniformized chain.
        next.fill(0.0);
        for (j, m) in mass.iter().enumerate() {
            let r = served_from(j);
            abandoned += m * theta / fastest;
            next[j] += m * (1.0 - (r + theta) / fastest);
            match j {
                0 => served += m * r / fastest,
                _ => next[j - 1] += m * r / fastest,
            }
        }
        std::mem::swap(&mut mass, &mut next);
        jumps += 1;
        log_weight += mean_jumps.ln() - (jumps as f64).ln();
    }
    // Whatever weight is left lies beyond the last jump counted.
    let rest = (1.0 - seen).max(0.0);
    (
        within_served + rest * served,
        within_abandoned + rest * abandoned,
    )
}

#[cfg(test)]
#[path = "erlang_a_tests.rs"]
mod tests;
