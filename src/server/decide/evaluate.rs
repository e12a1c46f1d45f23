//! Off-policy evaluation: what another policy would have earned on the
//! decisions already logged, without showing it to anyone.
//!
//! Each logged decision keeps, for every action the policies allowed, its
//! value, the propensity the model held, whether it was shown, and the
//! answer; a shown action also keeps the chance the logging policy had of
//! showing it, by geometric resampling (`rank`), whose inverse is unbiased.
//! The logged policy's own value is what it earned. A target
//! policy gives each allowed action its own chance of being shown. The
//! reward of a shown action is its value × the catalog's lever if accepted.
//! Actions are taken to earn independently of what else is shown.
//!
//! - Inverse propensity scoring: the mean over decisions of
//!   Σ shown (target chance / logged chance) × reward.
//! - Doubly robust: the model's expected reward for every allowed action
//!   under the target, plus the same correction on the model's error:
//!   Σ allowed target × r̂ + Σ shown (target / logged) × (reward − r̂),
//!   with r̂ = the model's last propensity for that customer and action in
//!   the log × value. The latest, not the one held then: early in a log the
//!   model knew little, and a poor r̂ leaves all the work to the inverse
//!   weights, whose spread is what makes an estimate uncertain.
//!
//! Both come with a 95% interval from the spread of the per-decision terms.
//! [`policy_values`] estimates the logged policy and ranking by the priors
//! of any catalog.

use super::catalog::Catalog;
use super::rank::shows;
use std::collections::HashMap;

/// A logged decision's row as the store reads it: one allowed action
/// (shown, or kept back by the ranking alone), or a decision whose policies
/// allowed nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum LoggedRow {
    Item {
        decision: i64,
        customer: i64,
        action: String,
        shown: bool,
        propensity: f64,
        show_probability: f64,
        value_minor: Option<i64>,
        accepted: bool,
    },
    Empty {
        decision: i64,
    },
}

/// One allowed action of a logged decision.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedItem {
    pub action: String,
    /// Its value, minor units.
    pub value: f64,
    /// Value × the logging catalog's lever: what it earns if accepted.
    pub worth: f64,
    /// The model's propensity when it was decided.
    pub propensity: f64,
    /// The model's last propensity for this customer and action in the log:
    /// the doubly robust estimate's reward model.
    pub latest_propensity: f64,
    /// The logging policy's chance of showing it.
    pub show_probability: f64,
    pub shown: bool,
    /// Accepted, when shown and answered.
    pub accepted: bool,
}

/// A logged decision: the actions the policies allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    pub items: Vec<LoggedItem>,
}

/// An estimate with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// The store's rows (in decision order) grouped by decision, worth weighed
/// by `logging`'s levers.
pub fn logged(rows: &[LoggedRow], logging: &Catalog) -> Vec<Logged> {
    let mut latest: HashMap<(i64, &str), f64> = HashMap::new();
    for r in rows {
        if let LoggedRow::Item {
            customer,
            action,
            propensity,
            ..
        } = r
        {
            latest.insert((*customer, action.as_str()), *propensity);
        }
    }
    let mut logged: Vec<Logged> = Vec::new();
    let mut last = None;
    for r in rows {
        let id = match r {
            LoggedRow::Item { decision, .. } | LoggedRow::Empty { decision } => *decision,
        };
        if last != Some(id) {
            logged.push(Logged { items: Vec::new() });
            last = Some(id);
        }
        let (
            Some(decision),
            LoggedRow::Item {
                customer,
                action,
                shown,
                propensity,
                show_probability,
                value_minor,
                accepted,
                ..
            },
        ) = (logged.last_mut(), r)
        else {
            continue;
        };
        let value = value_minor.unwrap_or(0).max(0) as f64;
        decision.items.push(LoggedItem {
            action: action.clone(),
            value,
            worth: value * logging.action(action).map_or(1.0, |a| a.lever),
            propensity: *propensity,
            latest_propensity: latest
                .get(&(*customer, action.as_str()))
                .copied()
                .unwrap_or(*propensity),
            show_probability: *show_probability,
            shown: *shown,
            accepted: *accepted,
        });
    }
    logged
}

/// One policy's estimated value per decision.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyValue {
    pub name: String,
    pub ips: Estimate,
    pub dr: Estimate,
}

/// The logged policy's value, and ranking by each of `policies`' priors
/// and levers (the slate a catalog's priors would show, over what the
/// logged decision allowed).
pub fn policy_values(logged: &[Logged], policies: &[(String, Catalog)]) -> Vec<PolicyValue> {
    let value = |name: &str, (ips, dr): (Estimate, Estimate)| PolicyValue {
        name: name.to_string(),
        ips,
        dr,
    };
    let earned = observed(logged);
    let mut values = vec![value(
        "as logged (learning, with control)",
        (earned, earned),
    )];
    for (name, catalog) in policies {
        let chosen: Vec<Vec<bool>> = logged
            .iter()
            .map(|decision| {
                let codes: Vec<&str> = decision.items.iter().map(|i| i.action.as_str()).collect();
                let scores: Vec<f64> = decision
                    .items
                    .iter()
                    .map(|i| {
                        catalog
                            .action(&i.action)
                            .map_or(0.0, |a| a.prior * a.lever * i.value)
                    })
                    .collect();
                shows(catalog, &codes, &scores, catalog.settings.max_shown)
            })
            .collect();
        let target = |d: usize, k: usize| if chosen[d][k] { 1.0 } else { 0.0 };
        values.push(value(name, estimate(logged, &target)));
    }
    values
}

/// How many shown items were logged without a chance of being shown (0):
/// the estimates leave their corrections out.
pub fn without_chance(logged: &[Logged]) -> usize {
    logged
        .iter()
        .flat_map(|d| &d.items)
        .filter(|i| i.shown && i.show_probability <= 0.0)
        .count()
}

/// What the logged decisions earned, per decision: the logging policy's
/// value, observed rather than estimated.
pub fn observed(logged: &[Logged]) -> Estimate {
    let earned: Vec<f64> = logged
        .iter()
        .map(|d| {
            d.items
                .iter()
                .filter(|i| i.shown && i.accepted)
                .map(|i| i.worth)
                .sum()
        })
        .collect();
    interval(&earned)
}

/// IPS and DR estimates of the value per decision of the policy that shows
/// each allowed item with `target(decision, item)`.
pub fn estimate(logged: &[Logged], target: &dyn Fn(usize, usize) -> f64) -> (Estimate, Estimate) {
    let mut ips = Vec::with_capacity(logged.len());
    let mut dr = Vec::with_capacity(logged.len());
    for (d, decision) in logged.iter().enumerate() {
        let (mut i_term, mut d_term) = (0.0, 0.0);
        for (k, item) in decision.items.iter().enumerate() {
            let q = target(d, k);
            let predicted = item.latest_propensity * item.worth;
            d_term += q * predicted;
            if item.shown {
                // A shown item's logged chance is never 0 (at least
                // 1/MAX_RESAMPLES); a row that says 0 is skipped, not divided by.
                if item.show_probability <= 0.0 {
                    continue;
                }
                let weight = q / item.show_probability;
                let reward = if item.accepted { item.worth } else { 0.0 };
                i_term += weight * reward;
                d_term += weight * (reward - predicted);
            }
        }
        ips.push(i_term);
        dr.push(d_term);
    }
    (interval(&ips), interval(&dr))
}

/// The mean of `terms` with a normal 95% interval.
fn interval(terms: &[f64]) -> Estimate {
    let n = terms.len() as f64;
    if terms.is_empty() {
        return Estimate {
            value: 0.0,
            low: 0.0,
            high: 0.0,
        };
    }
    let mean = terms.iter().sum::<f64>() / n;
    let var = terms.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    let half = 1.96 * (var / n).sqrt();
    Estimate {
        value: mean,
        low: mean - half,
        high: mean + half,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(worth: f64, propensity: f64, p: f64, shown: bool, accepted: bool) -> LoggedItem {
        LoggedItem {
            action: String::new(),
            value: worth,
            worth,
            propensity,
            latest_propensity: propensity,
            show_probability: p,
            shown,
            accepted,
        }
    }

    #[test]
    fn ips_and_dr_match_values_worked_by_hand() {
        // Decision 1: A (worth 100, model 0.5, logged 0.5) shown and
        // accepted; B (worth 50, model 0.2, logged 0.5) not shown.
        // Decision 2: A (worth 100, model 0.5, logged 0.25) shown, declined;
        // B (worth 50, model 0.4, logged 0.75) not shown.
        let logged = vec![
            Logged {
                items: vec![
                    item(100.0, 0.5, 0.5, true, true),
                    item(50.0, 0.2, 0.5, false, false),
                ],
            },
            Logged {
                items: vec![
                    item(100.0, 0.5, 0.25, true, false),
                    item(50.0, 0.4, 0.75, false, false),
                ],
            },
        ];
        // Target: always A.
        let always_a = |_: usize, k: usize| if k == 0 { 1.0 } else { 0.0 };
        let (ips, dr) = estimate(&logged, &always_a);
        // IPS: d1 = 1/0.5 x 100 = 200; d2 = 1/0.25 x 0 = 0; mean 100.
        assert!((ips.value - 100.0).abs() < 1e-9, "{ips:?}");
        // DR: d1 = 50 + 2 x (100 - 50) = 150; d2 = 50 + 4 x (0 - 50) = -150;
        // mean 0.
        assert!(dr.value.abs() < 1e-9, "{dr:?}");
        // Sample sd of (200, 0) is 141.42; half-width 1.96 x 141.42 / sqrt 2 = 196.
        assert!((ips.high - ips.value - 196.0).abs() < 0.01, "{ips:?}");
        // A target that never shows anything earns nothing either way.
        let (ips, dr) = estimate(&logged, &|_, _| 0.0);
        assert_eq!((ips.value, dr.value), (0.0, 0.0));
        assert_eq!(without_chance(&logged), 0);
        // A shown item logged without a chance is left out, and counted.
        let old = vec![Logged {
            items: vec![item(100.0, 0.5, 0.0, true, true)],
        }];
        let (ips, _) = estimate(&old, &always_a);
        assert_eq!(ips.value, 0.0);
        assert_eq!(without_chance(&old), 1);
    }

    #[test]
    fn the_reward_model_is_the_last_propensity_for_the_customer_and_action() {
        let row = |decision, customer, propensity| LoggedRow::Item {
            decision,
            customer,
            action: "offer_upgrade".into(),
            shown: true,
            propensity,
            show_probability: 0.5,
            value_minor: Some(100),
            accepted: false,
        };
        let catalog = Catalog::load(None).expect("the shipped catalog");
        let rows = [row(1, 7, 0.3), row(2, 8, 0.9), row(3, 7, 0.6)];
        let logged = logged(&rows, &catalog);
        let models: Vec<(f64, f64)> = logged
            .iter()
            .map(|d| (d.items[0].propensity, d.items[0].latest_propensity))
            .collect();
        assert_eq!(models, [(0.3, 0.6), (0.9, 0.9), (0.6, 0.6)]);
    }
}
