//! A write as asked (`WriteRequest`, `DecisionRequest`), what became of it
//! (`WriteOutcome`), the response kept with its idempotency key
//! (`StoredResponse`), and the small checks that build an invalid outcome.

use crate::api::{
    ApprovalDecision, ApprovalKind, NewDecision, NewEscalation, NewFeeWaiver, NewInteraction,
    WaiverDecision,
};
use crate::domain::{Escalation, Interaction};

/// A write as the agent sent it.
#[derive(Debug, Clone)]
pub enum WriteRequest {
    Interaction(NewInteraction),
    Escalation(NewEscalation),
    FeeWaiver(NewFeeWaiver),
    Decision(DecisionRequest),
}

impl WriteRequest {
    /// The write's name in the audit log and in idempotency fingerprints.
    pub fn action_name(&self) -> &'static str {
        match self {
            WriteRequest::Interaction(_) => "interaction",
            WriteRequest::Escalation(_) => "escalation",
            WriteRequest::FeeWaiver(_) => "fee_waiver",
            WriteRequest::Decision(_) => "approval",
        }
    }
}

/// A supervisor's decision on the approval `kind`/`id`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DecisionRequest {
    pub kind: ApprovalKind,
    pub id: i64,
    pub decision: NewDecision,
}

/// What became of a write.
#[derive(Debug, Clone)]
pub enum WriteOutcome {
    InteractionRecorded(Interaction),
    EscalationRecorded(Escalation),
    /// Applied, or stored as pending approval: `decision.status` says which.
    WaiverDecided(WaiverDecision),
    ApprovalDecided(ApprovalDecision),
    /// A rule refused it; the refusal is audited and kept with the key.
    Refused {
        field: String,
        reason: String,
    },
    /// The request names something that does not exist or is not allowed; nothing
    /// is stored and the key is released.
    Invalid {
        field: String,
        message: String,
        not_found: bool,
    },
}

impl WriteOutcome {
    pub(super) fn invalid(field: impl Into<String>, message: impl Into<String>) -> WriteOutcome {
        WriteOutcome::Invalid {
            field: field.into(),
            message: message.into(),
            not_found: false,
        }
    }

    pub(super) fn missing(field: impl Into<String>, message: impl Into<String>) -> WriteOutcome {
        WriteOutcome::Invalid {
            field: field.into(),
            message: message.into(),
            not_found: true,
        }
    }
}

/// A response ready to send and to store with the key.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

/// Longer than `max` characters.
pub(super) fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// A user-supplied code, shortened for an error message.
pub(super) fn clip(s: &str) -> String {
    crate::domain::text::clip(s, 40)
}
