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
//! From it come, in closed form, the chance to be served, the mean wait of
//! those served, and (through the incomplete beta function) the chance to be
//! answered within the target and to hang up after it.
//!
//! Service level has the board's definition (`PeriodStats`): answered within
//! the target over answered plus abandoned after the target.

use super::erlang::{self, Demand, MAX_AGENTS};

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
    let (served_within, abandoned_within) = within_target(
        ahead,
        rates.n as f64 * rates.mu,
        theta,
        demand.target_s as f64,
    );
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

/// The most callers a staffing may lose to be advised, percent. Service
/// level leaves out callers who hang up within the target, so an overloaded
/// queue of impatient callers can meet it with short waits while many give
/// up; staffing must not rest on callers giving up.
pub const MAX_ABANDON_PCT: f64 = 5.0;

/// The fewest agents (up to `MAX_AGENTS`) whose predicted service level
/// meets the target while no more than `MAX_ABANDON_PCT` of callers hang
/// up; `None` when none does or no prediction can be made.
pub fn agents_needed(demand: &Demand, patience_s: f64) -> Option<u32> {
    // A staffing whose queue is too deep to model does not meet any target.
    let meets = |n: u32| {
        predict(n, demand, patience_s).is_some_and(|p| {
            p.service_level_pct >= demand.target_pct && p.abandon_pct <= MAX_ABANDON_PCT
        })
    };
    Rates::new(0, demand, patience_s)?; // The figures can be used at all.
    if meets(0) {
        return Some(0);
    }
    // Erlang C's answer is where to start: callers who hang up shorten the
    // queue, so Erlang A's is at or a few below it. Search up from there
    // (doubling) when it does not meet the target, then step down.
    let mut high = erlang::agents_needed(demand)
        .unwrap_or(demand.traffic().ceil() as u32)
        .clamp(1, MAX_AGENTS);
    while !meets(high) {
        if high == MAX_AGENTS {
            return None;
        }
        high = high.saturating_mul(2).min(MAX_AGENTS);
    }
    while high > 0 && meets(high - 1) {
        high -= 1;
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
/// ahead), the shares answered and abandoned within `target_s` seconds.
///
/// With `j` ahead a caller moves up at rates `nμ + iθ` for `i = j … 0`:
/// an arithmetic series of step θ, so θ times the time to reach an agent
/// is `−ln Y` with `Y ~ Beta(c, j + 1)`, `c = nμ/θ`. With `y = e^(−θt)`,
/// answered within `t` is `E[Y; Y ≥ y] = c/(c+j+1) · (1 − I_y(c+1, j+1))`
/// (the caller's own patience is the `e^(−θV)`), and abandoned within `t`
/// is `(1 − y) − (answered within t − y · (1 − I_y(c, j+1)))`. The
/// incomplete beta functions are summed in logarithms, one term per `j`.
fn within_target(ahead: &[f64], n_mu: f64, theta: f64, target_s: f64) -> (f64, f64) {
    let c = n_mu / theta;
    let y = (-theta * target_s).exp();
    if ahead.is_empty() || c <= 0.0 || target_s <= 0.0 {
        // No agents: nobody is answered, and each hangs up within t with
        // chance 1 − y.
        let total: f64 = ahead.iter().sum();
        return (0.0, total * (1.0 - y.min(1.0)));
    }
    let (mut below_c, mut below_c1) = (IncompleteBeta::new(c, y), IncompleteBeta::new(c + 1.0, y));
    let (mut served, mut abandoned) = (0.0, 0.0);
    for (j, weight) in ahead.iter().enumerate() {
        let b = j as f64 + 1.0;
        let within = c / (c + b) * (1.0 - below_c1.value());
        served += weight * within;
        abandoned += weight * ((1.0 - y) - (within - y * (1.0 - below_c.value())));
        below_c.next_b();
        below_c1.next_b();
    }
    (served, abandoned.max(0.0))
}

/// The regularized incomplete beta `I_x(a, b)` for `b = 1, 2, …` in turn,
/// by `I_x(a, b) = Σ_{k<b} u_k`, `u_0 = x^a`,
/// `u_k = u_{k−1} · (1 − x)(a + k − 1)/k`, kept in logarithms so that
/// large floors neither underflow nor overflow.
struct IncompleteBeta {
    a: f64,
    ln_one_minus_x: f64,
    k: f64,
    ln_term: f64,
    ln_sum: f64,
}

impl IncompleteBeta {
    fn new(a: f64, x: f64) -> IncompleteBeta {
        let ln_term = a * x.ln();
        IncompleteBeta {
            a,
            ln_one_minus_x: (1.0 - x).ln(),
            k: 0.0,
            ln_term,
            ln_sum: ln_term,
        }
    }

    /// `I_x(a, b)` for the current `b`.
    fn value(&self) -> f64 {
        self.ln_sum.exp().clamp(0.0, 1.0)
    }

    /// Moves on to `b + 1`.
    fn next_b(&mut self) {
        self.k += 1.0;
        self.ln_term += self.ln_one_minus_x + (self.a + self.k - 1.0).ln() - self.k.ln();
        let (high, low) = match self.ln_sum >= self.ln_term {
            true => (self.ln_sum, self.ln_term),
            false => (self.ln_term, self.ln_sum),
        };
        // A zero term (x = 0 or 1 in floating point) adds nothing.
        if low > f64::NEG_INFINITY {
            self.ln_sum = high + (low - high).exp().ln_1p();
        } else {
            self.ln_sum = high;
        }
    }
}

#[cfg(test)]
#[path = "erlang_a_tests.rs"]
mod tests;
