//! `update`: the only place the desk's state changes. It does no I/O: it returns
//! the effects to run, and their results come back later as actions. A reply
//! for a request the agent has moved on from is dropped.

use super::action::{Action, Effect, Failure, Reply};
use super::boards::{self, BoardKind};
use super::floor;
use super::forms::{self, FormKind};
use super::fuzzy;
use super::keymap::{Command, KeyChord, Mode, Resolution};
use super::layout;
use super::offline;
use super::sanitize::{clean_line, clean_text};
use super::state::*;
use crate::api::{CustomerSummary, SearchHit, TimelinePage, TimelineQuery};
use crate::domain::{phone, Agent, Channel, Customer, CustomerId, EventKind, Suggestion};
use chrono::{DateTime, Timelike, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Timeline events per page.
pub const TIMELINE_PAGE: u32 = 100;
/// Load the next page when the selection comes this close to the end.
const PREFETCH_MARGIN: usize = 20;
/// Server search starts at this many characters.
const MIN_SERVER_QUERY: usize = 2;
/// Results asked from the server per search.
pub const SEARCH_LIMIT: u32 = 30;

pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) => on_key(state, key),
        Action::Paste(text) => {
            if forms::update::paste(state, &clean_text(&text)) {
                return vec![];
            }
            on_text(state, &clean_line(&text))
        }
        Action::Resize(w, h) => {
            state.size = (w, h);
            keep_selection_visible(state);
            vec![]
        }
        Action::Tick(now) => {
            // Seconds only while a timer on screen counts them: the form's
            // after-call work, the agent's contact, the boards' waits.
            let board = matches!(state.screen, Screen::Board(_));
            state.now = if board || forms::update::showing(state) || floor::timing(state) {
                to_second(now)
            } else {
                to_minute(now)
            };
            vec![]
        }
        Action::RefDataLoaded(reply) => match reply {
            Ok(refdata) => {
                state.refdata = Some(refdata);
                offline::restore_drafts(state);
                vec![]
            }
            // The saved copy serves; the title bar says the link is down.
            Err(Failure::Unreachable(m)) if state.refdata.is_some() => {
                state.connection = Connection::Offline(m);
                vec![]
            }
            Err(failure) => failed(state, failure),
        },
        Action::Submitted { key, reply } => forms::update::submitted(state, &key, reply),
        Action::SignedIn(reply) => signed_in(state, reply),
        Action::StartedOffline { agent, reason } => started_offline(state, agent, reason),
        Action::SearchResults { request, reply } => search_results(state, request, reply),
        Action::PopResults {
            request,
            query,
            reply,
        } => pop_results(state, request, query, reply),
        Action::CustomerLoaded {
            request,
            id,
            reply,
            cached_at,
        } => customer_loaded(state, request, id, reply, cached_at),
        Action::TimelineLoaded {
            request,
            id,
            append,
            reply,
        } => timeline_loaded(state, request, id, append, reply),
        Action::SuggestionsLoaded { request, id, reply } => {
            suggestions_loaded(state, request, id, reply)
        }
        Action::LocalOpened(opened) => offline::local_opened(state, opened),
        Action::Floor(event) => floor::on_event(state, event),
        Action::FloorStreamDown => {
            state.floor.streaming = false;
            vec![]
        }
        Action::StateSet(reply) => floor::state_set(state, reply),
        Action::QueuesLoaded(reply) => boards::update::queues_loaded(state, reply),
        Action::AgentBoardLoaded(reply) => boards::update::agents_loaded(state, reply),
        Action::ApprovalsLoaded(reply) => boards::update::approvals_loaded(state, reply),
        Action::Decided { key, reply } => boards::update::decided(state, &key, reply),
        Action::Saved { key, waiting } => offline::saved(state, &key, waiting),
        Action::Outbox(view) => offline::outbox(state, view),
        Action::Link {
            connection,
            retry_at,
        } => offline::link(state, connection, retry_at),
    }
}

/// `now` to the second (the after-call-work timer).
fn to_second(now: DateTime<Utc>) -> DateTime<Utc> {
    now.with_nanosecond(0).unwrap_or(now)
}

/// `now` without seconds: clocks on screen change once a minute.
pub fn to_minute(now: DateTime<Utc>) -> DateTime<Utc> {
    now.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now)
}

// ---- keys -------------------------------------------------------------------

fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return vec![];
    }
    // A notice stays until the agent's next key.
    state.notice = None;
    let chord = KeyChord::from_event(&key);
    let mode = state.mode();
    let keymap = state.keymap.clone();
    let resolution = keymap.resolve(mode, &state.pending_keys, chord);
    if !matches!(resolution, Resolution::Command(Command::Quit)) {
        state.quit_armed = false;
    }
    match resolution {
        Resolution::Command(command) => {
            state.pending_keys.clear();
            if mode == Mode::Form {
                if let Some(effects) = forms::update::command(state, command) {
                    return effects;
                }
            }
            on_command(state, command)
        }
        Resolution::Pending => {
            state.pending_keys.push(chord);
            vec![]
        }
        Resolution::Unbound => {
            let was_pending = !std::mem::take(&mut state.pending_keys).is_empty();
            if mode == Mode::Form && !was_pending && state.overlay.is_none() {
                form_key(state, key)
            } else if mode.takes_text() && !was_pending {
                type_key(state, key)
            } else {
                vec![]
            }
        }
    }
}

/// An unbound key in a text field: a character to insert, or backspace.
fn type_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if plain => on_text(state, &clean_line(&c.to_string())),
        KeyCode::Backspace => {
            if let Some(input) = active_input(state) {
                input.backspace();
            }
            text_changed(state)
        }
        _ => vec![],
    }
}

/// An unbound key in a form: text for the focused field, or an editing key.
fn form_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    if !matches!(state.screen, Screen::Customer) {
        return type_key(state, key);
    }
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let text = match key.code {
        KeyCode::Char(c) if plain => Some(clean_line(&c.to_string())),
        _ => None,
    };
    let word = key.modifiers.contains(KeyModifiers::CONTROL);
    forms::update::key(state, key.code, text.as_deref(), word)
}

/// Typed or pasted text, already clean, into the active field.
fn on_text(state: &mut AppState, text: &str) -> Vec<Effect> {
    match active_input(state) {
        Some(input) => input.insert(text),
        None => return vec![],
    }
    text_changed(state)
}

fn active_input(state: &mut AppState) -> Option<&mut TextInput> {
    match &mut state.overlay {
        Some(Overlay::Palette { input, .. } | Overlay::Pop { input }) => return Some(input),
        Some(Overlay::Decision(prompt)) => return Some(&mut prompt.note),
        Some(_) => return None,
        None => {}
    }
    match &mut state.screen {
        Screen::SignIn(form) => Some(if form.focus == 0 {
            &mut form.server
        } else {
            &mut form.token
        }),
        Screen::Search => Some(&mut state.search.input),
        Screen::Customer => state
            .customer
            .as_mut()
            .filter(|c| c.editing_filter)
            .map(|c| &mut c.text_filter),
        Screen::Board(kind) => {
            let view = state.boards.view_mut(*kind);
            view.editing_filter.then_some(&mut view.filter)
        }
        Screen::Home => None,
    }
}

fn text_changed(state: &mut AppState) -> Vec<Effect> {
    if let Some(Overlay::Palette { selected, .. }) = &mut state.overlay {
        *selected = 0;
        return vec![];
    }
    match state.screen {
        Screen::Search if state.overlay.is_none() => refresh_search(state),
        Screen::Customer => {
            if let Some(view) = state.customer.as_mut() {
                view.selected = 0;
                view.offset = 0;
            }
            vec![]
        }
        _ => vec![],
    }
}

// ---- commands ---------------------------------------------------------------

fn on_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    if let Screen::SignIn(_) = state.screen {
        return sign_in_command(state, command);
    }
    if let (Screen::Board(kind), None) = (&state.screen, &state.overlay) {
        if let Some(effects) = boards::update::command(state, *kind, command) {
            return effects;
        }
    }
    match command {
        Command::Quit => {
            let unsent: Vec<&str> = state
                .drafts
                .iter()
                .filter(|f| f.dirty || !matches!(f.stage, forms::Stage::Editing))
                .map(|f| f.kind.title())
                .collect();
            if unsent.is_empty() || state.quit_armed || state.local == LocalCache::Ready {
                // With a local cache, forms are kept as drafts for next time.
                state.quit = true;
            } else {
                state.quit_armed = true;
                let list = unsent.join(", ");
                state.notify(
                    Level::Warning,
                    format!("Unsent: {list}. Quit again to quit and lose them"),
                );
            }
            vec![]
        }
        Command::Help => {
            state.overlay = match state.overlay {
                Some(Overlay::Help { .. }) => None,
                _ => Some(Overlay::Help { scroll: 0 }),
            };
            vec![]
        }
        Command::CommandPalette => {
            state.overlay = Some(Overlay::Palette {
                input: TextInput::default(),
                selected: 0,
            });
            vec![]
        }
        Command::Search => {
            // A new search starts empty; `back` from a customer returns to the
            // last results instead.
            state.overlay = None;
            state.screen = Screen::Search;
            state.search = SearchState::default();
            vec![]
        }
        Command::Pop => {
            state.overlay = Some(Overlay::Pop {
                input: TextInput::default(),
            });
            vec![]
        }
        Command::Back | Command::Cancel => back(state),
        Command::Open | Command::Submit => open(state),
        Command::Next => move_selection(state, 1),
        Command::Prev => move_selection(state, -1),
        Command::PageDown => move_selection(state, page(state) as isize),
        Command::PageUp => move_selection(state, -(page(state) as isize)),
        Command::Top => move_selection(state, isize::MIN / 2),
        Command::Bottom => move_selection(state, isize::MAX / 2),
        Command::FocusNext | Command::FocusPrev => {
            if let Some(view) = state.customer.as_mut() {
                view.focus = match view.focus {
                    Focus::Timeline => Focus::Suggestions,
                    Focus::Suggestions => Focus::Timeline,
                };
            }
            vec![]
        }
        Command::FilterChannel => cycle_filter(state, FilterStep::Channel),
        Command::FilterKind => cycle_filter(state, FilterStep::Kind),
        Command::ClearFilter => cycle_filter(state, FilterStep::Clear),
        Command::FilterText => {
            if let (Screen::Customer, Some(view)) = (&state.screen, state.customer.as_mut()) {
                view.editing_filter = true;
            }
            vec![]
        }
        Command::Expand => {
            if let Some(view) = state.customer.as_mut() {
                view.expanded = !view.expanded;
            }
            vec![]
        }
        Command::Refresh => {
            let mut effects = match state.customer.as_ref().map(|c| c.id) {
                Some(id) if state.screen == Screen::Customer => load_customer(state, id),
                _ => vec![],
            };
            if state.connection != Connection::Online {
                effects.push(Effect::RetryNow);
            }
            effects
        }
        Command::NeedsAttention => offline::open_attention(state),
        Command::Dismiss => offline::dismiss(state),
        Command::Suggestion1
        | Command::Suggestion2
        | Command::Suggestion3
        | Command::Suggestion4
        | Command::Suggestion5
        | Command::Suggestion6
        | Command::Suggestion7
        | Command::Suggestion8
        | Command::Suggestion9 => {
            act_on_suggestion(state, command.suggestion_number().unwrap_or(1))
        }
        Command::LogInteraction => forms::update::open(state, FormKind::Log, None),
        Command::Escalate => forms::update::open(state, FormKind::Escalate, None),
        Command::WaiveFee => forms::update::open(state, FormKind::Waive, None),
        // Editing commands mean something only in a form.
        Command::Undo | Command::Redo | Command::Snippet => vec![],
        Command::SetState => floor::open_states(state),
        Command::QueueBoard => boards::update::open(state, BoardKind::Queues),
        Command::AgentBoard => boards::update::open(state, BoardKind::Agents),
        Command::Approvals => boards::update::open(state, BoardKind::Approvals),
        // Board commands mean something only on a board (handled above).
        Command::Approve | Command::Deny | Command::Sort => vec![],
    }
}

fn act_on_suggestion(state: &mut AppState, n: u8) -> Vec<Effect> {
    let Some(view) = state.customer.as_mut() else {
        return vec![];
    };
    let index = usize::from(n).saturating_sub(1);
    let Some(suggestion) = view
        .suggestions
        .as_ref()
        .and_then(|s| s.get(index))
        .cloned()
    else {
        state.notify(Level::Info, format!("There is no suggestion {n}"));
        return vec![];
    };
    view.focus = Focus::Suggestions;
    view.selected_suggestion = index;
    forms::update::act_on_suggestion(state, &suggestion)
}

fn sign_in_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Screen::SignIn(form) = &mut state.screen else {
        return vec![];
    };
    match command {
        Command::Quit | Command::Cancel | Command::Back => {
            state.quit = true;
            vec![]
        }
        Command::FocusNext | Command::Next | Command::Prev => {
            form.focus = 1 - form.focus.min(1);
            vec![]
        }
        Command::Submit | Command::Open => {
            if form.focus == 0 && form.token.text.is_empty() {
                form.focus = 1;
                return vec![];
            }
            let server = form.server.text.trim().to_string();
            let token = form.token.text.trim().to_string();
            if server.is_empty() || token.is_empty() {
                state.notify(Level::Warning, "Enter the server address and your token");
                return vec![];
            }
            form.busy = true;
            state.server = server.clone();
            state.connection = Connection::Connecting;
            vec![Effect::SignIn {
                server,
                token: super::action::Secret(token),
            }]
        }
        _ => vec![],
    }
}

fn back(state: &mut AppState) -> Vec<Effect> {
    if state.overlay.take().is_some() {
        return vec![];
    }
    if let (Screen::Customer, Some(view)) = (&state.screen, state.customer.as_mut()) {
        if view.editing_filter {
            view.editing_filter = false;
            return vec![];
        }
        if view.expanded {
            view.expanded = false;
            return vec![];
        }
    }
    let from_board = state.customer.as_ref().and_then(|c| c.from_board);
    state.screen = match state.screen {
        Screen::Customer => match from_board {
            Some(kind) => return boards::update::open(state, kind),
            None if !state.search.input.text.is_empty() => Screen::Search,
            None => Screen::Home,
        },
        _ => Screen::Home,
    };
    vec![]
}

fn open(state: &mut AppState) -> Vec<Effect> {
    match state.overlay.take() {
        Some(Overlay::Snippets(choice)) => {
            if let Some((name, _)) = choice.selected() {
                let name = name.clone();
                forms::update::insert_snippet(state, &name);
            }
            return vec![];
        }
        Some(Overlay::Palette { input, selected }) => {
            if let Some(effects) = quick_log(state, &input.text) {
                return effects;
            }
            let commands = palette_commands(state, &input.text);
            return match commands.get(selected) {
                Some(command) => on_command(state, *command),
                None => vec![],
            };
        }
        Some(Overlay::Pop { input }) => return pop(state, input.text.trim()),
        Some(Overlay::Decision(prompt)) => return boards::update::send(state, prompt),
        Some(Overlay::Chooser {
            matches,
            selected,
            query,
            ..
        }) => {
            return match matches.get(selected).cloned() {
                Some(summary) => open_customer(state, summary, Some(format!("popped for {query}"))),
                None => vec![],
            };
        }
        Some(Overlay::Attention { selected, .. }) => return offline::resend(state, selected),
        Some(Overlay::States(choice)) => {
            return match choice.selected() {
                Some((code, _)) => floor::chosen(state, &code.clone()),
                None => vec![],
            };
        }
        Some(help @ Overlay::Help { .. }) => {
            state.overlay = Some(help);
            return vec![];
        }
        None => {}
    }
    match state.screen {
        Screen::Search => match state.search.rows.get(state.search.selected) {
            Some(row) => {
                let summary = row.customer.clone();
                open_customer(state, summary, None)
            }
            None => vec![],
        },
        Screen::Home => match state.recent.first().cloned() {
            Some(summary) => open_customer(state, summary, None),
            None => vec![],
        },
        Screen::Customer => {
            if let Some(view) = state.customer.as_mut() {
                if view.editing_filter {
                    view.editing_filter = false;
                } else {
                    view.expanded = !view.expanded;
                }
            }
            vec![]
        }
        Screen::SignIn(_) | Screen::Board(_) => vec![],
    }
}

/// `log <code> <note>` typed in the palette: sends the wrap-up at once.
fn quick_log(state: &mut AppState, line: &str) -> Option<Vec<Effect>> {
    let parsed = forms::quick_log::parse(line, state.refdata.as_ref()?)?;
    let id = match (&state.screen, state.customer.as_ref()) {
        (Screen::Customer, Some(view)) => view.id,
        _ => {
            state.notify(
                Level::Warning,
                "Open a customer first: a quick log is for the customer on screen",
            );
            return Some(vec![]);
        }
    };
    let log = match parsed {
        Ok(log) => log,
        Err(message) => {
            state.notify(Level::Warning, message);
            return Some(vec![]);
        }
    };
    let request = crate::api::NewInteraction {
        customer_id: id,
        channel: Channel::Voice,
        disposition_code: log.code,
        outcome: crate::domain::InteractionOutcome::Resolved,
        tags: vec![],
        notes: log.notes,
        suggestion_outcomes: vec![],
        follow_up_at: None,
    };
    let (form, key) = forms::quick_log(id, request.clone(), state.now);
    state
        .drafts
        .retain(|f| !(f.customer == id && f.kind == FormKind::QuickLog));
    state.drafts.push(form);
    state.notify(Level::Info, format!("Logging: {}…", log.label));
    Some(vec![Effect::Submit {
        key,
        request: forms::Request::Interaction(request),
        draft_key: None,
    }])
}

/// The commands the palette lists for `query`, best first.
pub fn palette_commands(state: &AppState, query: &str) -> Vec<Command> {
    let items: Vec<(Command, String)> = Command::ALL
        .iter()
        .map(|c| (*c, format!("{} {}", c.name(), c.description())))
        .collect();
    fuzzy::rank(&items, query)
        .into_iter()
        .filter(|c| *c != Command::CommandPalette || state.overlay.is_none())
        .collect()
}

// ---- selection --------------------------------------------------------------

/// Rows in a page of the list in view.
fn page(state: &AppState) -> usize {
    layout::timeline_rows(state.size.0, state.size.1).max(1)
}

/// `current` moved by `delta` within a list of `len` (0 for an empty list).
pub fn step(current: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (current as isize)
        .saturating_add(delta)
        .clamp(0, len as isize - 1) as usize
}

fn move_selection(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let palette_len = match &state.overlay {
        Some(Overlay::Palette { input, .. }) => Some(palette_commands(state, &input.text).len()),
        _ => None,
    };
    match &mut state.overlay {
        Some(Overlay::Help { scroll }) => {
            *scroll = step(*scroll, delta, 200);
            return vec![];
        }
        Some(Overlay::Palette { selected, .. }) => {
            *selected = step(*selected, delta, palette_len.unwrap_or(0));
            return vec![];
        }
        Some(Overlay::Chooser {
            selected, matches, ..
        }) => {
            *selected = step(*selected, delta, matches.len());
            return vec![];
        }
        Some(Overlay::Snippets(choice) | Overlay::States(choice)) => {
            choice.move_by(delta.clamp(-1000, 1000));
            return vec![];
        }
        Some(Overlay::Attention { selected, armed }) => {
            *selected = step(*selected, delta, state.outbox.attention.len());
            *armed = None;
            return vec![];
        }
        Some(Overlay::Pop { .. } | Overlay::Decision(_)) => return vec![],
        None => {}
    }
    match state.screen {
        Screen::Search => {
            state.search.selected = step(state.search.selected, delta, state.search.rows.len());
            vec![]
        }
        Screen::Customer => {
            let Some(view) = state.customer.as_mut() else {
                return vec![];
            };
            if view.focus == Focus::Suggestions {
                let len = view.suggestions.as_ref().map_or(0, Vec::len);
                view.selected_suggestion = step(view.selected_suggestion, delta, len);
                return vec![];
            }
            let visible = visible_events(view).len();
            view.selected = step(view.selected, delta, visible);
            keep_selection_visible(state);
            load_more_if_near_end(state)
        }
        _ => vec![],
    }
}

fn keep_selection_visible(state: &mut AppState) {
    let rows = page(state);
    if let Some(view) = state.customer.as_mut() {
        if view.selected < view.offset {
            view.offset = view.selected;
        } else if view.selected >= view.offset + rows {
            view.offset = view.selected + 1 - rows;
        }
    }
}

/// Indices into `view.events` that the filters let through, in order.
pub fn visible_events(view: &CustomerView) -> Vec<usize> {
    fuzzy::filter_events(&view.events, &view.text_filter.text)
}

fn load_more_if_near_end(state: &mut AppState) -> Vec<Effect> {
    let Some(view) = state.customer.as_ref() else {
        return vec![];
    };
    let visible = visible_events(view).len();
    if view.loading_more || view.next_before.is_none() || view.selected + PREFETCH_MARGIN < visible
    {
        return vec![];
    }
    let (id, request, before) = (view.id, view.timeline_request, view.next_before.clone());
    let query = timeline_query(view, before);
    if let Some(view) = state.customer.as_mut() {
        view.loading_more = true;
    }
    vec![Effect::LoadTimeline {
        request,
        id,
        query,
        append: true,
    }]
}

fn timeline_query(view: &CustomerView, before: Option<String>) -> TimelineQuery {
    TimelineQuery {
        before,
        limit: Some(TIMELINE_PAGE),
        channel: view.channel,
        kind: view.kind,
    }
}

enum FilterStep {
    Channel,
    Kind,
    Clear,
}

/// Filters by channel and kind are applied by the server, so the pages stay
/// complete; changing one reloads the timeline.
fn cycle_filter(state: &mut AppState, which: FilterStep) -> Vec<Effect> {
    if state.screen != Screen::Customer {
        return vec![];
    }
    let request = state.next_request();
    let Some(view) = state.customer.as_mut() else {
        return vec![];
    };
    match which {
        FilterStep::Channel => view.channel = next_of(Channel::ALL, view.channel),
        FilterStep::Kind => view.kind = next_of(EventKind::ALL, view.kind),
        FilterStep::Clear => {
            view.channel = None;
            view.kind = None;
            view.text_filter = TextInput::default();
        }
    }
    view.timeline_request = request;
    view.events.clear();
    view.next_before = None;
    view.timeline_loaded = false;
    view.loading_more = true;
    view.selected = 0;
    view.offset = 0;
    vec![Effect::LoadTimeline {
        request,
        id: view.id,
        query: timeline_query(view, None),
        append: false,
    }]
}

/// The value after `current` in `all`, then none, then the first again.
fn next_of<T: Copy + PartialEq>(all: &[T], current: Option<T>) -> Option<T> {
    match current {
        None => all.first().copied(),
        Some(c) => all
            .iter()
            .position(|x| *x == c)
            .and_then(|i| all.get(i + 1))
            .copied(),
    }
}

// ---- search and pop -----------------------------------------------------------

fn refresh_search(state: &mut AppState) -> Vec<Effect> {
    let query = state.search.input.text.clone();
    state.search.local = state.known.search(&query, &mut state.search.narrowing);
    let server_rows: Vec<SearchRow> = state
        .search
        .rows
        .iter()
        .filter(|r| r.from_server)
        .cloned()
        .collect();
    state.search.rows = merge_rows(&state.search.local, server_rows);
    state.search.selected = 0;
    // Any answer to an earlier text is stale now, even if nothing is asked.
    let request = state.next_request();
    state.search.request = request;
    if query.trim().chars().count() < MIN_SERVER_QUERY {
        state.search.waiting = false;
        return vec![];
    }
    state.search.waiting = true;
    vec![Effect::Search { request, query }]
}

/// Exact identity matches first, then the best fuzzy matches of what the desk
/// knows, then what only the server found, each customer once.
fn merge_rows(local: &[fuzzy::LocalHit], server: Vec<SearchRow>) -> Vec<SearchRow> {
    let mut rows: Vec<SearchRow> = Vec::new();
    let exact_server = server.iter().filter(|r| r.exact).cloned();
    let exact_local = local.iter().filter(|h| h.exact).map(local_row);
    let fuzzy_local = local.iter().filter(|h| !h.exact).map(local_row);
    let rest_server = server.iter().filter(|r| !r.exact).cloned();
    for row in exact_server
        .chain(exact_local)
        .chain(fuzzy_local)
        .chain(rest_server)
    {
        if !rows.iter().any(|r| r.customer.id == row.customer.id) {
            rows.push(row);
        }
    }
    rows
}

fn local_row(hit: &fuzzy::LocalHit) -> SearchRow {
    SearchRow {
        customer: hit.customer.clone(),
        matched_on: hit.matched_on,
        exact: hit.exact,
        from_server: false,
    }
}

fn search_results(state: &mut AppState, request: u64, reply: Reply<Vec<SearchHit>>) -> Vec<Effect> {
    if request != state.search.request {
        return vec![];
    }
    state.search.waiting = false;
    let hits = match reply {
        Ok(hits) => hits,
        Err(failure) => return failed(state, failure),
    };
    state.connection = Connection::Online;
    for hit in &hits {
        state.known.remember(&hit.customer);
    }
    let server_rows = hits
        .into_iter()
        .map(|h| SearchRow {
            customer: h.customer,
            matched_on: h.matched_on,
            exact: h.exact,
            from_server: true,
        })
        .collect();
    // A selection the agent moved stays on its customer; otherwise the best
    // (possibly newly arrived exact) match is selected.
    let selected_id = (state.search.selected > 0)
        .then(|| {
            state
                .search
                .rows
                .get(state.search.selected)
                .map(|r| r.customer.id)
        })
        .flatten();
    state.search.rows = merge_rows(&state.search.local, server_rows);
    state.search.selected = selected_id
        .and_then(|id| state.search.rows.iter().position(|r| r.customer.id == id))
        .unwrap_or(0);
    vec![]
}

/// Starts a screen pop for a typed or pasted number, e-mail or account.
pub fn pop(state: &mut AppState, query: &str) -> Vec<Effect> {
    if query.is_empty() {
        return vec![];
    }
    let request = state.next_request();
    state.search.request = request;
    state.notify(Level::Info, format!("Looking up {query}…"));
    vec![Effect::Lookup {
        request,
        query: query.to_string(),
    }]
}

fn pop_results(
    state: &mut AppState,
    request: u64,
    query: String,
    reply: Reply<Vec<CustomerSummary>>,
) -> Vec<Effect> {
    if request != state.search.request {
        return vec![];
    }
    let matches = match reply {
        Ok(m) => m,
        Err(Failure::Refused(message)) => {
            // The server could not read it (not a phone, e-mail or account):
            // search for it instead.
            state.notify(Level::Warning, format!("{message}; searching instead"));
            return search_for(state, &query);
        }
        Err(failure) => return failed(state, failure),
    };
    state.connection = Connection::Online;
    for m in &matches {
        state.known.remember(m);
    }
    match matches.len() {
        0 => {
            state.notify(Level::Warning, format!("No customer matches {query}"));
            search_for(state, &query)
        }
        1 => {
            state.notice = None;
            open_customer(
                state,
                matches[0].clone(),
                Some(format!("popped for {query}")),
            )
        }
        n => {
            state.notify(
                Level::Info,
                format!("{n} customers match {query}: pick one"),
            );
            state.overlay = Some(Overlay::Chooser {
                query,
                matches,
                selected: 0,
            });
            vec![]
        }
    }
}

fn search_for(state: &mut AppState, query: &str) -> Vec<Effect> {
    state.screen = Screen::Search;
    state.overlay = None;
    state.search.input = TextInput::with(query);
    refresh_search(state)
}

/// What the lookup endpoint should be asked: phone, e-mail or account.
pub fn classify_pop(query: &str) -> crate::api::LookupQuery {
    let q = query.trim().to_string();
    let mut lookup = crate::api::LookupQuery::default();
    if q.contains('@') {
        lookup.email = Some(q);
    } else if phone::looks_like_phone(&q) {
        lookup.phone = Some(q);
    } else {
        lookup.account = Some(q);
    }
    lookup
}

// ---- the customer -----------------------------------------------------------

pub fn open_customer(
    state: &mut AppState,
    summary: CustomerSummary,
    context: Option<String>,
) -> Vec<Effect> {
    state.known.remember(&summary);
    state.recent.retain(|c| c.id != summary.id);
    state.recent.insert(0, summary.clone());
    state.recent.truncate(RECENT_LIMIT);
    state.screen = Screen::Customer;
    state.overlay = None;
    // A pop or search still in flight must not pull the agent elsewhere.
    state.search.request = state.next_request();
    let request = state.next_request();
    let mut view = CustomerView::new(summary.id, request);
    view.context = context;
    state.customer = Some(view);
    load_customer(state, summary.id)
}

/// What the desk knows of a customer it opens by id: from the recent list or
/// the open profile, else a stand-in called `name` ("customer 12" without
/// one) until the profile loads.
pub fn summary_for(state: &AppState, id: CustomerId, name: Option<&str>) -> CustomerSummary {
    if let Some(c) = state.recent.iter().find(|c| c.id == id) {
        return c.clone();
    }
    match state.customer.as_ref().and_then(|v| v.profile.as_ref()) {
        Some(p) if p.id == id => CustomerSummary::from(p),
        _ => CustomerSummary {
            id,
            name: name.map_or_else(|| format!("customer {id}"), str::to_string),
            account_number: String::new(),
            phones: vec![],
            emails: vec![],
            segment: crate::domain::Segment::Standard,
        },
    }
}

/// Loads the open customer again (after a write changed them).
pub fn reload_customer(state: &mut AppState) -> Vec<Effect> {
    match state.customer.as_ref().map(|c| c.id) {
        Some(id) => load_customer(state, id),
        None => vec![],
    }
}

fn load_customer(state: &mut AppState, id: CustomerId) -> Vec<Effect> {
    let request = state.next_request();
    let Some(view) = state.customer.as_mut() else {
        return vec![];
    };
    view.request = request;
    view.timeline_request = request;
    // A reload (after a write) starts again at the newest event.
    view.selected = 0;
    view.offset = 0;
    view.loading_more = true;
    view.next_before = None;
    let query = timeline_query(view, None);
    vec![
        Effect::LoadCustomer { request, id },
        Effect::LoadTimeline {
            request,
            id,
            query,
            append: false,
        },
        Effect::LoadSuggestions { request, id },
    ]
}

/// The open customer view, if this reply is for it and still wanted.
fn current(state: &mut AppState, request: u64, id: CustomerId) -> Option<&mut CustomerView> {
    state
        .customer
        .as_mut()
        .filter(|v| v.id == id && v.request == request)
}

fn customer_loaded(
    state: &mut AppState,
    request: u64,
    id: CustomerId,
    reply: Reply<Customer>,
    cached_at: Option<DateTime<Utc>>,
) -> Vec<Effect> {
    if current(state, request, id).is_none() {
        return vec![];
    }
    match reply {
        Ok(profile) => {
            if cached_at.is_none() {
                state.connection = Connection::Online;
            }
            let summary = CustomerSummary::from(&profile);
            state.known.remember(&summary);
            if let Some(recent) = state.recent.iter_mut().find(|c| c.id == id) {
                *recent = summary;
            }
            if let Some(view) = current(state, request, id) {
                // The server's copy wins; a late cached copy does not replace it.
                if cached_at.is_none() || view.cached_at.is_some() || view.profile.is_none() {
                    view.profile = Some(profile);
                    view.cached_at = cached_at;
                }
            }
            offline::restore_drafts(state);
            vec![]
        }
        Err(failure) => failed(state, failure),
    }
}

fn timeline_loaded(
    state: &mut AppState,
    request: u64,
    id: CustomerId,
    append: bool,
    reply: Reply<TimelinePage>,
) -> Vec<Effect> {
    let Some(view) = state
        .customer
        .as_mut()
        .filter(|v| v.id == id && v.timeline_request == request)
    else {
        return vec![];
    };
    view.loading_more = false;
    match reply {
        Ok(page) => {
            if !append {
                view.events.clear();
                if view.channel.is_none() && view.kind.is_none() {
                    view.last_contact = page
                        .events
                        .iter()
                        .find(|e| e.kind == EventKind::Contact)
                        .cloned();
                }
            }
            view.events.extend(page.events);
            view.next_before = page.next_before;
            view.timeline_loaded = true;
            state.connection = Connection::Online;
            load_more_if_near_end(state)
        }
        Err(failure) => failed(state, failure),
    }
}

fn suggestions_loaded(
    state: &mut AppState,
    request: u64,
    id: CustomerId,
    reply: Reply<Vec<Suggestion>>,
) -> Vec<Effect> {
    let Some(view) = current(state, request, id) else {
        return vec![];
    };
    match reply {
        Ok(list) => {
            view.suggestions = Some(list);
            state.connection = Connection::Online;
            vec![]
        }
        Err(failure) => failed(state, failure),
    }
}

// ---- signing in and failures ----------------------------------------------------

fn signed_in(state: &mut AppState, reply: Reply<Agent>) -> Vec<Effect> {
    match reply {
        Ok(agent) => {
            state.connection = Connection::Online;
            state.notify(
                Level::Success,
                format!("Signed in as {} ({})", agent.name, agent.role.as_str()),
            );
            start(state, agent)
        }
        Err(failure) => {
            let (connection, text) = match &failure {
                Failure::Unreachable(m) => (
                    Connection::Offline(m.clone()),
                    format!(
                        "Cannot reach the server at {}: {m}. Check the address \
                         (SWITCHBOARD_SERVER) and that the server is running.",
                        state.server
                    ),
                ),
                Failure::Unauthenticated(m) => (
                    Connection::Online,
                    format!("The server refused the token: {m}. Ask a supervisor for a new one."),
                ),
                Failure::Refused(m) | Failure::Retry(m) => {
                    (Connection::Online, format!("Sign-in failed: {m}"))
                }
            };
            state.connection = connection;
            state.notify(Level::Error, text);
            let mut form = match std::mem::replace(&mut state.screen, Screen::Home) {
                Screen::SignIn(form) => form,
                _ => SignIn {
                    server: TextInput::with(&state.server),
                    ..SignIn::default()
                },
            };
            form.busy = false;
            form.focus = 1;
            state.screen = Screen::SignIn(form);
            vec![]
        }
    }
}

/// The server cannot be reached, but this desk knows the agent: it works from
/// the local cache, and the outbox sends what is confirmed once it is back.
fn started_offline(state: &mut AppState, agent: Agent, reason: String) -> Vec<Effect> {
    state.notify(
        Level::Warning,
        format!(
            "Working offline as {}: the server cannot be reached ({reason}). Saved \
             customers open; what you confirm is sent when it is back.",
            agent.name
        ),
    );
    state.connection = Connection::Offline(reason);
    let effects = start(state, agent);
    // The sync probes the server and says when it is back.
    [effects, vec![Effect::RetryNow]].concat()
}

/// The desk for a signed-in agent: reference data, the event stream, the local
/// cache, then the caller to pop, or a supervisor's queue board.
fn start(state: &mut AppState, agent: Agent) -> Vec<Effect> {
    let mut effects = vec![Effect::LoadRefData, Effect::Subscribe];
    if state.local == LocalCache::Opening {
        effects.push(Effect::OpenLocal {
            agent: agent.id.to_string(),
        });
    }
    state.agent = Some(agent);
    state.screen = Screen::Home;
    // Offline, only the local cache can find the caller: the pop waits until
    // it is open.
    let offline = matches!(state.connection, Connection::Offline(_));
    let pop_now = !(offline && state.local == LocalCache::Opening);
    if let Some(number) = state.pop_on_start.take_if(|_| pop_now) {
        effects.extend(pop(state, &number));
    } else if boards::update::allowed(state) {
        // A supervisor starts on the queue board, knowing what waits.
        effects.extend(boards::update::open(state, BoardKind::Queues));
        effects.push(Effect::LoadApprovals);
    }
    effects
}

pub(crate) fn failed(state: &mut AppState, failure: Failure) -> Vec<Effect> {
    match failure {
        Failure::Unreachable(m) => {
            state.notify(Level::Error, format!("Server unreachable: {m}"));
            state.connection = Connection::Offline(m);
        }
        Failure::Unauthenticated(m) => {
            state.notify(Level::Error, format!("Signed out by the server: {m}"));
        }
        Failure::Retry(m) => {
            state.notify(Level::Error, m.clone());
            state.connection = Connection::Degraded(m);
        }
        Failure::Refused(m) => state.notify(Level::Error, m),
    }
    vec![]
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
