//! What agents write: interaction logs, escalations and fee waivers, as stored.

use super::timeline::labelled_enum;
use super::{
    ActionCode, AgentId, Channel, CustomerId, DecisionId, EscalationId, FeeId, InteractionId,
    Money, WaiverId,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

labelled_enum!(
    /// How a contact ended.
    InteractionOutcome {
        Resolved => "resolved", "Resolved",
        FollowUp => "follow_up", "Follow-up needed",
        Transferred => "transferred", "Transferred",
        Callback => "callback", "Callback",
    }
);

labelled_enum!(
    /// What the agent did with a suggestion that was on screen.
    SuggestionVerdict {
        Accepted => "accepted", "Accepted",
        Declined => "declined", "Declined",
        NotOffered => "not_offered", "Not offered",
        Ignored => "ignored", "Ignored",
    }
);

labelled_enum!(
    /// How urgent an escalation is.
    Priority {
        Low => "low", "Low",
        Normal => "normal", "Normal",
        High => "high", "High",
        Urgent => "urgent", "Urgent",
    }
);

labelled_enum!(
    EscalationStatus {
        Open => "open", "Open",
        Closed => "closed", "Closed",
    }
);

labelled_enum!(
    /// Whether a waiver took effect or waits for a supervisor.
    WaiverStatus {
        Applied => "applied", "Applied",
        PendingApproval => "pending_approval", "Pending approval",
        Denied => "denied", "Denied",
    }
);

/// The outcome of one suggestion that was shown during a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestionOutcome {
    pub action: ActionCode,
    pub verdict: SuggestionVerdict,
    /// The decision that showed it (desks before the decision service sent
    /// none: the server takes the customer's latest one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_id: Option<DecisionId>,
}

/// A logged contact (the wrap-up record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Interaction {
    pub id: InteractionId,
    pub customer_id: CustomerId,
    pub agent_id: AgentId,
    pub channel: Channel,
    pub disposition_code: String,
    pub outcome: InteractionOutcome,
    pub tags: Vec<String>,
    pub notes: String,
    pub suggestion_outcomes: Vec<SuggestionOutcome>,
    pub follow_up_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The account the contact was logged against (a business contact's
    /// organisation, or the organisation itself).
    #[serde(default)]
    pub organisation_id: Option<CustomerId>,
    #[serde(default)]
    pub tone_flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Escalation {
    pub id: EscalationId,
    pub customer_id: CustomerId,
    pub agent_id: AgentId,
    pub target_code: String,
    pub priority: Priority,
    pub reason_code: String,
    pub summary: String,
    pub status: EscalationStatus,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeeWaiver {
    pub id: WaiverId,
    pub customer_id: CustomerId,
    pub fee_id: FeeId,
    pub agent_id: AgentId,
    pub amount: Money,
    pub reason_code: String,
    pub note: String,
    pub status: WaiverStatus,
    pub created_at: DateTime<Utc>,
}
