//! How the supervisor's boards change: opening one (a supervisor only), keys
//! on a board, the server's answers, the floor's events that keep the boards
//! live, and approving or denying with a note. Called from `tui::update`; no
//! I/O.

use super::{approval_key, BoardKind, Boards, DecisionPrompt};
use crate::api::{
    AgentBoard, Approval, ApprovalDecision, Decision, FloorEvent, NewDecision, QueueBoard,
};
use crate::domain::Role;
use crate::tui::action::{Effect, Reply};
use crate::tui::keymap::Command;
use crate::tui::state::{AppState, Level, Overlay, Screen, TextInput};
use crate::tui::update::{failed, open_customer, step};

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
    state.screen = Screen::Board(kind);
    // The stream's agent changes count from now, even before the snapshot.
    if kind == BoardKind::Agents && state.boards.agents.is_none() {
        state.boards.agents = Some(Vec::new());
    }
    vec![load(kind)]
}

fn load(kind: BoardKind) -> Effect {
    match kind {
        BoardKind::Queues => Effect::LoadQueues,
        BoardKind::Agents => Effect::LoadAgentBoard,
        BoardKind::Approvals => Effect::LoadApprovals,
    }
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
        Command::Refresh => vec![load(kind)],
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
            .map(|a| (a.customer_id, a.customer_name.clone())),
        BoardKind::Agents => {
            let rows = state.boards.agent_rows(state.now);
            let keys: Vec<String> = rows.iter().map(|a| a.agent_id.to_string()).collect();
            let at = state.boards.cursor(kind, &keys);
            rows.get(at)
                .and_then(|a| Some((a.customer_id?, a.customer_name.clone()?)))
        }
        BoardKind::Queues => None,
    };
    let Some((id, name)) = target else {
        return vec![];
    };
    let summary = crate::api::CustomerSummary {
        id,
        name,
        account_number: String::new(),
        phones: vec![],
        emails: vec![],
        segment: crate::domain::Segment::Standard,
    };
    let effects = open_customer(state, summary, None);
    if let Some(view) = state.customer.as_mut() {
        view.from_board = Some(kind);
    }
    effects
}

/// `approve` or `deny` on the approvals board: asks for the note.
fn prompt(state: &mut AppState, decision: Decision) -> Vec<Effect> {
    if state.screen != Screen::Board(BoardKind::Approvals) {
        return vec![];
    }
    let Some(approval) = state.boards.selected_approval() else {
        state.notify(Level::Info, "Nothing is waiting for a decision");
        return vec![];
    };
    let prompt = DecisionPrompt {
        kind: approval.kind,
        id: approval.id,
        decision,
        about: about(approval),
        note: TextInput::default(),
        key: uuid::Uuid::new_v4().to_string(),
    };
    state.overlay = Some(Overlay::Decision(prompt));
    vec![]
}

/// What an approval asks, e.g. "Fee waiver of $75.00 for Dana Ito".
pub fn about(a: &Approval) -> String {
    match &a.amount {
        Some(amount) => format!("{} of {amount} for {}", a.kind.label(), a.customer_name),
        None => format!("{} for {}", a.kind.label(), a.customer_name),
    }
}

/// Enter in the decision prompt: sends it, unless a denial has no reason.
pub fn send(state: &mut AppState, prompt: DecisionPrompt) -> Vec<Effect> {
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
    let effect = Effect::Decide {
        key: prompt.key.clone(),
        kind: prompt.kind,
        id: prompt.id,
        body: NewDecision {
            decision: prompt.decision,
            note: prompt.note.text.trim().to_string(),
        },
    };
    state.boards.deciding.retain(|p| p.key != prompt.key);
    state.boards.deciding.push(prompt);
    vec![effect]
}

/// The server's answer to a decision. Refused or unsent, the prompt comes back
/// with its note (and key, so a retry cannot decide twice).
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
        Err(failure) => {
            let text = format!("Not decided: {}", failure.text());
            failed(state, failure);
            state.notify(Level::Error, format!("{text} (enter sends it again)"));
            if state.overlay.is_none() {
                state.overlay = Some(Overlay::Decision(prompt));
            }
            vec![]
        }
    }
}

fn remove_approval(boards: &mut Boards, d: &ApprovalDecision) {
    if let Some(list) = boards.approvals.as_mut() {
        list.retain(|a| !(a.kind == d.kind && a.id == d.id));
    }
}

pub fn queues_loaded(state: &mut AppState, reply: Reply<QueueBoard>) -> Vec<Effect> {
    match reply {
        Ok(board) => {
            state.boards.queues = Some(board);
            vec![]
        }
        Err(failure) => failed(state, failure),
    }
}

/// The agent board's snapshot. A state change the stream brought while it was
/// on its way is newer than the snapshot's row for that agent, and is kept.
pub fn agents_loaded(state: &mut AppState, reply: Reply<AgentBoard>) -> Vec<Effect> {
    match reply {
        Ok(mut board) => {
            let seen = state.boards.agents.take().unwrap_or_default();
            for row in &mut board.agents {
                if let Some(newer) = seen
                    .iter()
                    .find(|s| s.agent_id == row.agent_id && s.since > row.since)
                {
                    *row = newer.clone();
                }
            }
            state.boards.wrap_up_limit_s = board.wrap_up_limit_s;
            state.boards.agents = Some(board.agents);
            vec![]
        }
        Err(failure) => failed(state, failure),
    }
}

pub fn approvals_loaded(state: &mut AppState, reply: Reply<Vec<Approval>>) -> Vec<Effect> {
    match reply {
        Ok(list) => {
            state.boards.approvals = Some(list);
            vec![]
        }
        Err(failure) => failed(state, failure),
    }
}

/// An event from the stream (already sanitised), for the boards. Boards not
/// loaded yet ignore what they would load anyway; a resync reloads the ones
/// that are.
pub fn on_event(state: &mut AppState, event: &FloorEvent) -> Vec<Effect> {
    if !allowed(state) {
        return vec![];
    }
    let boards = &mut state.boards;
    match event {
        FloorEvent::QueueStats(board) => boards.queues = Some(board.clone()),
        FloorEvent::AgentState(status) => {
            if let Some(agents) = boards.agents.as_mut() {
                match agents.iter_mut().find(|a| a.agent_id == status.agent_id) {
                    Some(row) => *row = status.clone(),
                    None => agents.push(status.clone()),
                }
            }
        }
        FloorEvent::ApprovalRequested(approval) => {
            if let Some(list) = boards.approvals.as_mut() {
                let key = approval_key(approval);
                if !list.iter().any(|a| approval_key(a) == key) {
                    list.push(approval.clone());
                }
            }
        }
        FloorEvent::ApprovalDecided(decision) => remove_approval(boards, decision),
        FloorEvent::Resync(_) => {
            let mut effects = vec![Effect::LoadQueues];
            if boards.agents.is_some() {
                effects.push(Effect::LoadAgentBoard);
            }
            if boards.approvals.is_some() {
                effects.push(Effect::LoadApprovals);
            }
            return effects;
        }
        FloorEvent::ContactOffered(_) => {}
    }
    vec![]
}
