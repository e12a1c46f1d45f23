//! Next best actions as the desk sees them: what to do now, why, what it is
//! worth, and what acting on it opens. The actions themselves are data (the
//! server's catalog); an action is named by its code.

use super::timeline::labelled_enum;
use super::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An action's code in the catalog, e.g. `waive_late_fee`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct ActionCode(pub String);

impl ActionCode {
    pub fn new(code: &str) -> ActionCode {
        ActionCode(code.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ActionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

labelled_enum!(
    /// What an action is for.
    ActionKind {
        Service => "service", "Service",
        Retention => "retention", "Retention",
        Sales => "sales", "Sales",
        Care => "care", "Care",
        Recovery => "recovery", "Recovery",
    }
);

labelled_enum!(
    /// What acting on a suggestion opens on the desk.
    Opens {
        Waiver => "waiver", "Waive a fee",
        Escalation => "escalation", "Escalate",
        Transfer => "transfer", "Hand the call on",
        Offer => "offer", "Make an offer, logged",
        Info => "info", "Say it; noted with one key",
    }
);

/// One suggestion shown to the agent, with the reasons a person can read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub action: ActionCode,
    pub title: String,
    pub kind: ActionKind,
    pub opens: Opens,
    /// Why it is shown, in words: the facts that made it eligible and, once
    /// learned, how customers like this one answered.
    pub reasons: Vec<String>,
    /// How likely the customer is to accept (0–1), as the ranking saw it.
    pub propensity: f64,
    /// What it is worth, in the customer's currency.
    pub value: Option<Money>,
    /// What the value is, e.g. "the fee", "expected value kept".
    pub value_means: String,
    /// Propensity x context weight x value x lever: the order shown.
    pub priority: f64,
    /// What acting on it needs: `fee_id`, `target_code`, `disposition_code`.
    pub parameters: BTreeMap<String, String>,
}
