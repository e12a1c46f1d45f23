//! The decision service on the wire: the suggestions for a contact (with
//! the decision they came from, and on request what was not shown and why),
//! the action catalog in words, and the funnel of what was eligible,
//! suppressed, shown and answered.

use crate::domain::{
    ActionCode, ActionKind, Channel, CustomerId, DecisionId, Money, Opens, Segment, Suggestion,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// `GET /v1/customers/{id}/suggestions?channel=&queue=&explain=`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestionsQuery {
    /// The contact's channel (default `voice`).
    pub channel: Option<Channel>,
    /// The queue the contact came through; weighs kinds of action.
    #[param(min_length = 1, max_length = 64)]
    pub queue: Option<String>,
    /// Also list every action not shown, with the rule that stopped it.
    pub explain: Option<bool>,
    /// A business contact: the organisation they say they are calling for
    /// (default: the one they called for last). 400 when they hold no
    /// role there.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub acting_for: Option<CustomerId>,
}

/// The answer of `GET /v1/customers/{id}/suggestions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Suggestions {
    pub customer_id: CustomerId,
    pub generated_at: DateTime<Utc>,
    /// The decision these came from: outcomes logged at wrap-up name it.
    pub decision_id: DecisionId,
    /// Ranked by the catalog's priors alone, as one of the control group.
    #[serde(default)]
    pub control: bool,
    /// Best first.
    pub suggestions: Vec<Suggestion>,
    /// With `explain=true`: every action not shown, and why.
    #[serde(default)]
    pub not_shown: Vec<NotShown>,
}

/// An action that was not shown, and the rule that stopped it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotShown {
    pub action: ActionCode,
    pub name: String,
    /// Eligible (its conditions hold) but kept back by a policy or the
    /// ranking; otherwise not eligible.
    pub eligible: bool,
    pub rule: String,
    /// The kind of rule: `consent`, `cap`, `suppressed: declined`,
    /// `suppressed: no answer`, `quiet hours`, `one at a time`,
    /// `outranked` (the last two are the ranking's), or `not eligible`.
    #[serde(default)]
    pub rule_kind: String,
    /// What it would have been worth, for an eligible action.
    #[serde(default)]
    pub value: Option<Money>,
}

/// One action of the catalog, in words: `GET /v1/actions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActionInfo {
    pub code: ActionCode,
    pub name: String,
    pub kind: ActionKind,
    pub opens: Opens,
    pub group: String,
    /// Every condition, in words; `any of:` before alternatives.
    pub eligibility: Vec<String>,
    /// The value model as written.
    pub value: String,
    pub value_means: String,
    pub prior: f64,
    pub lever: f64,
    /// The policies of its group, in words.
    pub policies: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Actions {
    pub actions: Vec<ActionInfo>,
}

/// `GET /v1/decisions/models`: what the learning has found, per action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Models {
    pub generated_at: DateTime<Utc>,
    /// Evidence halves in this many days.
    pub half_life_days: f64,
    /// Below this many answers a model says so instead of quoting a rate.
    pub min_responses: u32,
    pub actions: Vec<ActionModel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActionModel {
    pub action: ActionCode,
    pub name: String,
    /// The catalog's prior: the propensity before any answer.
    pub prior: f64,
    /// Answers over everyone (accepted, declined, ignored), decayed.
    pub answers: f64,
    /// Acceptances among them, decayed.
    pub accepted: f64,
    /// The posterior mean over everyone.
    pub propensity: f64,
    /// At least `min_responses` answers.
    pub enough: bool,
    /// How well the propensities used sorted acceptors first, on the last
    /// 30 days' answers (0.5 is chance); none without both kinds of answer.
    pub auc: Option<f64>,
    pub auc_answers: i64,
    /// The predictors whose bins differ most in acceptance, most first.
    pub predictors: Vec<PredictorSplit>,
    /// The model in words.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PredictorSplit {
    pub predictor: String,
    /// Highest minus lowest acceptance among its bins.
    pub spread: f64,
    pub bins: Vec<BinRate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BinRate {
    pub bin: String,
    /// The bin's customers in words: "at high churn risk".
    pub words: String,
    pub answers: i64,
    pub acceptance: f64,
}

/// `GET /v1/decisions/funnel?from=&to=&segment=&action=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FunnelQuery {
    /// From this time (default: 30 days ago).
    pub from: Option<DateTime<Utc>>,
    /// Up to this time (default: now).
    pub to: Option<DateTime<Utc>>,
    pub segment: Option<Segment>,
    /// One action's code.
    pub action: Option<String>,
}

/// What became of the decisions in a period, per action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Funnel {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub segment: Option<Segment>,
    pub decisions: i64,
    /// The days of `per_day` series, oldest first.
    pub days: Vec<NaiveDate>,
    pub actions: Vec<FunnelRow>,
    /// Learning against the control group ranked by priors alone.
    pub lift: Lift,
}

/// What learning earns over the control group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Lift {
    pub learned_decisions: i64,
    pub control_decisions: i64,
    /// Acceptance of what was shown (accepted / answered).
    pub acceptance: Option<Difference>,
    /// Value accepted per decision, minor units (currencies at par).
    pub value_per_decision: Option<Difference>,
}

/// Learned against control, and the difference with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Difference {
    pub learned: f64,
    pub control: f64,
    pub difference: f64,
    pub low: f64,
    pub high: f64,
}

impl Difference {
    /// Two shares, (hits, n) each, with the Wald interval of the difference.
    pub fn of_rates(learned: (i64, i64), control: (i64, i64)) -> Option<Difference> {
        let (Some(a), Some(b)) = (share(learned), share(control)) else {
            return None;
        };
        let var = a * (1.0 - a) / learned.1 as f64 + b * (1.0 - b) / control.1 as f64;
        Some(Difference::around(a, b, var))
    }

    /// Two means, with the Welch interval of the difference.
    pub fn of_means(learned: &[f64], control: &[f64]) -> Option<Difference> {
        let (a, va) = mean_var(learned)?;
        let (b, vb) = mean_var(control)?;
        let var = va / learned.len() as f64 + vb / control.len() as f64;
        Some(Difference::around(a, b, var))
    }

    fn around(learned: f64, control: f64, var: f64) -> Difference {
        let half = 1.96 * var.max(0.0).sqrt();
        let difference = learned - control;
        Difference {
            learned,
            control,
            difference,
            low: difference - half,
            high: difference + half,
        }
    }
}

fn share((hits, n): (i64, i64)) -> Option<f64> {
    (n > 0).then(|| hits as f64 / n as f64)
}

/// Mean and sample variance; none for fewer than two values.
fn mean_var(xs: &[f64]) -> Option<(f64, f64)> {
    if xs.len() < 2 {
        return None;
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Some((mean, var))
}

/// One action's funnel: eligible, suppressed (by rule), shown, answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FunnelRow {
    pub action: ActionCode,
    pub name: String,
    pub kind: ActionKind,
    pub eligible: i64,
    pub suppressed: i64,
    /// Suppressions by rule, most first.
    pub suppressed_by: Vec<RuleCount>,
    pub shown: i64,
    pub accepted: i64,
    pub declined: i64,
    pub ignored: i64,
    pub not_offered: i64,
    /// Accepted / (accepted + declined + ignored), with its 95% (Wilson) interval.
    pub acceptance: Option<Rate>,
    /// Sum of the value of accepted suggestions, per currency.
    pub value_accepted: Vec<Money>,
    /// Acceptance per day of `Funnel::days` (none on days without answers).
    pub per_day: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleCount {
    pub rule: String,
    pub count: i64,
}

/// A share with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// How many answers it is over.
    pub n: i64,
}

impl Rate {
    /// `hits` of `n`, with the Wilson score interval at 95%.
    pub fn wilson(hits: i64, n: i64) -> Option<Rate> {
        if n <= 0 {
            return None;
        }
        let (p, nf, z) = (hits as f64 / n as f64, n as f64, 1.959_963_985);
        let denom = 1.0 + z * z / nf;
        let centre = (p + z * z / (2.0 * nf)) / denom;
        let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / denom;
        Some(Rate {
            value: p,
            low: (centre - half).max(0.0),
            high: (centre + half).min(1.0),
            n,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wilson_interval_matches_worked_values() {
        // 31 of 412: p = 7.52%, Wilson 95% 5.35%-10.49%.
        let r = Rate::wilson(31, 412).expect("a rate");
        assert!((r.value - 0.07524).abs() < 1e-4);
        assert!((r.low - 0.0535).abs() < 5e-4, "{}", r.low);
        assert!((r.high - 0.1049).abs() < 5e-4, "{}", r.high);
        assert_eq!(Rate::wilson(0, 0), None);
        let none = Rate::wilson(0, 10).expect("a rate");
        assert_eq!(none.low, 0.0);
    }

    #[test]
    fn lift_differences_carry_worked_intervals() {
        // 60/100 vs 40/100: var = .24/100 + .24/100 = .0048; half = 1.96 x .06928 = .1358.
        let d = Difference::of_rates((60, 100), (40, 100)).expect("both arms");
        assert!((d.difference - 0.2).abs() < 1e-12);
        assert!((d.high - d.difference - 0.13579).abs() < 1e-4, "{d:?}");
        assert_eq!(Difference::of_rates((1, 2), (0, 0)), None);
        // Means 2 and 1, sample variances 1 and 1, n 3 each: half = 1.96 x sqrt(2/3).
        let m = Difference::of_means(&[1.0, 2.0, 3.0], &[0.0, 1.0, 2.0]).expect("both arms");
        assert!((m.difference - 1.0).abs() < 1e-12);
        assert!(
            (m.high - 1.0 - 1.96 * (2.0f64 / 3.0).sqrt()).abs() < 1e-9,
            "{m:?}"
        );
    }
}
