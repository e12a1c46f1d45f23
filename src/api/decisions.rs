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
pub struct SuggestionsQuery {
    /// The contact's channel (default `voice`).
    pub channel: Option<Channel>,
    /// The queue the contact came through; weighs kinds of action.
    pub queue: Option<String>,
    /// Also list every action not shown, with the rule that stopped it.
    pub explain: Option<bool>,
}

/// The answer of `GET /v1/customers/{id}/suggestions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Suggestions {
    pub customer_id: CustomerId,
    pub generated_at: DateTime<Utc>,
    /// The decision these came from: outcomes logged at wrap-up name it.
    pub decision_id: DecisionId,
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

/// `GET /v1/decisions/funnel?from=&to=&segment=&action=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
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
}
