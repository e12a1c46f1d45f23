//! What can happen to the desk (`Action`, the input of `update`) and what the
//! desk asks the outside world to do (`Effect`, run by `effects.rs`, whose
//! results come back as actions).

use crate::api::Write;
use crate::api::{
    AgentBoard, AgentStatus, Approval, ApprovalDecision, ApprovalKind, CustomerSummary, FloorEvent,
    Funnel, Models, NewAgentState, NewDecision, QueueBoard, SearchHit, Suggestions,
    SuggestionsQuery, TimelinePage, TimelineQuery,
};
use crate::domain::{Agent, Customer, CustomerId, Organisation, RefData, Segment};
use crate::tui::forms::draft::Draft;
use crate::tui::offline::model::OutboxView;
use crate::tui::session::model::Connection;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

/// Why a request failed, in words for the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The server could not be reached.
    Unreachable(String),
    /// The server refused the token (401).
    Unauthenticated(String),
    /// The server is busy, failed, or answered oddly (409, 5xx): the same
    /// request may be sent again with the same idempotency key.
    Retry(String),
    /// The server answered with another error.
    Refused(String),
}

impl Failure {
    /// What went wrong, for the agent.
    pub fn text(&self) -> &str {
        match self {
            Failure::Unreachable(m)
            | Failure::Unauthenticated(m)
            | Failure::Retry(m)
            | Failure::Refused(m) => m,
        }
    }

    /// A word for logs, which must not carry the message's data.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Unreachable(_) => "unreachable",
            Failure::Unauthenticated(_) => "unauthenticated",
            Failure::Retry(_) => "retry",
            Failure::Refused(_) => "refused",
        }
    }
}

pub type Reply<T> = Result<T, Failure>;

#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    /// Bracketed paste: inserted as text, never read as key bindings.
    Paste(String),
    Resize(u16, u16),
    /// The clock, once a second.
    Tick(DateTime<Utc>),
    SignedIn(Reply<Agent>),
    /// The server cannot be reached, but this desk has seen the token signed
    /// in: it starts offline as that agent. `reason` says why it is offline.
    StartedOffline {
        agent: Agent,
        reason: String,
    },
    SearchResults {
        request: u64,
        reply: Reply<Vec<SearchHit>>,
    },
    PopResults {
        request: u64,
        query: String,
        reply: Reply<Vec<CustomerSummary>>,
    },
    /// `cached_at` is set when the profile came from the local cache (the
    /// server's copy may follow under the same request).
    CustomerLoaded {
        request: u64,
        id: CustomerId,
        reply: Reply<Customer>,
        cached_at: Option<DateTime<Utc>>,
    },
    TimelineLoaded {
        request: u64,
        id: CustomerId,
        append: bool,
        reply: Reply<TimelinePage>,
    },
    SuggestionsLoaded {
        request: u64,
        id: CustomerId,
        reply: Reply<Suggestions>,
    },
    /// The account of the organisation open customer `id` is or calls for.
    OrganisationLoaded {
        request: u64,
        id: CustomerId,
        reply: Reply<Organisation>,
    },
    /// The local cache is open (with what the last session left), or the desk
    /// runs without one (the sentence says why).
    LocalOpened(Result<LocalReady, String>),
    /// A confirmed write is durable in the outbox; `waiting` writes are queued.
    Saved {
        key: String,
        waiting: usize,
    },
    /// What waits in the outbox and what needs the agent.
    Outbox(OutboxView),
    /// An event from the floor's event stream (sanitised).
    Floor(FloorEvent),
    /// The event stream dropped; it reconnects by itself.
    FloorStreamDown,
    /// The event stream (re)connected to this server (of several replicas,
    /// the one in use now).
    ServerInUse(String),
    /// The answer to a state change.
    StateSet(Reply<AgentStatus>),
    /// A new customer or number was written (or refused).
    CustomerWritten(Reply<crate::domain::Customer>),
    /// A call command was sent to the ACD (or refused).
    CallCommanded(Reply<crate::api::CallCommand>),
    QueuesLoaded(Reply<QueueBoard>),
    AgentBoardLoaded(Reply<AgentBoard>),
    ApprovalsLoaded(Reply<Vec<Approval>>),
    /// The decision funnel over the last 30 days, for `segment` (`None`: all).
    FunnelLoaded {
        segment: Option<Segment>,
        reply: Reply<Funnel>,
    },
    /// What the decision models learned, per action.
    ModelsLoaded(Reply<Models>),
    /// The answer to a supervisor's decision, by its idempotency key.
    Decided {
        key: String,
        reply: Reply<ApprovalDecision>,
    },
    /// The outbox sync's view of the link; `retry_at` when it will try again.
    Link {
        connection: Connection,
        retry_at: Option<DateTime<Utc>>,
    },
    RefDataLoaded(Reply<RefData>),
    /// The answer to a form's submission, by its idempotency key.
    Submitted {
        key: String,
        reply: Reply<Outcome>,
    },
}

/// What the last session left in the local cache.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalReady {
    /// Something to tell the agent about opening it (rebuilt, moved aside).
    pub message: Option<String>,
    pub drafts: Vec<Draft>,
    /// The customers the cache holds, for the local search index.
    pub known: Vec<CustomerSummary>,
}

/// What the server did with a submission, in words for the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub message: String,
    /// Stored, but waiting for a supervisor.
    pub pending: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    SignIn {
        server: String,
        token: Secret,
    },
    Search {
        request: u64,
        query: String,
    },
    Lookup {
        request: u64,
        query: String,
    },
    LoadCustomer {
        request: u64,
        id: CustomerId,
    },
    LoadTimeline {
        request: u64,
        id: CustomerId,
        /// Read this organisation's whole account instead of `id`'s own events.
        account: Option<CustomerId>,
        query: TimelineQuery,
        append: bool,
    },
    LoadSuggestions {
        request: u64,
        id: CustomerId,
        query: SuggestionsQuery,
    },
    /// The account of `organisation`, for open customer `id`.
    LoadOrganisation {
        request: u64,
        id: CustomerId,
        organisation: CustomerId,
    },
    LoadRefData,
    /// Sends a form's request under its idempotency key: through the outbox
    /// when there is a local cache (removing the form's draft `draft_key` in
    /// the same step), else straight to the server.
    Submit {
        key: String,
        request: Write,
        draft_key: Option<String>,
    },
    /// Opens the local cache of the signed-in agent.
    OpenLocal {
        agent: String,
    },
    /// Saves and removes drafts in the local cache.
    SaveDrafts {
        save: Vec<(String, serde_json::Value)>,
        remove: Vec<String>,
    },
    /// Sends the refused write held under `key` again under `new_key` (the
    /// agent changed what made it fail, e.g. a supervisor raised the limit).
    Resend {
        key: String,
        new_key: String,
    },
    /// Drops a refused write (by its idempotency key) that the agent has dealt
    /// with another way.
    Dismiss {
        key: String,
    },
    /// Tries the server again now instead of waiting for the backoff.
    RetryNow,
    /// Follows the floor's event stream (reconnecting with Last-Event-ID).
    Subscribe,
    /// Sets the agent's state (available or not ready).
    SetState(NewAgentState),
    /// Asks the ACD to hold, resume or hang up the agent's call.
    ControlCall {
        call_id: String,
        action: crate::domain::CallAction,
    },
    /// Writes a new customer or number for an unknown caller, at once.
    WriteCustomer {
        key: String,
        write: crate::api::Write,
    },
    /// Asks the ACD to hand the caller on.
    TransferCall {
        call_id: String,
        body: crate::api::NewTransfer,
    },
    LoadQueues,
    LoadAgentBoard,
    LoadApprovals,
    /// The decision funnel of the last 30 days, for one segment or all.
    LoadFunnel {
        segment: Option<Segment>,
    },
    /// What the decision models learned (asked for with each funnel).
    LoadModels,
    /// A supervisor's decision on an approval, under its idempotency key.
    Decide {
        key: String,
        kind: ApprovalKind,
        id: i64,
        body: NewDecision,
    },
}

/// A token in transit: its `Debug` never shows it, so an effect can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}
