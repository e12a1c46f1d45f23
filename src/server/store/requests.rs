//! What became of a write (`WriteOutcome`; the write itself is the shared
//! `api::Write`), the response kept with its idempotency key
//! (`StoredResponse`), and the small checks that build an invalid outcome.

use crate::api::{ApprovalDecision, WaiverDecision};
use crate::domain::{Customer, Escalation, Interaction};

/// What became of a write.
#[derive(Debug, Clone)]
pub enum WriteOutcome {
    InteractionRecorded(Interaction),
    EscalationRecorded(Escalation),
    /// Applied, or stored as pending approval: `decision.status` says which.
    WaiverDecided(WaiverDecision),
    ApprovalDecided(ApprovalDecision),
    /// A customer (or a number's own record) created for an unknown caller.
    CustomerCreated(Customer),
    /// A number added to a customer.
    PhoneAdded(Customer),
    /// A rule refused it; the refusal is audited and kept with the key.
    Refused {
        field: String,
        reason: String,
    },
    /// The request names something that does not exist (404) or breaks a
    /// rule of its content (422); nothing is stored and the key is released.
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
