//! Next best actions: what the desk suggests the agent do now, and why.

use super::timeline::labelled_enum;
use super::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

labelled_enum!(
    /// The kinds of action the desk can suggest.
    SuggestedAction {
        WaiveFee => "waive_fee", "Waive fee",
        Escalate => "escalate", "Escalate",
        RetentionOffer => "retention_offer", "Retention offer",
        SeniorHandoff => "senior_handoff", "Hand to a senior agent",
    }
);

impl SuggestedAction {
    /// Marketing actions need consent and obey contact-frequency limits; service
    /// actions do not.
    pub fn is_marketing(&self) -> bool {
        matches!(self, SuggestedAction::RetentionOffer)
    }
}

/// One ranked suggestion with the reasons a person can read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub action: SuggestedAction,
    pub title: String,
    pub reasons: Vec<String>,
    /// Ranking score, higher first (0–1).
    pub score: f64,
    /// What is at stake: the fee amount, or the value at risk.
    pub value: Option<Money>,
    /// What acting on it needs, e.g. `fee_id`.
    pub parameters: BTreeMap<String, String>,
}
