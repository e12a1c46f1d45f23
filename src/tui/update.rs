//! `update`: the only place the desk's state changes, and the one place that
//! routes. An action goes to the feature it belongs to; a key goes through
//! the keymap to a command, and a command to the feature of what is in front
//! of the agent, in this order: the open form, the sign-in screen, the open
//! board, then the overlay or screen. No I/O: it returns the effects to run,
//! and their results come back later as actions. Features never call back
//! into this file.

use crate::tui::action::{Action, Effect, Failure};
use crate::tui::boards::model::BoardKind;
use crate::tui::boards::update as boards;
use crate::tui::clock;
use crate::tui::floor::calls;
use crate::tui::floor::update as floor;
use crate::tui::forms::model::FormKind;
use crate::tui::forms::restore::restore_drafts;
use crate::tui::forms::update as forms;
use crate::tui::keymap::{Command, KeyChord, Mode, Resolution};
use crate::tui::nav;
use crate::tui::offline::update as offline;
use crate::tui::overlays;
use crate::tui::palette::update as palette;
use crate::tui::search::pop as screen_pop;
use crate::tui::search::update as search;
use crate::tui::session::failure::failed;
use crate::tui::session::model::Connection;
use crate::tui::session::update as session;
use crate::tui::state::{AppState, Level, Overlay, Screen};
use crate::tui::typing;
use crate::tui::workspace::model::Focus;
use crate::tui::workspace::timeline;
use crate::tui::workspace::update as workspace;
use crossterm::event::{KeyEvent, KeyEventKind};

pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) => on_key(state, key),
        Action::Paste(_) if typing::form_hidden(state) => typing::refuse_unseen(state),
        Action::Paste(text) => typing::paste(state, &text),
        Action::Resize(w, h) => {
            state.size = (w, h);
            timeline::keep_selection_visible(state);
            vec![]
        }
        Action::Tick(now) => {
            clock::tick(state, now);
            vec![]
        }
        Action::RefDataLoaded(reply) => match reply {
            Ok(refdata) => {
                state.refdata = Some(refdata);
                restore_drafts(state);
                vec![]
            }
            // The saved copy serves; the title bar says the link is down.
            Err(Failure::Unreachable(m)) if state.refdata.is_some() => {
                state.connection = Connection::Offline(m);
                vec![]
            }
            Err(failure) => failed(state, failure),
        },
        Action::Submitted { key, reply } => forms::submitted(state, &key, reply),
        Action::SignedIn(reply) => session::signed_in(state, reply),
        Action::StartedOffline { agent, reason } => session::started_offline(state, agent, reason),
        Action::SearchResults { request, reply } => search::search_results(state, request, reply),
        Action::PopResults {
            request,
            query,
            reply,
        } => screen_pop::pop_results(state, request, query, reply),
        Action::OrganisationLoaded { request, id, reply } => {
            workspace::organisation_loaded(state, request, id, reply)
        }
        Action::CustomerLoaded {
            request,
            id,
            reply,
            cached_at,
        } => workspace::customer_loaded(state, request, id, reply, cached_at),
        Action::TimelineLoaded {
            request,
            id,
            append,
            reply,
        } => workspace::timeline_loaded(state, request, id, append, reply),
        Action::SuggestionsLoaded { request, id, reply } => {
            workspace::suggestions_loaded(state, request, id, reply)
        }
        Action::LocalOpened(opened) => offline::local_opened(state, opened),
        Action::Floor(event) => floor::on_event(state, event),
        Action::FloorStreamDown => {
            state.floor.streaming = false;
            vec![]
        }
        Action::ServerInUse(server) => {
            if state.server_in_use.as_ref().is_some_and(|s| *s != server) {
                state.notify(Level::Info, format!("Now connected to {server}"));
            }
            state.server_in_use = Some(server);
            vec![]
        }
        Action::StateSet(reply) => floor::state_set(state, reply),
        Action::CallCommanded(reply) => calls::commanded(state, reply),
        Action::CustomerWritten(reply) => screen_pop::written(state, reply),
        Action::QueuesLoaded(reply) => boards::queues_loaded(state, reply),
        Action::AgentBoardLoaded(reply) => boards::agents_loaded(state, reply),
        Action::ApprovalsLoaded(reply) => boards::approvals_loaded(state, reply),
        Action::FunnelLoaded { segment, reply } => boards::funnel_loaded(state, segment, reply),
        Action::ModelsLoaded(reply) => boards::models_loaded(state, reply),
        Action::Decided { key, reply } => boards::decided(state, &key, reply),
        Action::Saved { key, waiting } => offline::saved(state, &key, waiting),
        Action::Outbox(view) => offline::outbox(state, view),
        Action::Link {
            connection,
            retry_at,
        } => offline::link(state, connection, retry_at),
    }
}

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
    if typing::form_hidden(state) && !leaves(&resolution) {
        state.pending_keys.clear();
        return typing::refuse_unseen(state);
    }
    match resolution {
        Resolution::Command(command) => {
            state.pending_keys.clear();
            if mode == Mode::Form {
                if let Some(effects) = forms::command(state, command) {
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
            if mode.takes_text() && !was_pending {
                typing::type_key(state, key)
            } else {
                vec![]
            }
        }
    }
}

/// Keys that leave or ask (quit, back, cancel, help) work whatever the size.
fn leaves(resolution: &Resolution) -> bool {
    matches!(
        resolution,
        Resolution::Command(Command::Quit | Command::Back | Command::Cancel | Command::Help)
    )
}

/// A command, to the feature of what is in front of the agent (a key's
/// command went to the open form first).
fn on_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    if let Some(edit) = command.edit() {
        return typing::edit(state, edit);
    }
    // The terminal's business, on every screen: the run loop does it.
    if command == Command::Redraw {
        state.redraw = true;
        return vec![];
    }
    if let Screen::SignIn(_) = state.screen {
        return session::sign_in_command(state, command);
    }
    if let (Screen::Board(kind), None) = (&state.screen, &state.overlay) {
        if let Some(effects) = boards::command(state, *kind, command) {
            return effects;
        }
    }
    match command {
        Command::Quit => nav::quit(state),
        Command::Back | Command::Cancel => nav::back(state),
        Command::Help => overlays::toggle_help(state),
        Command::CommandPalette => overlays::open_palette(state),
        Command::Pop => overlays::open_pop(state),
        Command::Search => search::open_search(state),
        Command::Open | Command::Submit => enter(state),
        Command::Next => move_by(state, 1),
        Command::Prev => move_by(state, -1),
        Command::PageDown => move_by(state, timeline::page(state) as isize),
        Command::PageUp => move_by(state, -(timeline::page(state) as isize)),
        Command::Top => move_by(state, isize::MIN / 2),
        Command::Bottom => move_by(state, isize::MAX / 2),
        Command::FocusNext | Command::FocusPrev => match state.overlay.as_mut() {
            Some(Overlay::Transfer(prompt)) => {
                calls::toggle_warm(prompt);
                vec![]
            }
            Some(Overlay::NewCustomer(prompt)) => {
                screen_pop::next_field(prompt);
                vec![]
            }
            _ => workspace::toggle_focus(state),
        },
        Command::FilterChannel => timeline::filter_by_channel(state),
        Command::FilterKind => timeline::filter_by_kind(state),
        Command::ClearFilter => timeline::clear_filters(state),
        Command::FilterText => workspace::edit_filter(state),
        Command::Expand => workspace::toggle_expanded(state),
        Command::AccountTimeline => timeline::toggle_account(state),
        Command::Account => overlays::toggle_account(state),
        Command::ActingFor => overlays::open_acting_for(state),
        Command::WhyNot => overlays::toggle_why_not(state),
        Command::Refresh => {
            let mut effects = workspace::refresh(state);
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
            forms::act_on_suggestion_number(state, command.suggestion_number().unwrap_or(1))
        }
        Command::LogInteraction => forms::open(state, FormKind::Log, None),
        Command::Escalate => forms::open(state, FormKind::Escalate, None),
        Command::WaiveFee => forms::open(state, FormKind::Waive, None),
        // Editing keys went to the focused text above; snippets and the
        // exact request are for forms.
        Command::CursorLeft
        | Command::CursorRight
        | Command::WordLeft
        | Command::WordRight
        | Command::LineStart
        | Command::LineEnd
        | Command::DeleteBack
        | Command::DeleteForward
        | Command::DeleteWord
        | Command::ClearLine
        | Command::Undo
        | Command::Redo
        | Command::Snippet
        | Command::ShowWire => vec![],
        Command::SetState => floor::open_states(state),
        Command::Hold => calls::toggle_hold(state),
        Command::HangUp => calls::ask_hang_up(state),
        Command::Transfer => calls::open_transfer(state),
        Command::GoToCall => floor::go_to_call(state),
        Command::QueueBoard => boards::open(state, BoardKind::Queues),
        Command::AgentBoard => boards::open(state, BoardKind::Agents),
        Command::Approvals => boards::open(state, BoardKind::Approvals),
        Command::DecisionsBoard => boards::open(state, BoardKind::Decisions),
        // Board commands mean something only on a board (handled above).
        Command::Approve | Command::Deny | Command::Sort | Command::NextSegment => vec![],
        // Handled above, on every screen.
        Command::Redraw => vec![],
    }
}

/// Enter: on the overlay if one is open, else on the screen.
fn enter(state: &mut AppState) -> Vec<Effect> {
    match state.overlay.take() {
        Some(Overlay::Palette { input, selected }) => {
            match palette::chosen(state, &input.text, selected) {
                palette::Chosen::Sent(effects) => effects,
                palette::Chosen::Command(command) => on_command(state, command),
                palette::Chosen::Nothing => vec![],
            }
        }
        Some(overlay) => overlays::enter(state, overlay),
        None => match state.screen {
            Screen::Search => match state.search.adding_number.clone() {
                Some(number) => screen_pop::add_to_selected(state, number),
                None => search::open_selected(state),
            },
            Screen::Home => match state.recent.first().cloned() {
                Some(summary) => workspace::open_customer(state, summary, None),
                None => vec![],
            },
            Screen::Customer => match state.customer.as_ref() {
                // On the suggestions, enter acts on the selected one.
                Some(view) if view.focus == Focus::Suggestions && !view.editing_filter => {
                    let n = u8::try_from(view.selected_suggestion + 1).unwrap_or(u8::MAX);
                    forms::act_on_suggestion_number(state, n)
                }
                _ => workspace::enter(state),
            },
            Screen::SignIn(_) | Screen::Board(_) => vec![],
        },
    }
}

/// Arrows and paging: in the overlay if one is open, else the screen's list.
fn move_by(state: &mut AppState, delta: isize) -> Vec<Effect> {
    if overlays::move_by(state, delta) {
        return vec![];
    }
    match state.screen {
        Screen::Search => search::move_by(state, delta),
        Screen::Customer => timeline::move_by(state, delta),
        _ => vec![],
    }
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
