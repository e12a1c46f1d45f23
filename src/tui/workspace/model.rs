//! The open customer as the desk holds it, and the selectors views read.

use crate::api::{NotShown, TimelineQuery};
use crate::domain::{
    ActionCode, Affiliation, Channel, Customer, CustomerId, DecisionId, EventKind, Organisation,
    Suggestion, TimelineEvent,
};
use crate::tui::forms::model::FormKind;
use crate::tui::forms::verdicts::Acted;
use crate::tui::fuzzy;
use crate::tui::input::TextInput;
use chrono::{DateTime, Utc};

/// Timeline events per page.
pub const TIMELINE_PAGE: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Timeline,
    Suggestions,
}

/// The open customer: profile, timeline pages, suggestions and how the agent
/// is looking at them.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerView {
    pub id: CustomerId,
    /// Requests for this customer's profile and suggestions; a reply for
    /// another id or an older request is stale.
    pub request: u64,
    /// The same for timeline pages, which filters reload on their own.
    pub timeline_request: u64,
    pub profile: Option<Customer>,
    /// When the profile on screen was stored in the local cache; `None` once
    /// the server's copy arrived.
    pub cached_at: Option<DateTime<Utc>>,
    pub events: Vec<TimelineEvent>,
    pub next_before: Option<String>,
    pub loading_more: bool,
    pub timeline_loaded: bool,
    /// The latest contact, for the "last time" line (from the unfiltered first page).
    pub last_contact: Option<TimelineEvent>,
    pub suggestions: Option<Vec<Suggestion>>,
    /// The decision the suggestions came from; the wrap-up's outcomes name it.
    pub decision: Option<DecisionId>,
    /// What the decision did not show, and why (the "why not?" list).
    pub not_shown: Vec<NotShown>,
    /// Index into the visible (filtered) events.
    pub selected: usize,
    /// First visible row of the timeline.
    pub offset: usize,
    pub channel: Option<Channel>,
    pub kind: Option<EventKind>,
    pub text_filter: TextInput,
    pub editing_filter: bool,
    pub expanded: bool,
    pub focus: Focus,
    pub selected_suggestion: usize,
    /// Set when the customer was popped for a contact, e.g. "popped for +1415…".
    pub context: Option<String>,
    /// The form open over this customer; its content lives in `AppState::drafts`.
    pub form: Option<FormKind>,
    /// Suggestions the agent acted on, each with the decision that showed
    /// it: the wrap-up answers that decision, accepted. Reloading this
    /// customer (after a write) keeps them; opening a customer starts afresh.
    pub acted: Vec<Acted>,
    /// The organisation whose whole account the timeline shows (every
    /// contact's events for it); `None`: this customer's own events.
    pub account: Option<CustomerId>,
    /// The account of the organisation this customer is, or calls for:
    /// what the account overlay shows.
    pub organisation: Option<Organisation>,
    /// The organisation a business caller said they are calling for (the
    /// chooser's pick); `None`: the one they called for last.
    pub acting_for: Option<CustomerId>,
}

impl CustomerView {
    pub fn new(id: CustomerId, request: u64) -> CustomerView {
        CustomerView {
            id,
            request,
            timeline_request: request,
            profile: None,
            cached_at: None,
            events: Vec::new(),
            next_before: None,
            loading_more: false,
            timeline_loaded: false,
            last_contact: None,
            suggestions: None,
            decision: None,
            not_shown: Vec::new(),
            selected: 0,
            offset: 0,
            channel: None,
            kind: None,
            text_filter: TextInput::default(),
            editing_filter: false,
            expanded: false,
            focus: Focus::Timeline,
            selected_suggestion: 0,
            context: None,
            form: None,
            acted: Vec::new(),
            account: None,
            organisation: None,
            acting_for: None,
        }
    }

    /// The organisation this business contact is calling for: the one the
    /// agent chose, else the one they called for last.
    pub fn affiliation(&self) -> Option<&Affiliation> {
        self.profile.as_ref()?.affiliation(self.acting_for)
    }

    /// The organisation whose account this customer's screen is about: the
    /// customer itself when it is one, else the one they are calling for.
    pub fn account_id(&self) -> Option<CustomerId> {
        self.profile.as_ref()?.account_id(self.acting_for)
    }

    /// Whether the agent acted on `action` during this contact (under any
    /// decision).
    pub fn acted_on(&self, action: &ActionCode) -> bool {
        self.acted.iter().any(|a| a.action == *action)
    }
}

/// Indices into `view.events` that the filters let through, in order.
pub fn visible_events(view: &CustomerView) -> Vec<usize> {
    fuzzy::filter_events(&view.events, &view.text_filter.text)
}

pub fn timeline_query(view: &CustomerView, before: Option<String>) -> TimelineQuery {
    TimelineQuery {
        before,
        limit: Some(TIMELINE_PAGE),
        channel: view.channel,
        kind: view.kind,
    }
}
