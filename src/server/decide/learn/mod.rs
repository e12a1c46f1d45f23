//! How the decision service learns from outcomes: the context a decision is
//! made in ([`context`]), Beta-Bernoulli propensities per action and context
//! cell with back-off and forgetting ([`posterior`]), and what that means
//! for one decision: a posterior per action for Thompson sampling and the
//! evidence in words. The store keeps the evidence (`store::models`),
//! updated in the interaction's own transaction.

pub mod context;
pub mod posterior;
pub mod report;

use super::catalog::{Action, Catalog};
use context::{describe, Context};
use posterior::{posterior, Evidence};
use std::collections::HashMap;

/// Evidence by (action code, cell).
pub type CellEvidence = HashMap<(String, String), Evidence>;

/// The evidence of `action` along `context`'s chain, everyone first.
fn chain_evidence(action: &Action, chain: &[String], evidence: &CellEvidence) -> Vec<Evidence> {
    chain
        .iter()
        .map(|cell| {
            evidence
                .get(&(action.code.clone(), cell.clone()))
                .copied()
                .unwrap_or_default()
        })
        .collect()
}

/// Per catalog action, the Beta posterior of its propensity in `context`,
/// as Thompson sampling draws from it: its variance scaled by the catalog's
/// `exploration` (alpha and beta divided by it; the mean is unchanged).
pub fn posteriors(
    catalog: &Catalog,
    context: &Context,
    evidence: &CellEvidence,
) -> Vec<(f64, f64)> {
    let chain = context.chain();
    let scale = 1.0 / catalog.settings.exploration;
    catalog
        .actions
        .iter()
        .map(|a| {
            let (alpha, beta) = posterior(a.prior, &chain_evidence(a, &chain, evidence));
            (alpha * scale, beta * scale)
        })
        .collect()
}

/// What the answers so far say about `action` for customers like this one,
/// in words: the finest cell of the chain with at least `min_responses`
/// answers ("accepted by 31% of 412 gold customers at high churn risk"), or
/// that there are too few answers yet to quote a rate.
pub fn evidence_words(
    action: &Action,
    context: &Context,
    evidence: &CellEvidence,
    min_responses: u32,
) -> String {
    let chain = context.chain();
    let found = chain_evidence(action, &chain, evidence);
    let enough = chain
        .iter()
        .zip(&found)
        .rev()
        .find(|(_, e)| e.answers >= f64::from(min_responses.max(1)));
    match enough {
        Some((cell, e)) => format!(
            "accepted by {:.0}% of {:.0} {}",
            e.rate().unwrap_or(0.0) * 100.0,
            e.answers,
            describe(cell)
        ),
        None => format!(
            "too few answers to learn from yet ({:.0} of {min_responses})",
            found.first().map_or(0.0, |e| e.answers)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_draws_from_the_posterior_with_its_variance_scaled_by_exploration() {
        let mut catalog = Catalog::load(None).expect("the shipped catalog");
        let context = Context::of(&crate::server::decide::facts::Facts::from_pairs(
            std::iter::empty(),
        ));
        catalog.settings.exploration = 1.0;
        let plain = posteriors(&catalog, &context, &CellEvidence::new());
        catalog.settings.exploration = 0.25;
        let sharp = posteriors(&catalog, &context, &CellEvidence::new());
        for ((a, b), (sa, sb)) in plain.iter().zip(&sharp) {
            // The same mean, four times the pseudo-answers: a quarter of
            // the variance, near enough, for these priors.
            assert!((a / (a + b) - sa / (sa + sb)).abs() < 1e-12);
            assert!((sa - 4.0 * a).abs() < 1e-9 && (sb - 4.0 * b).abs() < 1e-9);
        }
    }
}
