//! What the models have learned, in words and figures, per action: the
//! evidence and the propensity over everyone, how well the propensities the
//! ranking used sorted acceptors from the rest (AUC on recent answers), and
//! the predictors whose bins differ most in acceptance.

use super::context::{EVERYONE, PREDICTORS};
use super::posterior::posterior;
use super::CellEvidence;
use crate::api::{ActionModel, BinRate, PredictorSplit};
use crate::domain::ActionCode;
use crate::server::decide::catalog::Catalog;

/// A bin counts towards a predictor's spread from this many answers.
const BIN_MIN_ANSWERS: f64 = 5.0;
/// Predictors listed per action.
const TOP_PREDICTORS: usize = 3;

/// The models of every action in the catalog. `scored` holds (action,
/// propensity used, accepted?) for recent answers.
pub fn models(
    catalog: &Catalog,
    evidence: &CellEvidence,
    scored: &[(String, f64, bool)],
) -> Vec<ActionModel> {
    let min = f64::from(catalog.settings.min_responses);
    catalog
        .actions
        .iter()
        .map(|a| {
            let get = |cell: &str| {
                evidence
                    .get(&(a.code.clone(), cell.to_string()))
                    .copied()
                    .unwrap_or_default()
            };
            let everyone = get(EVERYONE);
            let (alpha, beta) = posterior(a.prior, &[everyone]);
            let mut predictors: Vec<PredictorSplit> = PREDICTORS
                .iter()
                .filter_map(|p| {
                    let bins: Vec<BinRate> = p
                        .bins
                        .iter()
                        .filter_map(|(bin, words)| {
                            let e = get(&format!("{}={bin}", p.name));
                            (e.answers >= BIN_MIN_ANSWERS).then(|| BinRate {
                                bin: bin.to_string(),
                                words: words.to_string(),
                                answers: e.answers.round() as i64,
                                acceptance: e.rate().unwrap_or(0.0),
                            })
                        })
                        .collect();
                    let rates = bins.iter().map(|b| b.acceptance);
                    let high = rates.clone().fold(f64::MIN, f64::max);
                    let low = rates.fold(f64::MAX, f64::min);
                    (bins.len() >= 2).then(|| PredictorSplit {
                        predictor: p.name.to_string(),
                        spread: high - low,
                        bins,
                    })
                })
                .collect();
            predictors.sort_by(|x, y| y.spread.total_cmp(&x.spread));
            predictors.truncate(TOP_PREDICTORS);
            let mine: Vec<(f64, bool)> = scored
                .iter()
                .filter(|(code, _, _)| *code == a.code)
                .map(|(_, p, y)| (*p, *y))
                .collect();
            let enough = everyone.answers >= min;
            let summary = if enough {
                let top = predictors.first().map(|p| {
                    let best = p
                        .bins
                        .iter()
                        .max_by(|x, y| x.acceptance.total_cmp(&y.acceptance));
                    match best {
                        Some(b) => {
                            format!("; most likely {} ({:.0}%)", b.words, b.acceptance * 100.0)
                        }
                        None => String::new(),
                    }
                });
                format!(
                    "accepted by {:.0}% of {:.0} answers{}",
                    everyone.rate().unwrap_or(0.0) * 100.0,
                    everyone.answers,
                    top.unwrap_or_default()
                )
            } else {
                format!(
                    "too few answers to learn from yet ({:.0} of {}); ranked near the prior {:.0}%",
                    everyone.answers,
                    catalog.settings.min_responses,
                    a.prior * 100.0
                )
            };
            ActionModel {
                action: ActionCode::new(&a.code),
                name: a.name.clone(),
                prior: a.prior,
                answers: everyone.answers,
                accepted: everyone.accepted,
                propensity: alpha / (alpha + beta),
                enough,
                auc: auc(&mine),
                auc_answers: mine.len() as i64,
                predictors,
                summary,
            }
        })
        .collect()
}

/// The area under the ROC curve of `scored` (score, positive?): the chance a
/// random acceptor was scored above a random other answer, ties counting
/// half. `None` without both kinds.
pub fn auc(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, y)| *y).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Mann-Whitney: the sum of the positives' ranks, ties given their mean rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let mean_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += mean_rank * sorted[i..j].iter().filter(|(_, y)| *y).count() as f64;
        i = j;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ordered_pairs_and_ties_by_half() {
        // Positives 0.9, 0.5; negatives 0.5, 0.1: pairs (0.9>0.5), (0.9>0.1),
        // (0.5=0.5 half), (0.5>0.1) = 3.5 of 4.
        let s = [(0.9, true), (0.5, true), (0.5, false), (0.1, false)];
        assert_eq!(auc(&s), Some(0.875));
        assert_eq!(auc(&[(0.2, true), (0.8, false)]), Some(0.0));
        assert_eq!(auc(&[(0.2, true)]), None);
    }
}
