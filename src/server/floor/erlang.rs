//! Erlang C staffing: how many agents a queue needs to answer X% of calls within
//! Y seconds, and the service level and average speed of answer a given number
//! of agents will give. Pure arithmetic, no I/O.
//!
//! Erlang C is computed from Erlang B by the stable recurrence
//! `B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1))`, then
//! `C(N) = N·B(N) / (N − A·(1 − B(N)))`, which never forms `A^N` or `N!`.

use crate::domain::Staffing;

/// Most agents searched for when looking for the staffing that meets a target.
pub const MAX_AGENTS: u32 = 10_000;

/// What the staffing question is about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demand {
    pub calls_per_interval: f64,
    pub interval_s: u32,
    pub aht_s: f64,
    /// Service-level target in percent (0 < pct < 100 is meaningful).
    pub target_pct: f64,
    pub target_s: u32,
}

impl Demand {
    /// Offered load in Erlangs.
    pub fn traffic(&self) -> f64 {
        if self.interval_s == 0 {
            return 0.0;
        }
        (self.calls_per_interval * self.aht_s / self.interval_s as f64).max(0.0)
    }
}

/// Probability that a call waits, with `agents` agents and `traffic` Erlangs;
/// `None` when `agents <= traffic` (the queue grows without bound).
pub fn erlang_c(agents: u32, traffic: f64) -> Option<f64> {
    let n = agents as f64;
    if !traffic.is_finite() || traffic < 0.0 || n <= traffic {
        return None;
    }
    if traffic == 0.0 {
        return Some(0.0);
    }
    let mut b = 1.0_f64;
    for k in 1..=agents {
        b = traffic * b / (k as f64 + traffic * b);
    }
    Some((n * b / (n - traffic * (1.0 - b))).clamp(0.0, 1.0))
}

/// Share of calls answered within `target_s`, in percent; 0 when the queue
/// cannot keep up.
pub fn service_level_pct(agents: u32, demand: &Demand) -> f64 {
    let a = demand.traffic();
    match erlang_c(agents, a) {
        None => 0.0,
        Some(_) if demand.aht_s <= 0.0 => 100.0,
        Some(c) => {
            let exponent = -(agents as f64 - a) * demand.target_s as f64 / demand.aht_s;
            ((1.0 - c * exponent.exp()) * 100.0).clamp(0.0, 100.0)
        }
    }
}

/// Average speed of answer in seconds; `None` when the queue cannot keep up.
pub fn asa_s(agents: u32, demand: &Demand) -> Option<f64> {
    let a = demand.traffic();
    erlang_c(agents, a).map(|c| c * demand.aht_s.max(0.0) / (agents as f64 - a))
}

/// The fewest agents (up to `MAX_AGENTS`) that meet the target.
pub fn agents_needed(demand: &Demand) -> Option<u32> {
    let a = demand.traffic();
    if a == 0.0 {
        return Some(0);
    }
    // The first staffing that can keep up at all.
    let first = (a.floor() as u64 + 1).min(MAX_AGENTS as u64 + 1) as u32;
    (first..=MAX_AGENTS).find(|n| service_level_pct(*n, demand) >= demand.target_pct)
}

/// The full answer: agents needed, and the prediction for `agents` (or for the
/// agents needed when `agents` is `None`).
pub fn staffing(demand: &Demand, agents: Option<u32>) -> Staffing {
    let needed = agents_needed(demand);
    let agents = agents.or(needed).unwrap_or(0);
    Staffing {
        calls_per_interval: demand.calls_per_interval,
        interval_s: demand.interval_s,
        aht_s: demand.aht_s,
        target_pct: demand.target_pct,
        target_s: demand.target_s,
        traffic_erlangs: demand.traffic(),
        agents_needed: needed,
        agents,
        predicted_service_level_pct: service_level_pct(agents, demand),
        predicted_asa_s: asa_s(agents, demand),
        agents_serving: agents as f64,
        patience_s: None,
        erlang_a: None,
    }
}

#[cfg(test)]
/// The worked example of Call Centre Helper, "Erlang C Formula – Made Simple
/// With an Easy Worked Example"
/// (https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm):
/// 100 calls in 30 minutes, AHT 180 s, target 80% in 20 s → 10 Erlangs,
/// 14 agents, probability of waiting 17.4%, service level 88.8%, ASA 7.8 s.
/// The figures were checked independently with the closed form
/// `C = (A^N/N!)·N/(N−A) / (Σ_{k<N} A^k/k! + (A^N/N!)·N/(N−A))`.
pub(crate) fn classic_example() -> Demand {
    Demand {
        calls_per_interval: 100.0,
        interval_s: 1800,
        aht_s: 180.0,
        target_pct: 80.0,
        target_s: 20,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::classic_example as classic;

    #[test]
    fn the_classic_example() {
        let d = classic();
        assert!((d.traffic() - 10.0).abs() < 1e-12);
        let c = erlang_c(14, 10.0).expect("stable");
        assert!((c - 0.1741).abs() < 5e-4, "{c}");
        let sl = service_level_pct(14, &d);
        assert!((sl - 88.84).abs() < 0.05, "{sl}");
        let asa = asa_s(14, &d).expect("stable");
        assert!((asa - 7.84).abs() < 0.05, "{asa}");
        // 13 agents give 79.6%, just short of 80%.
        assert!((service_level_pct(13, &d) - 79.56).abs() < 0.05);
        assert_eq!(agents_needed(&d), Some(14));
        let s = staffing(&d, Some(12));
        assert_eq!(s.agents_needed, Some(14));
        assert_eq!(s.agents, 12);
        assert!((s.predicted_service_level_pct - 64.02).abs() < 0.05);
        assert!((s.predicted_asa_s.expect("stable") - 40.44).abs() < 0.05);
    }

    #[test]
    fn too_few_agents_is_an_answer_not_a_panic_or_nan() {
        let d = classic();
        for agents in [0, 1, 9, 10] {
            assert_eq!(erlang_c(agents, 10.0), None);
            assert_eq!(service_level_pct(agents, &d), 0.0);
            assert_eq!(asa_s(agents, &d), None);
        }
        let s = staffing(&d, Some(10));
        assert_eq!(s.predicted_service_level_pct, 0.0);
        assert!(s.predicted_asa_s.is_none());
        assert!(erlang_c(3, f64::NAN).is_none());
        assert!(erlang_c(3, f64::INFINITY).is_none());
    }

    #[test]
    fn large_centres_stay_finite() {
        // 1,000 Erlangs: A^N/N! would overflow f64 long before this.
        let d = Demand {
            calls_per_interval: 20_000.0,
            interval_s: 3600,
            aht_s: 180.0,
            target_pct: 80.0,
            target_s: 20,
        };
        let n = agents_needed(&d).expect("reachable");
        assert!((1001..1100).contains(&n), "{n}");
        let sl = service_level_pct(n, &d);
        assert!(sl.is_finite() && sl >= 80.0);
    }

    #[test]
    fn no_calls_need_no_agents() {
        let d = Demand {
            calls_per_interval: 0.0,
            ..classic()
        };
        assert_eq!(agents_needed(&d), Some(0));
        assert_eq!(erlang_c(0, 0.0), None);
        assert_eq!(erlang_c(1, 0.0), Some(0.0));
        assert_eq!(service_level_pct(1, &d), 100.0);
        assert_eq!(asa_s(1, &d), Some(0.0));
    }

    #[test]
    fn an_impossible_target_finds_no_staffing() {
        let d = Demand {
            target_pct: 100.5,
            ..classic()
        };
        assert_eq!(agents_needed(&d), None);
    }
}
