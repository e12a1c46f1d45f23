//! The boards' model: what each board lists and in what order (sort and
//! filter), and which rows need the supervisor's eye. Plain data; `update`
//! changes it and `view::boards` draws it. The decisions board's rows and
//! cells are in `decisions`.

use crate::api::{
    AgentStatus, Approval, ApprovalKind, Decision, Funnel, Models, QueueBoard, QueueStats,
};
use crate::domain::{AgentState, Segment};
use crate::tui::input::TextInput;
use chrono::{DateTime, Utc};

/// A contact is long from twice its queue's average handle time today, but
/// never under this many seconds.
const LONG_CONTACT_MIN_S: i64 = 5 * 60;
/// A contact is long from this many seconds while its queue has no AHT yet.
const LONG_CONTACT_DEFAULT_S: i64 = 10 * 60;
/// The wrap-up limit assumed until the agent board has said it.
pub const DEFAULT_WRAP_UP_LIMIT_S: u32 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardKind {
    Queues,
    Agents,
    Approvals,
    Decisions,
}

impl BoardKind {
    pub const ALL: [BoardKind; 4] = [
        BoardKind::Queues,
        BoardKind::Agents,
        BoardKind::Approvals,
        BoardKind::Decisions,
    ];

    pub fn title(&self) -> &'static str {
        match self {
            BoardKind::Queues => "Queues",
            BoardKind::Agents => "Agents",
            BoardKind::Approvals => "Approvals",
            BoardKind::Decisions => "Decisions",
        }
    }

    fn index(&self) -> usize {
        match self {
            BoardKind::Queues => 0,
            BoardKind::Agents => 1,
            BoardKind::Approvals => 2,
            BoardKind::Decisions => 3,
        }
    }
}

/// How the queue board is ordered; `sort` cycles through them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QueueSort {
    /// Queues missing their target first, then the longest waits.
    #[default]
    Attention,
    Name,
    Waiting,
    ServiceLevel,
}

impl QueueSort {
    const ALL: [QueueSort; 4] = [
        QueueSort::Attention,
        QueueSort::Name,
        QueueSort::Waiting,
        QueueSort::ServiceLevel,
    ];

    pub fn label(&self) -> &'static str {
        match self {
            QueueSort::Attention => "below goal first",
            QueueSort::Name => "name",
            QueueSort::Waiting => "most waiting",
            QueueSort::ServiceLevel => "lowest service level",
        }
    }
}

/// How the agent board is ordered; `sort` cycles through them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AgentSort {
    /// Long contacts and wrap-ups first, then by state, longest in it first.
    #[default]
    Attention,
    State,
    Name,
}

impl AgentSort {
    const ALL: [AgentSort; 3] = [AgentSort::Attention, AgentSort::State, AgentSort::Name];

    pub fn label(&self) -> &'static str {
        match self {
            AgentSort::Attention => "long contacts first",
            AgentSort::State => "state",
            AgentSort::Name => "name",
        }
    }
}

/// The next of `all` after `current`, wrapping.
pub(super) fn cycle<T: Copy + PartialEq>(all: &[T], current: T) -> T {
    let i = all.iter().position(|x| *x == current).unwrap_or(0);
    all[(i + 1) % all.len()]
}

/// What the supervisor has done to one board: its text filter and the row the
/// cursor is on, by the row's key so live updates never move it to another.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoardView {
    pub filter: TextInput,
    pub editing_filter: bool,
    pub selected: Option<String>,
}

/// The approve-or-deny prompt: a note for the agent who asked. The key is the
/// decision's idempotency key, kept if it must be sent again.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionPrompt {
    pub kind: ApprovalKind,
    pub id: i64,
    pub decision: Decision,
    /// What is decided, e.g. "Fee waiver of $75.00 for Dana Ito".
    pub about: String,
    pub note: TextInput,
    pub key: String,
    /// What was last sent under `key` (decision and note): anything else
    /// sent needs a new key.
    pub sent_note: Option<String>,
}

/// What the stream changed while a snapshot was on its way, so the snapshot
/// (taken earlier) does not undo it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SinceAsked {
    pub agents: Vec<AgentStatus>,
    pub requested: Vec<Approval>,
    /// Approval keys decided.
    pub decided: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Boards {
    pub queues: Option<QueueBoard>,
    pub agents: Option<Vec<AgentStatus>>,
    pub wrap_up_limit_s: u32,
    pub approvals: Option<Vec<Approval>>,
    pub queue_sort: QueueSort,
    pub agent_sort: AgentSort,
    /// The decision funnel last loaded, and the segment asked for (`None`:
    /// every segment). The funnel says which segment it counts.
    pub funnel: Option<Funnel>,
    pub segment: Option<Segment>,
    /// What the decision models learned, loaded after each funnel.
    pub models: Option<Models>,
    views: [BoardView; 4],
    /// Decisions sent and not answered yet.
    pub deciding: Vec<DecisionPrompt>,
    /// A decision that could not reach the server, kept with its note and key
    /// for the next `approve` or `deny` on the same request.
    pub unsent: Option<DecisionPrompt>,
    /// Per board, set while its snapshot is asked for.
    pub agents_asked: Option<SinceAsked>,
    pub approvals_asked: Option<SinceAsked>,
}

impl Default for Boards {
    fn default() -> Boards {
        Boards {
            queues: None,
            agents: None,
            wrap_up_limit_s: DEFAULT_WRAP_UP_LIMIT_S,
            approvals: None,
            queue_sort: QueueSort::default(),
            agent_sort: AgentSort::default(),
            funnel: None,
            models: None,
            segment: None,
            views: Default::default(),
            deciding: Vec::new(),
            unsent: None,
            agents_asked: None,
            approvals_asked: None,
        }
    }
}

impl Boards {
    pub fn view(&self, kind: BoardKind) -> &BoardView {
        &self.views[kind.index()]
    }

    pub fn view_mut(&mut self, kind: BoardKind) -> &mut BoardView {
        &mut self.views[kind.index()]
    }

    /// The queues listed, in order.
    pub fn queue_rows(&self) -> Vec<&QueueStats> {
        let Some(board) = &self.queues else {
            return vec![];
        };
        let filter = self.view(BoardKind::Queues).filter.text.to_lowercase();
        let mut rows: Vec<&QueueStats> = board
            .queues
            .iter()
            .filter(|q| {
                matches(&filter, &[&q.queue.code, &q.queue.name])
                    || (filter == "!" && misses_target(q))
            })
            .collect();
        let name = |q: &QueueStats| q.queue.name.to_lowercase();
        match self.queue_sort {
            QueueSort::Name => rows.sort_by_cached_key(|q| name(q)),
            QueueSort::Waiting => rows.sort_by_cached_key(|q| {
                (
                    std::cmp::Reverse(q.waiting),
                    std::cmp::Reverse(wait_ms(q)),
                    name(q),
                )
            }),
            QueueSort::ServiceLevel => rows.sort_by_cached_key(|q| (service_level_key(q), name(q))),
            QueueSort::Attention => rows.sort_by_cached_key(|q| {
                (
                    !misses_target(q),
                    std::cmp::Reverse(wait_ms(q)),
                    std::cmp::Reverse(q.waiting),
                    name(q),
                )
            }),
        }
        rows
    }

    /// The agents listed, in order, as of `now`.
    pub fn agent_rows(&self, now: DateTime<Utc>) -> Vec<&AgentStatus> {
        let Some(agents) = &self.agents else {
            return vec![];
        };
        let filter = self.view(BoardKind::Agents).filter.text.to_lowercase();
        let mut rows: Vec<&AgentStatus> = agents
            .iter()
            .filter(|a| {
                matches(
                    &filter,
                    &[
                        &a.name,
                        a.state.label(),
                        a.reason.as_deref().unwrap_or(""),
                        a.queue.as_deref().unwrap_or(""),
                        a.customer_name.as_deref().unwrap_or(""),
                    ],
                ) || (filter == "!" && self.held_too_long(a, now).is_some())
            })
            .collect();
        let name = |a: &AgentStatus| a.name.to_lowercase();
        let longest = |a: &AgentStatus| std::cmp::Reverse(seconds_in_state(a, now));
        match self.agent_sort {
            AgentSort::Name => rows.sort_by_cached_key(|a| name(a)),
            AgentSort::State => {
                rows.sort_by_cached_key(|a| (state_order(a.state), longest(a), name(a)))
            }
            AgentSort::Attention => rows.sort_by_cached_key(|a| {
                (
                    self.held_too_long(a, now).is_none(),
                    state_order(a.state),
                    longest(a),
                    name(a),
                )
            }),
        }
        rows
    }

    /// The approvals listed, oldest first.
    pub fn approval_rows(&self) -> Vec<&Approval> {
        let filter = self.view(BoardKind::Approvals).filter.text.to_lowercase();
        self.approvals
            .iter()
            .flatten()
            .filter(|a| {
                matches(
                    &filter,
                    &[
                        &a.customer_name,
                        &a.agent_name,
                        a.kind.label(),
                        &a.reason_code,
                    ],
                )
            })
            .collect()
    }

    /// The keys of the rows `kind` lists, in order.
    pub fn keys(&self, kind: BoardKind, now: DateTime<Utc>) -> Vec<String> {
        match kind {
            BoardKind::Queues => self
                .queue_rows()
                .iter()
                .map(|q| q.queue.code.clone())
                .collect(),
            BoardKind::Agents => self
                .agent_rows(now)
                .iter()
                .map(|a| a.agent_id.to_string())
                .collect(),
            BoardKind::Approvals => self.approval_rows().into_iter().map(approval_key).collect(),
            BoardKind::Decisions => self
                .decision_rows()
                .iter()
                .map(|r| r.action.to_string())
                .collect(),
        }
    }

    /// Where the cursor is in `keys` (the first row when its row is gone).
    pub fn cursor(&self, kind: BoardKind, keys: &[String]) -> usize {
        self.view(kind)
            .selected
            .as_ref()
            .and_then(|k| keys.iter().position(|x| x == k))
            .unwrap_or(0)
    }

    /// The approval under the cursor.
    pub fn selected_approval(&self) -> Option<&Approval> {
        let rows = self.approval_rows();
        let keys: Vec<String> = rows.iter().map(|a| approval_key(a)).collect();
        rows.get(self.cursor(BoardKind::Approvals, &keys)).copied()
    }

    /// The agent under the cursor at `now`.
    pub fn selected_agent(&self, now: DateTime<Utc>) -> Option<&AgentStatus> {
        let rows = self.agent_rows(now);
        let keys: Vec<String> = rows.iter().map(|a| a.agent_id.to_string()).collect();
        rows.get(self.cursor(BoardKind::Agents, &keys)).copied()
    }

    /// Why an agent needs the supervisor's eye now: a long contact or a long
    /// wrap-up, in words; `None` when nothing stands out.
    pub fn held_too_long(&self, agent: &AgentStatus, now: DateTime<Utc>) -> Option<&'static str> {
        let seconds = seconds_in_state(agent, now);
        match agent.state {
            AgentState::OnContact => {
                let aht = agent.queue.as_deref().and_then(|code| self.aht_s(code));
                let limit = match aht {
                    Some(aht) => ((aht * 2.0) as i64).max(LONG_CONTACT_MIN_S),
                    None => LONG_CONTACT_DEFAULT_S,
                };
                (seconds > limit).then_some("LONG CALL")
            }
            AgentState::WrapUp => {
                (seconds > i64::from(self.wrap_up_limit_s) / 2).then_some("LONG WRAP")
            }
            _ => None,
        }
    }

    /// A queue's average handle time today, seconds.
    fn aht_s(&self, code: &str) -> Option<f64> {
        self.queues
            .as_ref()?
            .queues
            .iter()
            .find(|q| q.queue.code == code)?
            .today
            .aht_s
    }

    pub fn next_queue_sort(&mut self) {
        self.queue_sort = cycle(&QueueSort::ALL, self.queue_sort);
    }

    pub fn next_agent_sort(&mut self) {
        self.agent_sort = cycle(&AgentSort::ALL, self.agent_sort);
    }
}

/// The key of an approval row: kind and id.
pub fn approval_key(a: &Approval) -> String {
    format!("{}:{}", a.kind.as_str(), a.id)
}

/// Whether a queue's service level over the last 30 minutes is under its target.
pub fn misses_target(q: &QueueStats) -> bool {
    q.last_30_min
        .service_level_pct
        .is_some_and(|sl| sl < f64::from(q.queue.target_pct))
}

/// Whether the longest caller waiting now has waited past the queue's target.
pub fn waiting_past_target(q: &QueueStats) -> bool {
    q.longest_wait_s
        .is_some_and(|s| s > f64::from(q.queue.target_seconds))
}

/// Seconds the agent has been in their state at `now`.
pub fn seconds_in_state(agent: &AgentStatus, now: DateTime<Utc>) -> i64 {
    agent
        .since
        .map_or(0, |since| (now - since).num_seconds().max(0))
}

fn wait_ms(q: &QueueStats) -> i64 {
    q.longest_wait_s.map_or(0, |s| (s * 1000.0) as i64)
}

/// Lowest service level first; queues without one last.
fn service_level_key(q: &QueueStats) -> (bool, i64) {
    match q.last_30_min.service_level_pct {
        Some(sl) => (false, (sl * 100.0) as i64),
        None => (true, 0),
    }
}

fn state_order(state: AgentState) -> u8 {
    match state {
        AgentState::OnContact => 0,
        AgentState::WrapUp => 1,
        AgentState::NotReady => 2,
        AgentState::Available => 3,
        AgentState::Offline => 4,
    }
}

/// Whether any of `fields` contains `filter` (already lower case), ignoring case.
pub(super) fn matches(filter: &str, fields: &[&str]) -> bool {
    filter.is_empty() || fields.iter().any(|f| f.to_lowercase().contains(filter))
}

/// What an approval asks, e.g. "Fee waiver of $75.00 for Dana Ito".
pub fn about(a: &Approval) -> String {
    let what = match &a.amount {
        Some(amount) => format!("{} of {amount} for {}", a.kind.label(), a.customer_name),
        None => format!("{} for {}", a.kind.label(), a.customer_name),
    };
    // One request for several fees is decided as a whole: say each.
    if a.fees.len() > 1 {
        let each: Vec<String> = a.fees.iter().map(|f| f.amount.to_string()).collect();
        return format!("{what} ({} fees: {})", a.fees.len(), each.join(" + "));
    }
    what
}

/// What each column of a board means, for help (the README's definitions).
pub fn column_meanings(kind: BoardKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        BoardKind::Queues => &[
            (
                "Wait",
                "calls waiting now; K2: two of them from key accounts",
            ),
            ("Long", "the longest wait now; ! past the target"),
            ("SL30m", "service level, last 30 min; ! below the goal"),
            ("Goal", "X% answered within Y seconds"),
            ("Today", "service level since midnight UTC"),
            ("ASA", "mean wait of answered calls, 30 min"),
            ("AHT", "talk + wrap-up, calls finished today"),
            ("Abn", "abandoned / offered, 30 min"),
            ("Need", "agents needed (Erlang A, or C) / serving the queue"),
            ("Last min", "calls offered per minute, oldest left"),
            ("In Ans Lost", "offered, answered, lost in 30 min (wide)"),
        ],
        BoardKind::Agents => &[
            ("(flag)", "!LONG CALL past twice the queue's AHT"),
            ("", "!LONG WRAP past half the wrap-up limit"),
            ("State", "available, not ready (reason), on contact…"),
            ("Time", "how long in that state"),
            ("Queue", "the queue of the call"),
            ("Customer", "who the agent is talking to"),
        ],
        BoardKind::Approvals => &[
            ("Request", "fee waiver or escalation"),
            ("Amount", "what the waiver would take off"),
            ("Asked by", "the agent who asked"),
            ("Waiting", "minutes since it was asked"),
            ("Reason", "the agent's reason"),
        ],
        BoardKind::Decisions => &[
            ("Action", "a suggestion of the catalog (rows with activity)"),
            ("Kind", "service, retention, sales, care… (wide)"),
            ("Elig", "eligible in the period's decisions"),
            ("Supp", "eligible but stopped by a policy or the ranking"),
            ("Shown", "shown to an agent"),
            ("Acc", "accepted at wrap-up"),
            ("Dec", "declined at wrap-up"),
            ("Ign", "ignored: shown, not mentioned at wrap-up"),
            (
                "Accept%",
                "accepted ÷ answered, with its 95% Wilson interval",
            ),
            ("Value", "value of accepted suggestions (wide)"),
            ("Trend", "acceptance per day, oldest left; no answers: gap"),
            (
                "Top rule",
                "the rule that suppressed it most, and how often",
            ),
        ],
    }
}
