//! The live floor on the wire: call events from the ACD, agent states, the queue
//! and agent boards, staffing, approvals, and the events of `GET /v1/events`.

use super::WaiverItem;
use crate::domain::{
    AgentId, AgentState, AgentsByState, CallAction, CallEventKind, CustomerId, FloorStaffing,
    MinuteSeries, Money, PeriodStats, Queue, Segment, SettableState, Skill, Staffing,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest call id accepted from an ACD.
pub const MAX_CALL_ID: usize = 128;

/// `POST /v1/calls`: one event of a call, from the ACD. Idempotent by
/// (`call_id`, `kind`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCallEvent {
    /// The ACD's id for the call: 1 to 128 printable ASCII characters.
    #[schema(min_length = 1, max_length = 128, pattern = "^[!-~]+$")]
    pub call_id: String,
    pub kind: CallEventKind,
    /// Queue code from the reference data, e.g. `billing`.
    pub queue: String,
    /// The caller's number (ANI) as the ACD has it, at most 64 characters
    /// and none a control character; normalised when it parses.
    #[serde(default)]
    #[schema(max_length = 64, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub caller: Option<String>,
    /// Required for `answered`; for `offered` when the ACD routes to an agent.
    #[serde(default)]
    pub agent_id: Option<AgentId>,
    /// When it happened (UTC).
    pub occurred_at: DateTime<Utc>,
    /// Which `held` or `resumed` of the call this is, from 0 (a resume has
    /// its hold's number); 0 for the kinds that happen once.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000)]
    pub seq: u32,
}

/// A call event as stored: the answer of `POST /v1/calls`, the same for a
/// duplicate (which carries the `Idempotent-Replayed` header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallEvent {
    pub call_id: String,
    pub kind: CallEventKind,
    pub queue: String,
    /// E.164 when the number parsed, else as the ACD sent it.
    pub caller: Option<String>,
    /// The customer the number belongs to, when exactly one does.
    pub customer_id: Option<CustomerId>,
    pub agent_id: Option<AgentId>,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    /// A routing hint for the ACD: the caller is, or calls for, a key
    /// account, and this is its key-account manager, to be offered the
    /// call first when free. Not stored: worked out from the caller on
    /// each post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_account_manager: Option<AgentId>,
    /// Which `held` or `resumed` of the call this is (0 for other kinds).
    #[serde(default)]
    pub seq: u32,
}

/// `PUT /v1/agents/me/state`: the desk sets available or not ready.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgentState {
    /// `available` or `not_ready`; the others are set by calls.
    pub state: SettableState,
    /// Required with `not_ready`: a code from `not_ready_reasons`.
    #[serde(default)]
    pub reason: Option<String>,
}

/// One agent on the board, and the payload of the `agent_state` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgentStatus {
    pub agent_id: AgentId,
    pub name: String,
    /// Played by the call simulator.
    pub simulated: bool,
    pub state: AgentState,
    /// The not-ready reason code.
    pub reason: Option<String>,
    /// When the agent entered the state; `None` while offline.
    pub since: Option<DateTime<Utc>>,
    pub time_in_state_s: Option<f64>,
    /// The queue of the current (or just finished) call.
    pub queue: Option<String>,
    pub call_id: Option<String>,
    /// The caller, when the number matched one customer.
    pub customer_id: Option<CustomerId>,
    /// That customer's name (absent for calls from before a server restart).
    #[serde(default)]
    pub customer_name: Option<String>,
    /// Not ready asked for during a contact: taken when the wrap-up ends.
    #[serde(default)]
    pub after_call: Option<NewAgentState>,
    /// The queues they serve, highest proficiency first (empty: every queue).
    #[serde(default)]
    pub skills: Vec<Skill>,
    /// Since when their caller has been on hold, while they are.
    #[serde(default)]
    pub on_hold_since: Option<DateTime<Utc>>,
}

/// `GET /v1/agents/board`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgentBoard {
    pub generated_at: DateTime<Utc>,
    /// Wrap-up ends by itself after this many seconds.
    pub wrap_up_limit_s: u32,
    pub agents: Vec<AgentStatus>,
}

/// One queue's live figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QueueStats {
    pub queue: Queue,
    /// Calls waiting now.
    pub waiting: u32,
    /// Of those, calls from a key account (its contacts, or itself).
    #[serde(default)]
    pub key_account_waiting: u32,
    /// The longest current wait, seconds.
    pub longest_wait_s: Option<f64>,
    /// Calls offered in the last 30 minutes.
    pub last_30_min: PeriodStats,
    /// Calls offered since midnight UTC.
    pub today: PeriodStats,
    /// The last 30 minutes, one entry a minute, the current minute last.
    pub per_minute: MinuteSeries,
    /// Erlang C (and Erlang A once callers' patience is known) for the next
    /// 30 minutes at the last 30 minutes' arrival rate and today's AHT, for
    /// the agents taking calls who serve this queue (see
    /// `Staffing.agents_serving`).
    pub staffing: Staffing,
}

/// `GET /v1/queues`, and the payload of the `queue_stats` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QueueBoard {
    pub generated_at: DateTime<Utc>,
    /// Agents in each state across the floor.
    pub agents: AgentsByState,
    /// What the queues need together against the agents on shift.
    #[serde(default)]
    pub floor: FloorStaffing,
    pub queues: Vec<QueueStats>,
}

/// Query of `GET /v1/queues/{id}/staffing`; a missing value comes from the
/// queue's live figures and target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StaffingQuery {
    /// Calls expected per interval (0 to 1,000,000).
    #[param(minimum = 0, maximum = 1_000_000)]
    pub calls_per_interval: Option<f64>,
    /// Interval length, 60 to 86,400 seconds (default 1800).
    #[param(minimum = 60, maximum = 86_400)]
    pub interval_s: Option<u32>,
    /// Average handle time, 1 to 86,400 seconds.
    #[param(minimum = 1, maximum = 86_400)]
    pub aht_s: Option<f64>,
    /// Target share answered in time, percent (1 to 99.9).
    #[param(minimum = 1, maximum = 99.9)]
    pub target_pct: Option<f64>,
    /// Target answer time, 1 to 3,600 seconds.
    #[param(minimum = 1, maximum = 3_600)]
    pub target_s: Option<u32>,
    /// Agents to predict for (default: those serving the queue now), 0 to 10,000.
    #[param(minimum = 0, maximum = 10_000)]
    pub agents: Option<u32>,
    /// Callers' mean patience for Erlang A, 1 to 86,400 seconds (default:
    /// estimated from today's abandoned calls; without either, Erlang C only).
    #[param(minimum = 1, maximum = 86_400)]
    pub patience_s: Option<f64>,
}

crate::domain::labelled_enum!(
    /// What a supervisor is asked to approve.
    ApprovalKind {
        FeeWaiver => "fee_waiver", "Fee waiver",
        Escalation => "escalation", "Escalation",
    }
);

crate::domain::labelled_enum!(
    /// A supervisor's answer.
    Decision {
        Approve => "approve", "Approve",
        Deny => "deny", "Deny",
    }
);

/// Something waiting for a supervisor, and the payload of `approval_requested`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Approval {
    pub kind: ApprovalKind,
    /// The escalation's id, or the waiver request's (its first waiver's):
    /// the fees of one request are approved or denied together.
    pub id: i64,
    pub customer_id: CustomerId,
    pub customer_name: String,
    /// Who asked.
    pub agent_id: AgentId,
    pub agent_name: String,
    /// The amount to waive in all (waivers only).
    pub amount: Option<Money>,
    /// Each fee of a waiver request and the amount asked for it (empty for
    /// an escalation).
    pub fees: Vec<WaiverItem>,
    /// Waiver or escalation reason code.
    pub reason_code: String,
    /// The waiver's note or the escalation's summary.
    pub note: String,
    pub requested_at: DateTime<Utc>,
    /// Who the customer is, for weighing the decision.
    pub context: ApprovalContext,
}

/// The customer behind an approval, in the figures a supervisor weighs: worth,
/// loyalty, risk of leaving, and how often fees were waived before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApprovalContext {
    pub segment: Segment,
    pub lifetime_value: Money,
    pub customer_since: NaiveDate,
    /// Probability (0–1) that the customer leaves in the next months.
    pub churn_risk: f64,
    /// Fee waivers applied for this customer since a year before the request.
    pub waivers_last_year: u32,
}

/// `GET /v1/approvals`: oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Approvals {
    pub approvals: Vec<Approval>,
}

/// `POST /v1/approvals/{kind}/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    pub decision: Decision,
    /// Why; shown to the agent who asked. Up to 20,000 characters.
    #[serde(default)]
    pub note: String,
}

/// A decision taken: the answer of `POST /v1/approvals/{kind}/{id}` and the
/// payload of `approval_decided`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApprovalDecision {
    pub kind: ApprovalKind,
    pub id: i64,
    pub decision: Decision,
    pub note: String,
    pub customer_id: CustomerId,
    /// The agent who asked.
    pub requested_by: AgentId,
    pub decided_by: AgentId,
    pub decided_at: DateTime<Utc>,
    /// A sentence for the agent, e.g. "Fee waiver of $75.00 for Dana Ito
    /// approved by Sam Supervisor.".
    pub message: String,
}

/// A call offered to an agent: the screen pop. Sent to that agent only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContactOffered {
    pub call_id: String,
    pub queue: String,
    pub caller: Option<String>,
    pub customer_id: Option<CustomerId>,
    pub offered_at: DateTime<Utc>,
    /// The call was handed on by another agent: who, from where, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<TransferContext>,
}

/// `POST /v1/calls/{call_id}/transfer`: hand the caller to an agent or a
/// queue. Exactly one of `to_agent_id` and `to_queue`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTransfer {
    #[serde(default)]
    pub to_agent_id: Option<AgentId>,
    /// Queue code from the reference data.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 64)]
    pub to_queue: Option<String>,
    /// Warm: the transferring agent stays on the call until the receiving
    /// one answers. Cold (false): the ACD takes the call off them at once.
    #[serde(default)]
    pub warm: bool,
    /// Why, for the receiving agent: 1 to 500 characters, not only spaces.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    )]
    pub note: String,
    /// The transferring agent's unsent notes on the contact, passed on so the
    /// customer need not repeat themselves (at most 4,000 characters).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub notes: String,
}

/// What the receiving desk is told of a transferred call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TransferContext {
    pub from_agent_id: AgentId,
    pub from_agent_name: String,
    pub from_queue: String,
    pub to_queue: String,
    pub warm: bool,
    pub note: String,
    pub notes: String,
}

/// What a desk asked the ACD to do with a call: the answer of the call
/// control operations and the payload of the `call_command` event, which
/// goes to `system` tokens (the ACD). The ACD confirms with call events:
/// `held` and `resumed` (numbered by `seq`), `ended` for a hang-up, and for
/// a transfer `ended` on this call (a warm one only once the receiving agent
/// answers) and `offered` (to `to_agent_id` when given) and `answered` on
/// `transfer.new_call_id` in `transfer.to_queue`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallCommand {
    pub id: i64,
    pub call_id: String,
    pub action: CallAction,
    /// The agent on the call.
    pub agent_id: AgentId,
    /// Who asked (the agent, or a supervisor).
    pub requested_by: AgentId,
    /// For `hold` and `resume`: the `seq` to confirm with.
    #[serde(default)]
    pub seq: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<TransferOrder>,
    pub issued_at: DateTime<Utc>,
}

/// Where a transferred call goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TransferOrder {
    /// The id of the call's new leg, for its events.
    pub new_call_id: String,
    /// The agent it goes to, if one was named.
    pub to_agent_id: Option<AgentId>,
    pub to_queue: String,
    pub warm: bool,
}

/// Sent when the asked `Last-Event-ID` is no longer (or not yet) held: the
/// client should refetch the boards and approvals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Resync {
    pub reason: String,
}

/// An event of `GET /v1/events`: the SSE `event:` field is the variant's name
/// (`contact_offered`, `call_command`, `queue_stats`, `agent_state`,
/// `approval_requested`, `approval_decided`, `resync`) and `data:` is its
/// payload as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum FloorEvent {
    ContactOffered(ContactOffered),
    CallCommand(CallCommand),
    QueueStats(QueueBoard),
    AgentState(AgentStatus),
    ApprovalRequested(Approval),
    ApprovalDecided(ApprovalDecision),
    Resync(Resync),
}

impl FloorEvent {
    /// The SSE event name and the JSON data.
    pub fn to_sse(&self) -> (String, String) {
        let value = serde_json::to_value(self).unwrap_or_default();
        let name = value["event"].as_str().unwrap_or("message").to_string();
        (name, value["data"].to_string())
    }

    /// Reads an event from its SSE name and data.
    pub fn from_sse(name: &str, data: &str) -> Result<FloorEvent, serde_json::Error> {
        use serde::de::Error;
        use serde_json::from_str;
        Ok(match name {
            "contact_offered" => FloorEvent::ContactOffered(from_str(data)?),
            "call_command" => FloorEvent::CallCommand(from_str(data)?),
            "queue_stats" => FloorEvent::QueueStats(from_str(data)?),
            "agent_state" => FloorEvent::AgentState(from_str(data)?),
            "approval_requested" => FloorEvent::ApprovalRequested(from_str(data)?),
            "approval_decided" => FloorEvent::ApprovalDecided(from_str(data)?),
            "resync" => FloorEvent::Resync(from_str(data)?),
            other => {
                return Err(serde_json::Error::custom(format!(
                    "unknown event `{other}`"
                )))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_their_sse_form() {
        let event = FloorEvent::Resync(Resync {
            reason: "gone".into(),
        });
        let (name, data) = event.to_sse();
        assert_eq!(name, "resync");
        assert_eq!(data, r#"{"reason":"gone"}"#);
        assert_eq!(FloorEvent::from_sse(&name, &data).expect("parse"), event);
        assert!(FloorEvent::from_sse("nonsense", "{}").is_err());
    }
}
