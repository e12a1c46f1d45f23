//! The one write type. Every write a person confirms (a logged interaction,
//! an escalation, a fee waiver, a supervisor's decision, a new customer or
//! number for an unknown caller) is a [`Write`] from
//! the form's confirm step through the desk's outbox and the client to the
//! server's idempotent write path. Serialized as `{"kind": …, "body": …}`,
//! the body being exactly what the route takes.

use super::{
    ApprovalDecision, ApprovalKind, EscalationCreated, InteractionCreated, NewCustomerRecord,
    NewDecision, NewEscalation, NewFeeWaiver, NewInteraction, PhoneWrite, WaiverDecision,
};
use crate::domain::{Customer, CustomerId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum Write {
    /// `POST /v1/interactions`.
    Interaction(NewInteraction),
    /// `POST /v1/escalations`.
    Escalation(NewEscalation),
    /// `POST /v1/fee-waivers`.
    FeeWaiver(NewFeeWaiver),
    /// `POST /v1/approvals/{kind}/{id}`.
    Decision(DecisionWrite),
    /// `POST /v1/customers`.
    NewCustomer(NewCustomerRecord),
    /// `POST /v1/customers/{id}/phones`.
    AddPhone(PhoneWrite),
}

/// A supervisor's decision on one approval: which, and the decision itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionWrite {
    pub kind: ApprovalKind,
    pub id: i64,
    pub decision: NewDecision,
}

/// What the server answered to a [`Write`].
#[derive(Debug, Clone, PartialEq)]
pub enum WriteAnswer {
    Interaction(InteractionCreated),
    Escalation(EscalationCreated),
    FeeWaiver(WaiverDecision),
    Decision(ApprovalDecision),
    /// The customer created, or the one the number was added to.
    Customer(Customer),
}

impl Write {
    /// The name of the kind, as in the serialized form.
    pub fn kind(&self) -> &'static str {
        match self {
            Write::Interaction(_) => "interaction",
            Write::Escalation(_) => "escalation",
            Write::FeeWaiver(_) => "fee_waiver",
            Write::Decision(_) => "decision",
            Write::NewCustomer(_) => "new_customer",
            Write::AddPhone(_) => "add_phone",
        }
    }

    /// What it is, for people: "Interaction log", "Fee waiver"…
    pub fn label(&self) -> &'static str {
        match self {
            Write::Interaction(_) => "Interaction log",
            Write::Escalation(_) => "Escalation",
            Write::FeeWaiver(_) => "Fee waiver",
            Write::Decision(_) => "Decision",
            Write::NewCustomer(_) => "New customer",
            Write::AddPhone(_) => "Number added",
        }
    }

    /// The customer it is about (a decision names an approval instead).
    pub fn customer_id(&self) -> Option<CustomerId> {
        match self {
            Write::Interaction(w) => Some(w.customer_id),
            Write::Escalation(w) => Some(w.customer_id),
            Write::FeeWaiver(w) => Some(w.customer_id),
            Write::Decision(_) | Write::NewCustomer(_) => None,
            Write::AddPhone(w) => Some(w.customer_id),
        }
    }

    /// The route it is posted to.
    pub fn path(&self) -> String {
        match self {
            Write::Interaction(_) => "/v1/interactions".to_string(),
            Write::Escalation(_) => "/v1/escalations".to_string(),
            Write::FeeWaiver(_) => "/v1/fee-waivers".to_string(),
            Write::Decision(d) => format!("/v1/approvals/{}/{}", d.kind.as_str(), d.id),
            Write::NewCustomer(_) => "/v1/customers".to_string(),
            Write::AddPhone(w) => format!("/v1/customers/{}/phones", w.customer_id),
        }
    }

    /// The write's content as JSON: the route's body, and for a decision
    /// also which approval it decides. The server's idempotency fingerprint
    /// covers exactly these bytes, as it did before this type existed, so
    /// keys stored then still match.
    pub fn content_json(&self) -> serde_json::Result<Vec<u8>> {
        match self {
            Write::Interaction(w) => serde_json::to_vec(w),
            Write::Escalation(w) => serde_json::to_vec(w),
            Write::FeeWaiver(w) => serde_json::to_vec(w),
            Write::Decision(d) => serde_json::to_vec(d),
            Write::NewCustomer(w) => serde_json::to_vec(w),
            Write::AddPhone(w) => serde_json::to_vec(w),
        }
    }

    /// The write's name in the audit log and in idempotency fingerprints.
    pub fn action_name(&self) -> &'static str {
        match self {
            Write::Decision(_) => "approval",
            other => other.kind(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Channel, InteractionOutcome};

    fn interaction() -> Write {
        Write::Interaction(NewInteraction {
            customer_id: CustomerId(7),
            channel: Channel::Voice,
            disposition_code: "billing.late_fee".into(),
            outcome: InteractionOutcome::Resolved,
            tags: vec![],
            notes: "told her about autopay".into(),
            suggestion_outcomes: vec![],
            follow_up_at: None,
            acting_for: None,
            tone_flagged: false,
        })
    }

    #[test]
    fn a_write_is_its_kind_and_the_routes_own_body() {
        let write = interaction();
        let json = serde_json::to_value(&write).expect("encodes");
        assert_eq!(json["kind"], "interaction");
        assert_eq!(json["body"]["customer_id"], 7);
        let back: Write = serde_json::from_value(json).expect("decodes");
        assert_eq!(back, write);
        let Write::Interaction(body) = &write else {
            unreachable!()
        };
        assert_eq!(
            write.content_json().expect("body"),
            serde_json::to_vec(body).expect("body")
        );
        assert_eq!(write.customer_id(), Some(CustomerId(7)));
        assert_eq!(write.path(), "/v1/interactions");
    }

    #[test]
    fn a_decision_posts_to_its_approval() {
        let write = Write::Decision(DecisionWrite {
            kind: ApprovalKind::FeeWaiver,
            id: 12,
            decision: NewDecision {
                decision: crate::api::Decision::Approve,
                note: "ok".into(),
            },
        });
        assert_eq!(write.path(), "/v1/approvals/fee_waiver/12");
        assert_eq!(write.customer_id(), None);
        assert_eq!(write.kind(), "decision");
    }
}
