//! Request and response bodies of `/v1`. The OpenAPI document is generated from
//! these same types, so the contract cannot drift from the code.

use crate::domain::{
    Agent, AgentId, Channel, CustomerId, Escalation, EventKind, FeeId, FeeWaiver, Interaction,
    InteractionOutcome, Money, Priority, Segment, SuggestionOutcome, TimelineEvent, WaiverStatus,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /healthz`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database: String,
}

/// `GET /readyz`: ready to serve desks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ready {
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// This server's name among the replicas (`single` on SQLite).
    pub replica: String,
    /// Whether this server does the once-per-floor work now.
    pub leader: bool,
}

/// What `PUT /v1/customers/{source}/{source_id}` did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Imported {
    pub customer_id: CustomerId,
    pub result: ImportResult,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportResult {
    Created,
    Updated,
    /// The same record was imported before.
    Unchanged,
}

/// `PUT /v1/customers/{source}/{source_id}`: a customer in the import's
/// customer layout (README), as a source system has them. An empty text
/// is taken as absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportCustomer {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]+$"
    )]
    pub name: String,
    /// Absent: `SOURCE-source_id` stands for it.
    #[serde(default)]
    #[schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub account_number: Option<String>,
    /// Normalised as lookup normalises; a number other customers have too
    /// stays theirs as well (households).
    #[serde(default)]
    #[schema(max_items = 10)]
    pub phones: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 10)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub segment: Option<crate::domain::Segment>,
    #[serde(default)]
    pub lifetime_value_minor: Option<i64>,
    #[serde(default)]
    pub balance_minor: Option<i64>,
    /// ISO 4217, default USD.
    #[serde(default)]
    #[schema(pattern = "^([A-Z]{3})?$")]
    pub currency: Option<String>,
    #[serde(default)]
    pub customer_since: Option<chrono::NaiveDate>,
    #[serde(default)]
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub churn_risk: Option<f64>,
    #[serde(default)]
    #[schema(pattern = "^([A-Za-z]{2,3}(-[A-Za-z]{2})?)?$")]
    pub language: Option<String>,
    /// An IANA time zone, default UTC.
    #[serde(default)]
    #[schema(max_length = 64, pattern = r"^[A-Za-z0-9_+/-]*$")]
    pub time_zone: Option<String>,
    /// The channels the customer agreed to be offered things on.
    #[serde(default)]
    pub marketing_channels: Vec<crate::domain::Channel>,
}

/// A timeline event in the import's event layout. Each is checked as a
/// file's row is (ids and short texts at most 200 characters, `summary`
/// and `detail` at most 4,000, no control characters but line breaks and
/// tabs, a known currency); one that fails is listed in the answer's
/// `rejected`, and the rest of the batch is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportEvent {
    /// Its id in the source system.
    pub source_id: String,
    /// The source's id of its customer.
    pub customer_id: String,
    pub at: DateTime<Utc>,
    pub channel: crate::domain::Channel,
    pub kind: crate::domain::EventKind,
    pub summary: String,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub agent: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub amount_minor: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
}

/// `POST /v1/events:batch`: timeline events from one source system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    /// The source system's name (1 to 40 letters, digits, `-`, `_`).
    #[schema(min_length = 1, max_length = 40, pattern = "^[A-Za-z0-9_-]{1,40}$")]
    pub source: String,
    #[schema(min_items = 1, max_items = 1000)]
    pub events: Vec<ImportEvent>,
}

/// What a batch did; rejected events name their place in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventBatchResult {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<RejectedEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RejectedEvent {
    /// Its index in `events`.
    pub index: usize,
    pub field: Option<String>,
    pub message: String,
}

/// The short form of a customer used in search results and lookups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomerSummary {
    pub id: CustomerId,
    pub name: String,
    pub account_number: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub segment: Segment,
}

impl From<&crate::domain::Customer> for CustomerSummary {
    fn from(c: &crate::domain::Customer) -> CustomerSummary {
        CustomerSummary {
            id: c.id,
            name: c.name.clone(),
            account_number: c.account_number.clone(),
            phones: c.phones.clone(),
            emails: c.emails.clone(),
            segment: c.segment,
        }
    }
}

/// `GET /v1/customers/lookup`: every customer the identity resolves to.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LookupResult {
    /// The normalised form that was looked up, e.g. `+14155550134`.
    pub normalized: String,
    pub matches: Vec<CustomerSummary>,
}

/// Which part of the customer a search hit matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchedOn {
    Phone,
    Email,
    Account,
    Name,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub customer: CustomerSummary,
    pub matched_on: MatchedOn,
    /// An exact phone, e-mail or account match; these rank first.
    pub exact: bool,
}

/// `GET /v1/customers/search`: hits, best first.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
}

/// One page of a customer's timeline, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimelinePage {
    pub events: Vec<TimelineEvent>,
    /// Pass as `before` to get the next (older) page; absent on the last page.
    pub next_before: Option<String>,
}

/// `POST /v1/customers`: a caller the server did not know. With a name, a
/// new customer; without one, a record of the number alone ("Caller
/// +1…"), so a contact can be logged against it and found by it later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomerRecord {
    /// 1 to 100 characters, none a control character, not only spaces;
    /// absent for a record of the number alone.
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: Option<String>,
    /// The caller's number (the call's, pre-filled): at most 64 characters,
    /// none a control character, and it must be dialable.
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub phone: String,
    #[serde(default)]
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// A language code such as `en` or `pt-BR` (default `en`).
    #[serde(default)]
    #[schema(pattern = "^[a-z]{2,3}(-[A-Z]{2})?$")]
    pub language: Option<String>,
    /// An IANA time zone such as `Europe/London` (default `UTC`).
    #[serde(default)]
    #[schema(max_length = 64)]
    pub time_zone: Option<String>,
}

/// `POST /v1/customers/{id}/phones`: a number added to a known customer
/// (a caller who rang from a number the server did not know). A number
/// other customers have too stays theirs as well: households share them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPhone {
    /// At most 64 characters, none a control character; it must be dialable.
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub phone: String,
}

/// The write of [`NewPhone`]: whose number it becomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhoneWrite {
    pub customer_id: CustomerId,
    pub phone: NewPhone,
}

/// `POST /v1/interactions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInteraction {
    pub customer_id: CustomerId,
    pub channel: Channel,
    pub disposition_code: String,
    pub outcome: InteractionOutcome,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub suggestion_outcomes: Vec<SuggestionOutcome>,
    #[serde(default)]
    pub follow_up_at: Option<DateTime<Utc>>,
    /// The organisation a business contact called for, when they act for
    /// one or more: the contact is logged against its account, and the
    /// chooser offers it first next time. Refused when the customer holds
    /// no role there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acting_for: Option<CustomerId>,
    /// The agent flagged the caller's tone (curt, unhappy): on a business
    /// account it counts as a signal of dissatisfaction nobody said aloud.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tone_flagged: bool,
}

impl NewInteraction {
    /// A voice contact resolved with `disposition_code`, answering
    /// suggestions with `outcomes` (what the simulators and benches log).
    pub fn resolved(
        customer_id: CustomerId,
        disposition_code: &str,
        outcomes: Vec<SuggestionOutcome>,
    ) -> NewInteraction {
        NewInteraction {
            customer_id,
            channel: Channel::Voice,
            disposition_code: disposition_code.to_string(),
            outcome: InteractionOutcome::Resolved,
            tags: vec![],
            notes: String::new(),
            suggestion_outcomes: outcomes,
            follow_up_at: None,
            acting_for: None,
            tone_flagged: false,
        }
    }
}

/// `POST /v1/escalations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEscalation {
    pub customer_id: CustomerId,
    /// The channel of the contact being escalated (default `voice`).
    #[serde(default = "default_channel")]
    pub channel: Channel,
    pub target_code: String,
    pub priority: Priority,
    pub reason_code: String,
    pub summary: String,
}

fn default_channel() -> Channel {
    Channel::Voice
}

/// One fee to waive and how much of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiverItem {
    pub fee_id: FeeId,
    pub amount: Money,
}

/// `POST /v1/fee-waivers`: one decision covering one or more fees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFeeWaiver {
    pub customer_id: CustomerId,
    pub fees: Vec<WaiverItem>,
    pub reason_code: String,
    #[serde(default)]
    pub note: String,
}

/// The result of a waiver request: applied, or stored for a supervisor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WaiverDecision {
    pub status: WaiverStatus,
    /// Plain words for the agent, e.g. "Above your limit of $50.00: sent for approval".
    pub message: String,
    pub waivers: Vec<FeeWaiver>,
    /// The agent's limit per decision, for the form to show.
    pub waiver_limit: Money,
}

/// The stored result of `POST /v1/interactions`.
pub type InteractionCreated = Interaction;
/// The stored result of `POST /v1/escalations`.
pub type EscalationCreated = Escalation;

/// One line of the audit log: who did what, when, and how it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub agent_id: AgentId,
    /// `interaction`, `escalation`, `fee_waiver`, `approval`, `agent.*`; for
    /// views `view.profile`, `view.timeline`, `view.account` or
    /// `view.account_timeline`.
    pub action: String,
    pub customer_id: CustomerId,
    /// `recorded`, `applied`, `pending_approval` or `refused`.
    pub outcome: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
}

/// `GET /v1/me`.
pub type Me = Agent;

/// Query of `GET /v1/customers/{id}/timeline`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// The cursor from the previous page's `next_before`.
    #[param(pattern = r"^[0-9]{1,18}\.[0-9]{1,18}$")]
    pub before: Option<String>,
    /// Events per page, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub channel: Option<Channel>,
    pub kind: Option<EventKind>,
}

/// Query of `GET /v1/customers/lookup`: exactly one of the three.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupQuery {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub account: Option<String>,
}

/// The lookup's query is documented as one exploded object parameter that is
/// exactly one of `{phone}`, `{email}` or `{account}`, so the contract states
/// the rule that three optional parameters could not.
impl utoipa::IntoParams for LookupQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn, ParameterStyle};
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Type};
        use utoipa::openapi::Required;
        let only = |name: &str, what: &str| {
            let text = ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(200))
                .pattern(Some(r"^[^\u0000]*$"))
                .description(Some(what));
            ObjectBuilder::new()
                .property(name, text)
                .required(name)
                .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        };
        let one_of = OneOfBuilder::new()
            .item(only(
                "phone",
                "Any written form of a number: `+1 (415) 555-0134`, `415.555.0134`, `0014155550134`; 422 when it cannot be dialled",
            ))
            .item(only("email", "Case and spaces are ignored; 422 when it has no `@`"))
            .item(only("account", "Spaces and dashes are ignored"));
        vec![ParameterBuilder::new()
            .name("identity")
            .parameter_in(ParameterIn::Query)
            .required(Required::True)
            .style(Some(ParameterStyle::Form))
            .explode(Some(true))
            .description(Some("Exactly one of `phone`, `email` or `account`"))
            .schema(Some(one_of))
            .build()]
    }
}

/// Query of `GET /v1/customers/search`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A name, phone number, e-mail or account number: 1–200 characters, not
    /// only spaces.
    #[param(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    )]
    pub q: String,
    /// 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// Query of `GET /v1/audit` (supervisors only).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    #[param(value_type = Option<i64>, minimum = 1)]
    pub customer_id: Option<CustomerId>,
    /// 1–500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `write` (default): what was done; `view`: who read a customer's
    /// profile, timeline or account (`view.profile` and so on), kept within
    /// a second or so of the read.
    #[param(inline)]
    pub kind: Option<AuditKind>,
}

/// Which audit `GET /v1/audit` reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    #[default]
    Write,
    View,
}
