//! The desk's state: plain data, changed only by `update`. Views read it; the
//! loop and the effect runner never touch it directly.

use crate::api::CustomerSummary;
use crate::domain::{Agent, RefData};
use crate::tui::boards::model::{BoardKind, Boards, DecisionPrompt};
use crate::tui::floor::model::MyFloor;
use crate::tui::forms::choice::Choice;
use crate::tui::forms::draft::Draft;
use crate::tui::forms::model::Form;
use crate::tui::fuzzy::LocalIndex;
use crate::tui::glyphs::Glyphs;
use crate::tui::ids::Ids;
use crate::tui::input::TextInput;
use crate::tui::keymap::{KeyChord, Keymap, Mode};
use crate::tui::offline::model::{LocalCache, OutboxView};
use crate::tui::search::model::SearchState;
use crate::tui::session::model::{Connection, SignIn};
use crate::tui::workspace::model::CustomerView;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// How many customers the home screen lists as recent.
pub const RECENT_LIMIT: usize = 10;

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

impl Notice {
    /// A warning or an error: kept until the agent has had a key to see it.
    fn matters(&self) -> bool {
        matches!(self.level, Level::Warning | Level::Error)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    SignIn(Box<SignIn>),
    Home,
    Search,
    Customer,
    /// A supervisor's board.
    Board(BoardKind),
}

/// A place the agent was, for `back`: the screen and what it showed.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    Home,
    /// The search with the query it had.
    Search(String),
    Customer(CustomerSummary),
    Board(BoardKind),
}

impl Place {
    /// The same screen for the same customer or board (a search is one
    /// place whatever its query).
    pub fn same(&self, other: &Place) -> bool {
        match (self, other) {
            (Place::Customer(a), Place::Customer(b)) => a.id == b.id,
            (Place::Search(_), Place::Search(_)) | (Place::Home, Place::Home) => true,
            (Place::Board(a), Place::Board(b)) => a == b,
            _ => false,
        }
    }
}

/// How many places `back` remembers.
pub const TRAIL_LIMIT: usize = 20;

/// Overlays drawn over the current screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    /// "Why not?": what the open customer's decision did not show, and why.
    WhyNot {
        scroll: usize,
    },
    /// The account of the organisation the open customer is or calls for:
    /// overdue invoices, open orders, rebates, renewal, contacts.
    Account {
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
    /// Where to transfer the caller, warm or cold, and why.
    Transfer(crate::tui::floor::model::TransferPrompt),
    /// A number no customer has: how to go on.
    UnknownCaller {
        number: String,
        choice: Choice,
    },
    /// A new customer for an unknown caller: name, e-mail, language, zone.
    NewCustomer(Box<crate::tui::search::model::NewCustomerPrompt>),
    /// "Hang up on …?": enter hangs up, esc keeps the call.
    HangUp {
        call_id: String,
        about: String,
    },
    /// A business caller acting for several organisations: which one they
    /// are calling for (codes are organisation ids).
    ActingFor(Choice),
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
    /// The server address as configured (several, with commas, for replicas).
    pub server: String,
    /// Of several servers, the one the desk reached last.
    pub server_in_use: Option<String>,
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
    /// Where request ids and idempotency keys come from.
    pub ids: Ids,
    /// Terminal size, for paging.
    pub size: (u16, u16),
    /// The current time, to the minute (to the second while a timer on
    /// screen counts seconds): views show clocks from it.
    pub now: DateTime<Utc>,
    /// The current time to the second, whatever is on screen: when a form
    /// opens or a contact is offered, so timers start from zero.
    pub second: DateTime<Utc>,
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
    /// A call's pop takes the screen even while a form is open (`pop =
    /// "over_forms"` in config.toml); else it waits for the agent's key.
    pub pop_over_forms: bool,
    /// The places the agent came through, oldest first: `back` retraces them.
    pub trail: Vec<Place>,
    /// Set while `back` reopens a place, so it leaves no new trail.
    pub retracing: bool,
    /// Where `demo` wrote its server address and tokens, cleaned for the
    /// screen (help shows it).
    pub tokens_file: Option<String>,
    /// Quit was pressed once with unsent forms; a second press quits.
    pub quit_armed: bool,
    pub quit: bool,
    /// `redraw` was asked for: the run loop clears the terminal and draws
    /// everything again, then sets this back.
    pub redraw: bool,
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
            server_in_use: None,
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
            ids: Ids::from_entropy(),
            size: (80, 24),
            now,
            second: now,
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
            pop_over_forms: false,
            trail: Vec::new(),
            retracing: false,
            tokens_file: None,
            quit_armed: false,
            quit: false,
            redraw: false,
        }
    }

    /// Where the agent is now, as a place to come back to (none while
    /// signing in).
    pub fn here(&self) -> Option<Place> {
        Some(match &self.screen {
            Screen::SignIn(_) => return None,
            Screen::Home => Place::Home,
            Screen::Search => Place::Search(self.search.input.text.clone()),
            Screen::Customer => match &self.customer {
                Some(view) => Place::Customer(match &view.profile {
                    Some(profile) => CustomerSummary::from(profile),
                    None => self.recent.iter().find(|c| c.id == view.id)?.clone(),
                }),
                None => Place::Home,
            },
            Screen::Board(kind) => Place::Board(*kind),
        })
    }

    /// Called by whatever takes the agent somewhere else: remembers where
    /// they were, unless `back` is retracing or it is the same place.
    pub fn leave_here(&mut self, to: &Place) {
        if self.retracing {
            return;
        }
        let Some(here) = self.here() else {
            return;
        };
        if here.same(to) || self.trail.last().is_some_and(|last| last.same(&here)) {
            return;
        }
        self.trail.push(here);
        if self.trail.len() > TRAIL_LIMIT {
            self.trail.remove(0);
        }
    }

    /// Shows a notice on the status line until the next key.
    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.notice = Some(Notice {
            level,
            text: text.into(),
        });
    }

    /// Shows a progress line ("Looking up…"), unless a warning or an error
    /// the agent has not yet seen is there: the cache moved aside at start is
    /// not lost to it.
    pub fn progress(&mut self, text: impl Into<String>) {
        if !self.notice.as_ref().is_some_and(Notice::matters) {
            self.notify(Level::Info, text);
        }
    }

    /// Clears a passing note (progress, or other information), but not a
    /// warning or an error, which stay until the agent's next key.
    pub fn clear_passing_notice(&mut self) {
        if !self.notice.as_ref().is_some_and(Notice::matters) {
            self.notice = None;
        }
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
        self.ids.next_request()
    }

    /// A fresh idempotency key.
    pub fn new_key(&mut self) -> String {
        self.ids.new_key()
    }

    /// The keymap table that applies now.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Some(Overlay::Help { .. } | Overlay::WhyNot { .. } | Overlay::Account { .. }) => {
                Mode::Help
            }
            Some(Overlay::Palette { .. }) => Mode::Palette,
            // One-line prompts: enter submits, like the palette.
            Some(
                Overlay::Pop { .. }
                | Overlay::Decision(_)
                | Overlay::Transfer(_)
                | Overlay::NewCustomer(_),
            ) => Mode::Palette,
            Some(
                Overlay::Chooser { .. }
                | Overlay::Snippets(_)
                | Overlay::States(_)
                | Overlay::ActingFor(_)
                | Overlay::HangUp { .. }
                | Overlay::UnknownCaller { .. }
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
