//! Plain types shared by the desk and the server: ids, money, customers, the
//! timeline, suggestions, the records agents write, reference data and the live
//! floor (calls, agent states, queue statistics).
//! `organisation` holds business customers: accounts, their contacts' roles,
//! invoices, orders and rebates.
//! `authority` is the pure rule of what an agent may waive; `romanize` spells
//! any text in ASCII (pinyin for Chinese).
//! Nothing in here does I/O.

mod agent;
pub mod authority;
mod customer;
mod floor;
mod ids;
mod money;
mod organisation;
pub mod phone;
mod records;
mod refdata;
pub mod romanize;
mod suggestion;
pub mod text;
mod timeline;
pub(crate) use timeline::labelled_enum;
pub mod untrusted;

pub use agent::{parse_skills, proficiency_for, skills_text, Agent, Role, Skill, MAX_PROFICIENCY};
pub use customer::{Customer, Fee, FeeKind, Segment};
pub use floor::{
    AgentState, AgentsByState, CallAction, CallEventKind, ErlangA, FloorStaffing, MinuteSeries,
    PeriodStats, SettableState, Staffing,
};
pub use ids::{
    AgentId, CustomerId, DecisionId, EscalationId, EventId, FeeId, InteractionId, WaiverId,
};
pub use money::{Currency, Money, MoneyParseError};
pub use organisation::{
    AccountManager, Affiliation, ContactRole, Invoice, Order, OrderStatus, Organisation,
    OrganisationContact, PartyKind, Rebate, Tier,
};
pub use records::{
    Escalation, EscalationStatus, FeeWaiver, Interaction, InteractionOutcome, Priority,
    SuggestionOutcome, SuggestionVerdict, WaiverStatus,
};
pub use refdata::{Code, DispositionCode, EscalationTarget, Queue, RefData, TargetKind};
pub use suggestion::{ActionCode, ActionKind, Opens, Suggestion};
pub use timeline::{Channel, EventKind, TimelineEvent};
