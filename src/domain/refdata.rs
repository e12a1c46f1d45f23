//! Reference data: the codes the desk offers in its forms and the server checks.

use serde::{Deserialize, Serialize};

/// A code with a label, e.g. an escalation or waiver reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Code {
    pub code: String,
    pub label: String,
}

/// A disposition (wrap-up) code, grouped by category: "Billing › Late fee explained".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DispositionCode {
    pub code: String,
    pub category: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Queue,
    Tier,
}

/// Where an escalation can go: a queue (e.g. complaints) or a tier (e.g. tier 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EscalationTarget {
    pub code: String,
    pub label: String,
    pub kind: TargetKind,
}

/// A contact queue and its service-level target (X% answered within Y seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Queue {
    pub code: String,
    pub name: String,
    pub target_pct: u8,
    pub target_seconds: u32,
}

/// Everything the desk needs to fill its pick lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RefData {
    pub dispositions: Vec<DispositionCode>,
    pub escalation_reasons: Vec<Code>,
    pub escalation_targets: Vec<EscalationTarget>,
    pub waiver_reasons: Vec<Code>,
    pub queues: Vec<Queue>,
    /// Why an agent is not ready: break, lunch, training, meeting, coaching.
    #[serde(default)]
    pub not_ready_reasons: Vec<Code>,
}
