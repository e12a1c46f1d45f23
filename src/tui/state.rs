//! The desk's state: plain data, changed only by `update`. Views read it; the
//! loop and the effect runner never touch it directly.

use super::action::OutboxView;
use super::boards::{BoardKind, Boards, DecisionPrompt};
use super::floor::MyFloor;
use super::forms::choice::Choice;
use super::forms::draft::Draft;
use super::forms::{Form, FormKind};
use super::fuzzy::{LocalHit, LocalIndex, Narrowing};
use super::glyphs::Glyphs;
use super::keymap::{KeyChord, Keymap, Mode};
use crate::api::{CustomerSummary, MatchedOn};
use crate::domain::{
    Agent, Channel, Customer, CustomerId, EventKind, RefData, SuggestedAction, Suggestion,
    TimelineEvent,
};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// How many customers the home screen lists as recent.
pub const RECENT_LIMIT: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// Signing in or not yet tried.
    Connecting,
    Online,
    /// The server answers, but slowly or with errors; the text says how.
    Degraded(String),
    /// The last request could not reach the server; the text says why.
    Offline(String),
}

/// Whether this desk keeps a local cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalCache {
    /// Not opened yet (before sign-in).
    Opening,
    Ready,
    /// Running without one; the sentence says why.
    Without(String),
}

/// The zone the agent reads times in: the machine's, or a named one (tests,
/// or an agent working for another site).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Local,
    Named(chrono_tz::Tz),
}

impl Zone {
    /// `t` formatted in this zone with a chrono format string.
    pub fn format(&self, t: DateTime<Utc>, fmt: &str) -> String {
        match self {
            Zone::Local => t.with_timezone(&chrono::Local).format(fmt).to_string(),
            Zone::Named(tz) => t.with_timezone(tz).format(fmt).to_string(),
        }
    }
}

/// How serious a status-line notice is. Shown with a word, not colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
}

/// A one-line text input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    pub text: String,
}

impl TextInput {
    pub fn with(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
        }
    }

    pub fn insert(&mut self, s: &str) {
        self.text.push_str(s);
    }

    pub fn backspace(&mut self) {
        self.text.pop();
    }
}

/// The sign-in form, shown when no server or token was configured, or when the
/// server refused the token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignIn {
    pub server: TextInput,
    pub token: TextInput,
    /// 0 = server, 1 = token.
    pub focus: usize,
    pub busy: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    SignIn(SignIn),
    Home,
    Search,
    Customer,
    /// A supervisor's board.
    Board(BoardKind),
}

/// One line of search results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRow {
    pub customer: CustomerSummary,
    pub matched_on: MatchedOn,
    pub exact: bool,
    /// From the server's search (as opposed to only the local index).
    pub from_server: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchState {
    pub input: TextInput,
    pub rows: Vec<SearchRow>,
    /// The local index's matches for the current text.
    pub local: Vec<LocalHit>,
    pub narrowing: Narrowing,
    pub selected: usize,
    /// The request whose answer is still wanted; older answers are dropped.
    pub request: u64,
    pub waiting: bool,
}

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
    /// Suggestions the agent acted on: the wrap-up marks them accepted.
    pub acted: Vec<SuggestedAction>,
    /// The board the customer was opened from, where `back` returns.
    pub from_board: Option<BoardKind>,
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
            from_board: None,
        }
    }
}

/// Overlays drawn over the current screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Palette {
        input: TextInput,
        selected: usize,
    },
    /// The pop prompt: a number, e-mail or account typed or pasted.
    Pop {
        input: TextInput,
    },
    /// The note snippets from the config, to insert into the focused text.
    Snippets(Choice),
    /// The writes the server refused, for the agent to resend or dismiss.
    /// `armed` is the entry a first dismiss press was on.
    Attention {
        selected: usize,
        armed: Option<u64>,
    },
    /// The agent's states: available, or not ready with a reason.
    States(Choice),
    /// A supervisor approves or denies, with a note for the agent.
    Decision(DecisionPrompt),
    /// Several customers matched a pop; the agent picks one.
    Chooser {
        query: String,
        matches: Vec<CustomerSummary>,
        selected: usize,
    },
}

pub struct AppState {
    pub keymap: Arc<Keymap>,
    pub glyphs: Glyphs,
    pub zone: Zone,
    pub server: String,
    pub agent: Option<Agent>,
    pub connection: Connection,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub search: SearchState,
    pub customer: Option<CustomerView>,
    pub recent: Vec<CustomerSummary>,
    /// Every customer the desk has seen this session: the local search index.
    pub known: LocalIndex,
    pub notice: Option<Notice>,
    /// Problems found in the keymap, theme or config files at start.
    pub config_errors: Vec<String>,
    pub pending_keys: Vec<KeyChord>,
    /// Source of request ids.
    pub last_request: u64,
    /// Terminal size, for paging.
    pub size: (u16, u16),
    /// The current time, to the minute: views show clocks from it.
    pub now: DateTime<Utc>,
    /// Reference data (dispositions, reasons…) for the forms.
    pub refdata: Option<RefData>,
    /// Every form with something in it, per customer and kind: drafts survive
    /// leaving the screen.
    pub drafts: Vec<Form>,
    /// Forms confirmed and durable in the outbox, kept until the server
    /// answers so a refusal can reopen them.
    pub sent: Vec<Form>,
    /// Drafts the last session left, until their customer is opened.
    pub kept_drafts: Vec<Draft>,
    pub local: LocalCache,
    /// The outbox: writes waiting and writes needing the agent.
    pub outbox: OutboxView,
    /// When the outbox sync will try the server again.
    pub retry_at: Option<DateTime<Utc>>,
    /// This agent on the live floor.
    pub floor: MyFloor,
    /// The supervisor's boards.
    pub boards: Boards,
    /// Note snippets from the config: (name, template).
    pub snippets: Vec<(String, String)>,
    /// A number to pop once signed in (`--pop`).
    pub pop_on_start: Option<String>,
    /// Quit was pressed once with unsent forms; a second press quits.
    pub quit_armed: bool,
    pub quit: bool,
}

impl AppState {
    pub fn new(
        keymap: Arc<Keymap>,
        glyphs: Glyphs,
        server: String,
        now: DateTime<Utc>,
    ) -> AppState {
        AppState {
            keymap,
            glyphs,
            zone: Zone::Local,
            server,
            agent: None,
            connection: Connection::Connecting,
            screen: Screen::Home,
            overlay: None,
            search: SearchState::default(),
            customer: None,
            recent: Vec::new(),
            known: LocalIndex::default(),
            notice: None,
            config_errors: Vec::new(),
            pending_keys: Vec::new(),
            last_request: 0,
            size: (80, 24),
            now,
            refdata: None,
            drafts: Vec::new(),
            sent: Vec::new(),
            kept_drafts: Vec::new(),
            local: LocalCache::Opening,
            outbox: OutboxView::default(),
            retry_at: None,
            floor: MyFloor::default(),
            boards: Boards::default(),
            snippets: Vec::new(),
            pop_on_start: None,
            quit_armed: false,
            quit: false,
        }
    }

    /// Shows a notice on the status line until the next key.
    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.notice = Some(Notice {
            level,
            text: text.into(),
        });
    }

    /// The open customer's active form, if any.
    pub fn active_form(&self) -> Option<&Form> {
        let view = self.customer.as_ref()?;
        let kind = view.form?;
        self.drafts
            .iter()
            .find(|f| f.customer == view.id && f.kind == kind)
    }

    pub fn active_form_mut(&mut self) -> Option<&mut Form> {
        let view = self.customer.as_ref()?;
        let (id, kind) = (view.id, view.form?);
        self.drafts
            .iter_mut()
            .find(|f| f.customer == id && f.kind == kind)
    }

    /// A fresh request id.
    pub fn next_request(&mut self) -> u64 {
        self.last_request += 1;
        self.last_request
    }

    /// The keymap table that applies now.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Some(Overlay::Help { .. }) => Mode::Help,
            Some(Overlay::Palette { .. }) => Mode::Palette,
            // One-line prompts: enter submits, like the palette.
            Some(Overlay::Pop { .. } | Overlay::Decision(_)) => Mode::Palette,
            Some(
                Overlay::Chooser { .. }
                | Overlay::Snippets(_)
                | Overlay::States(_)
                | Overlay::Attention { .. },
            ) => Mode::Chooser,
            None => self.mode_without_overlay(),
        }
    }

    /// The table of the screen under any overlay (what help describes).
    pub fn mode_without_overlay(&self) -> Mode {
        match &self.screen {
            Screen::SignIn(_) => Mode::Palette,
            Screen::Home => Mode::Home,
            Screen::Search => Mode::Search,
            Screen::Customer => match &self.customer {
                Some(c) if c.form.is_some() => Mode::Form,
                Some(c) if c.editing_filter => Mode::TimelineFilter,
                _ => Mode::Customer,
            },
            Screen::Board(kind) if self.boards.view(*kind).editing_filter => Mode::BoardFilter,
            Screen::Board(_) => Mode::Board,
        }
    }
}
