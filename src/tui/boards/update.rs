//! How the supervisor's boards change: opening one (a supervisor only), keys
//! on a board, the server's answers, the floor's events that keep the boards
//! live, approving or denying with a note, and the decisions board's segment.
//! Called from `tui::update`; no I/O.

use crate::api::{
    AgentBoard, AgentStatus, Approval, ApprovalDecision, Decision, FloorEvent, Funnel, Models,
    NewDecision, QueueBoard,
};
use crate::domain::{Role, Segment};
use crate::tui::action::{Effect, Failure, Reply};
use crate::tui::boards::decisions::{next_segment, suppressions};
use crate::tui::boards::model::{
    about, approval_key, BoardKind, Boards, DecisionPrompt, SinceAsked,
};
use crate::tui::input::TextInput;
use crate::tui::keymap::Command;
use crate::tui::list::step;
use crate::tui::session::failure::failed;
use crate::tui::session::model::Connection;
use crate::tui::state::{AppState, Level, Overlay, Place, Screen};
use crate::tui::workspace::update::{open_customer, summary_for};

/// Whether the signed-in person may see the boards.
pub fn allowed(state: &AppState) -> bool {
    state
        .agent
        .as_ref()
        .is_some_and(|a| a.role == Role::Supervisor)
}

/// Opens a board, loading what it shows (and keeping what was there on screen
/// until the answer comes).
pub fn open(state: &mut AppState, kind: BoardKind) -> Vec<Effect> {
    if !allowed(state) {
        state.notify(
            Level::Warning,
            format!(
                "The {} board is for supervisors; you are signed in as an agent",
                kind.title().to_lowercase()
            ),
        );
        return vec![];
    }
    state.overlay = None;
    state.leave_here(&Place::Board(kind));
    state.screen = Screen::Board(kind);
    for other in BoardKind::ALL {
        state.boards.view_mut(other).editing_filter = false;
    }
    pin_cursor(state);
    vec![load(&mut state.boards, kind)]
}

/// Asks for a board's snapshot, noting from now what the stream changes.
pub fn load(boards: &mut Boards, kind: BoardKind) -> Effect {
    match kind {
        BoardKind::Queues => Effect::LoadQueues,
        BoardKind::Agents => {
            boards.agents_asked = Some(SinceAsked::default());
            Effect::LoadAgentBoard
        }
        BoardKind::Approvals => {
            boards.approvals_asked = Some(SinceAsked::default());
            Effect::LoadApprovals
        }
        BoardKind::Decisions => Effect::LoadFunnel {
            segment: boards.segment,
        },
    }
}

/// Puts the cursor of the board on screen on a row, so that it stays on that
/// row when the board reorders.
fn pin_cursor(state: &mut AppState) {
    let Screen::Board(kind) = state.screen else {
        return;
    };
    if state.boards.view(kind).selected.is_some() {
        return;
    }
    let first = state.boards.keys(kind, state.now).into_iter().next();
    state.boards.view_mut(kind).selected = first;
}

/// A command on a board; `None` when the board leaves it to the desk (help,
/// quit, search, switching boards…).
pub fn command(state: &mut AppState, kind: BoardKind, command: Command) -> Option<Vec<Effect>> {
    let page = crate::tui::layout::board_rows(state.size.0, state.size.1).max(1) as isize;
    Some(match command {
        Command::Next => move_cursor(state, kind, 1),
        Command::Prev => move_cursor(state, kind, -1),
        Command::PageDown => move_cursor(state, kind, page),
        Command::PageUp => move_cursor(state, kind, -page),
        Command::Top => move_cursor(state, kind, isize::MIN / 2),
        Command::Bottom => move_cursor(state, kind, isize::MAX / 2),
        Command::Sort => {
            let label = match kind {
                BoardKind::Queues => {
                    state.boards.next_queue_sort();
                    state.boards.queue_sort.label()
                }
                BoardKind::Agents => {
                    state.boards.next_agent_sort();
                    state.boards.agent_sort.label()
                }
                BoardKind::Approvals => "oldest first (the only order)",
                BoardKind::Decisions => "most shown first (the only order)",
            };
            state.notify(Level::Info, format!("Sorted by {label}"));
            vec![]
        }
        Command::FilterText => {
            state.boards.view_mut(kind).editing_filter = true;
            vec![]
        }
        Command::ClearFilter => {
            let view = state.boards.view_mut(kind);
            view.filter = TextInput::default();
            view.editing_filter = false;
            vec![]
        }
        Command::Submit | Command::Cancel if state.boards.view(kind).editing_filter => {
            let view = state.boards.view_mut(kind);
            view.editing_filter = false;
            if command == Command::Cancel {
                view.filter = TextInput::default();
            }
            vec![]
        }
        Command::Refresh => {
            let mut effects = vec![load(&mut state.boards, kind)];
            if state.connection != Connection::Online {
                effects.push(Effect::RetryNow);
            }
            effects
        }
        Command::NextSegment if kind == BoardKind::Decisions => {
            state.boards.segment = next_segment(state.boards.segment);
            vec![load(&mut state.boards, kind)]
        }
        Command::Open if kind == BoardKind::Decisions => show_suppressions(state),
        Command::Approve => prompt(state, Decision::Approve),
        Command::Deny => prompt(state, Decision::Deny),
        Command::Open => open_selected(state, kind),
        _ => return None,
    })
}

fn move_cursor(state: &mut AppState, kind: BoardKind, delta: isize) -> Vec<Effect> {
    let keys = state.boards.keys(kind, state.now);
    let at = step(state.boards.cursor(kind, &keys), delta, keys.len());
    state.boards.view_mut(kind).selected = keys.get(at).cloned();
    vec![]
}

/// Enter on a board: the customer of the approval, or the customer the agent
/// is talking to, with the way back to the board.
fn open_selected(state: &mut AppState, kind: BoardKind) -> Vec<Effect> {
    let target = match kind {
        BoardKind::Approvals => state
            .boards
            .selected_approval()
            .map(|a| (a.customer_id, Some(a.customer_name.clone()))),
        BoardKind::Agents => state
            .boards
            .selected_agent(state.now)
            .and_then(|a| Some((a.customer_id?, a.customer_name.clone()))),
        BoardKind::Queues | BoardKind::Decisions => None,
    };
    let Some((id, name)) = target else {
        return vec![];
    };
    let summary = summary_for(state, id, name.as_deref());
    open_customer(state, summary, None)
}

/// Enter on the decisions board: every rule that kept the action back, on
/// the status line (which takes two rows when it needs them).
fn show_suppressions(state: &mut AppState) -> Vec<Effect> {
    let Some(row) = state.boards.selected_decision() else {
        return vec![];
    };
    let text = format!("{}: {}", row.name, suppressions(row));
    state.notify(Level::Info, text);
    vec![]
}

/// `approve` or `deny` on the approvals board: asks for the note.
fn prompt(state: &mut AppState, decision: Decision) -> Vec<Effect> {
    if state.screen != Screen::Board(BoardKind::Approvals) {
        return vec![];
    }
    let Some(approval) = state.boards.selected_approval().cloned() else {
        state.notify(Level::Info, "Nothing is waiting for a decision");
        return vec![];
    };
    let same = |p: &DecisionPrompt| p.kind == approval.kind && p.id == approval.id;
    if state.boards.deciding.iter().any(same) {
        state.notify(Level::Info, "Your decision on this is being sent");
        return vec![];
    }
    // A decision that did not get through comes back with its note and key.
    let prompt = match state.boards.unsent.take() {
        Some(mut unsent) if same(&unsent) => {
            unsent.decision = decision;
            unsent
        }
        _ => DecisionPrompt {
            key: state.new_key(),
            kind: approval.kind,
            id: approval.id,
            decision,
            about: about(&approval),
            note: TextInput::default(),
            sent_note: None,
        },
    };
    state.overlay = Some(Overlay::Decision(prompt));
    vec![]
}

/// Enter in the decision prompt: sends it, unless a denial has no reason. The
/// key is kept for a resend of the same decision and note, so the server
/// decides once; anything else changed is a new request with a new key.
pub fn send(state: &mut AppState, mut prompt: DecisionPrompt) -> Vec<Effect> {
    if prompt.decision == Decision::Deny && prompt.note.text.trim().is_empty() {
        state.notify(
            Level::Warning,
            "Say why it is denied: the agent reads your note",
        );
        state.overlay = Some(Overlay::Decision(prompt));
        return vec![];
    }
    let verb = match prompt.decision {
        Decision::Approve => "Approving",
        Decision::Deny => "Denying",
    };
    state.notify(Level::Info, format!("{verb}: {}…", prompt.about));
    let body = NewDecision {
        decision: prompt.decision,
        note: prompt.note.text.trim().to_string(),
    };
    let sent = format!("{}:{}", body.decision.as_str(), body.note);
    if prompt.sent_note.as_ref().is_some_and(|s| *s != sent) {
        prompt.key = state.new_key();
    }
    prompt.sent_note = Some(sent);
    let effect = Effect::Decide {
        key: prompt.key.clone(),
        kind: prompt.kind,
        id: prompt.id,
        body,
    };
    state.boards.deciding.retain(|p| p.key != prompt.key);
    state.boards.deciding.push(prompt);
    vec![effect]
}

/// The server's answer to a decision. One that did not get through comes back
/// with its note and key (a retry cannot decide twice); one the server refused
/// (decided by someone else, say) is dropped and the approvals reloaded.
pub fn decided(state: &mut AppState, key: &str, reply: Reply<ApprovalDecision>) -> Vec<Effect> {
    let Some(at) = state.boards.deciding.iter().position(|p| p.key == key) else {
        return vec![];
    };
    let prompt = state.boards.deciding.remove(at);
    match reply {
        Ok(decision) => {
            remove_approval(&mut state.boards, &decision);
            let done = match decision.decision {
                Decision::Approve => "Approved",
                Decision::Deny => "Denied",
            };
            state.notify(Level::Success, format!("{done}: {}", prompt.about));
            vec![]
        }
        Err(failure @ (Failure::Unreachable(_) | Failure::Retry(_))) => {
            let text = format!("Not sent: {}", failure.text());
            failed(state, failure);
            if state.overlay.is_none() {
                state.notify(Level::Error, format!("{text} (enter sends it again)"));
                state.overlay = Some(Overlay::Decision(prompt));
            } else {
                state.notify(
                    Level::Error,
                    format!("{text} (kept: approve or deny again)"),
                );
                state.boards.unsent = Some(prompt);
            }
            vec![]
        }
        Err(failure) => {
            let text = format!("Not decided: {}", failure.text());
            failed(state, failure);
            state.notify(Level::Error, text);
            vec![load(&mut state.boards, BoardKind::Approvals)]
        }
    }
}

fn remove_approval(boards: &mut Boards, d: &ApprovalDecision) {
    if let Some(list) = boards.approvals.as_mut() {
        list.retain(|a| !(a.kind == d.kind && a.id == d.id));
    }
}

/// The queue board's snapshot, unless the stream has brought a newer one.
pub fn queues_loaded(state: &mut AppState, reply: Reply<QueueBoard>) -> Vec<Effect> {
    match reply {
        Ok(board) => {
            let boards = &mut state.boards;
            if boards
                .queues
                .as_ref()
                .is_none_or(|b| b.generated_at <= board.generated_at)
            {
                boards.queues = Some(board);
            }
            pin_cursor(state);
            vec![]
        }
        Err(failure) => failed(state, failure),
    }
}

/// The agent board's snapshot, with the state changes the stream brought
/// while it was on its way.
pub fn agents_loaded(state: &mut AppState, reply: Reply<AgentBoard>) -> Vec<Effect> {
    let since = state.boards.agents_asked.take().unwrap_or_default();
    match reply {
        Ok(mut board) => {
            for status in since.agents {
                upsert(&mut board.agents, status);
            }
            state.boards.wrap_up_limit_s = board.wrap_up_limit_s;
            state.boards.agents = Some(board.agents);
            pin_cursor(state);
            vec![]
        }
        Err(failure) => failed(state, failure),
    }
}

/// The approvals' snapshot, with what the stream asked for or decided while
/// it was on its way.
pub fn approvals_loaded(state: &mut AppState, reply: Reply<Vec<Approval>>) -> Vec<Effect> {
    let since = state.boards.approvals_asked.take().unwrap_or_default();
    match reply {
        Ok(mut list) => {
            for approval in since.requested {
                add_approval(&mut list, approval);
            }
            list.retain(|a| !since.decided.contains(&approval_key(a)));
            state.boards.approvals = Some(list);
            pin_cursor(state);
            vec![]
        }
        Err(failure) => failed(state, failure),
    }
}

/// The decision funnel for `segment`. An answer for a segment no longer
/// asked for is dropped; a failure keeps the funnel on screen and goes back
/// to its segment, so the header never names a segment it does not show.
pub fn funnel_loaded(
    state: &mut AppState,
    segment: Option<Segment>,
    reply: Reply<Funnel>,
) -> Vec<Effect> {
    let asked = state.boards.segment == segment;
    match reply {
        Ok(funnel) if asked && funnel.segment == segment => {
            state.boards.funnel = Some(funnel);
            pin_cursor(state);
            // The models of the same moment, for the detail.
            vec![Effect::LoadModels]
        }
        Ok(_) => vec![],
        Err(failure) => {
            if let (true, Some(shown)) = (asked, &state.boards.funnel) {
                state.boards.segment = shown.segment;
            }
            failed(state, failure)
        }
    }
}

/// What the models learned. A failure keeps the models on screen (or none)
/// and is said, as for the funnel.
pub fn models_loaded(state: &mut AppState, reply: Reply<Models>) -> Vec<Effect> {
    match reply {
        Ok(models) => {
            state.boards.models = Some(models);
            vec![]
        }
        Err(failure) => failed(state, failure),
    }
}

fn upsert(agents: &mut Vec<AgentStatus>, status: AgentStatus) {
    match agents.iter_mut().find(|a| a.agent_id == status.agent_id) {
        Some(row) => *row = status,
        None => agents.push(status),
    }
}

fn add_approval(list: &mut Vec<Approval>, approval: Approval) {
    let key = approval_key(&approval);
    if !list.iter().any(|a| approval_key(a) == key) {
        list.push(approval);
    }
}

/// An event from the stream (already sanitised), for the boards: applied to
/// the boards loaded and to the snapshots on their way. A resync reloads
/// every board the desk holds.
pub fn on_event(state: &mut AppState, event: &FloorEvent) -> Vec<Effect> {
    if !allowed(state) {
        return vec![];
    }
    let boards = &mut state.boards;
    match event {
        FloorEvent::QueueStats(board) => boards.queues = Some(board.clone()),
        FloorEvent::AgentState(status) => {
            if let Some(agents) = boards.agents.as_mut() {
                upsert(agents, status.clone());
            }
            if let Some(since) = boards.agents_asked.as_mut() {
                upsert(&mut since.agents, status.clone());
            }
        }
        FloorEvent::ApprovalRequested(approval) => {
            if let Some(list) = boards.approvals.as_mut() {
                add_approval(list, approval.clone());
            }
            if let Some(since) = boards.approvals_asked.as_mut() {
                since.requested.push(approval.clone());
            }
        }
        FloorEvent::ApprovalDecided(decision) => {
            remove_approval(boards, decision);
            if let Some(since) = boards.approvals_asked.as_mut() {
                since
                    .decided
                    .push(format!("{}:{}", decision.kind.as_str(), decision.id));
            }
        }
        FloorEvent::Resync(_) => {
            let mut effects = vec![load(boards, BoardKind::Queues)];
            if boards.agents.is_some() {
                effects.push(load(boards, BoardKind::Agents));
            }
            if boards.approvals.is_some() {
                effects.push(load(boards, BoardKind::Approvals));
            }
            return effects;
        }
        FloorEvent::ContactOffered(_) | FloorEvent::CallCommand(_) => {}
    }
    pin_cursor(state);
    vec![]
}
