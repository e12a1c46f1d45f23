//! The supervisor's boards: queues (service level against target, waits,
//! sparkline, Erlang C and Erlang A staffing, agents short across the floor), agents (state, time in it, queue, customer,
//! long contacts flagged), approvals (with the customer's context), and the
//! decisions board (drawn by `decisions`). A queue missing its target and an
//! agent held too long carry a `!` marker and a word as well as the breach
//! style, so nothing depends on colour.

use super::super::boards::model::{
    misses_target, seconds_in_state, waiting_past_target, BoardKind, DecisionPrompt,
};
use super::super::floor::model::clock;
use super::super::glyphs::pad;
use super::super::layout;
use super::super::state::AppState;
use super::super::theme::Theme;
use super::board_parts::{cell, detail_lines, empty, text_table, window, TableRow};
use super::{block, decisions, list_row};
use crate::api::{Approval, ApprovalKind, Decision, QueueStats};
use crate::domain::{authority, AgentsByState, FloorStaffing, Staffing};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

/// From this width the queue board shows the last 30 minutes' counts too.
const WIDE: u16 = 120;

pub fn draw(state: &AppState, kind: BoardKind, theme: &Theme, frame: &mut Frame, area: Rect) {
    let areas = layout::board(area);
    let boards = &state.boards;
    let (summary, title) = match kind {
        BoardKind::Queues => (
            queue_summary(state),
            title(state, kind, boards.queue_sort.label()),
        ),
        BoardKind::Agents => (
            agent_summary(state),
            title(state, kind, boards.agent_sort.label()),
        ),
        BoardKind::Approvals => (approval_summary(state), title(state, kind, "oldest first")),
        BoardKind::Decisions => (
            decisions::summary(state, area.width),
            title(state, kind, "most shown first"),
        ),
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            state.glyphs.fit(&summary, area.width as usize),
            theme.style("header"),
        )),
        areas.summary,
    );
    let b = block(state, theme, &title, true);
    let table = b.inner(areas.table);
    frame.render_widget(b, areas.table);
    let detail_block = block(state, theme, "Selected", false);
    let detail = detail_block.inner(areas.detail);
    frame.render_widget(detail_block, areas.detail);
    match kind {
        BoardKind::Queues => queues(state, theme, frame, table, detail),
        BoardKind::Agents => agents(state, theme, frame, table, detail),
        BoardKind::Approvals => approvals(state, theme, frame, table, detail),
        BoardKind::Decisions => decisions::draw(state, theme, frame, table, detail),
    }
}

/// "Queues, missing target first, filter: bill_".
fn title(state: &AppState, kind: BoardKind, sort: &str) -> String {
    let view = state.boards.view(kind);
    let mut title = format!("{} {} {sort}", kind.title(), state.glyphs.separator);
    if view.editing_filter || !view.filter.text.is_empty() {
        let typed = match view.editing_filter {
            true => view.filter.shown(),
            false => view.filter.text.clone(),
        };
        title.push_str(&format!(" {} filter: {typed}", state.glyphs.separator));
    }
    title
}

fn agents_line(state: &AppState, a: &AgentsByState) -> String {
    let s = state.glyphs.separator;
    format!(
        "{} available {s} {} not ready {s} {} on contact {s} {} wrap-up",
        a.available, a.not_ready, a.on_contact, a.wrap_up
    )
}

// ---- queues -------------------------------------------------------------------

fn queue_summary(state: &AppState) -> String {
    let Some(board) = &state.boards.queues else {
        return " Loading the queue board…".into();
    };
    let s = state.glyphs.separator;
    let missing = board.queues.iter().filter(|q| misses_target(q)).count();
    let waiting: u32 = board.queues.iter().map(|q| q.waiting).sum();
    let key_accounts: u32 = board.queues.iter().map(|q| q.key_account_waiting).sum();
    let key_accounts = match key_accounts {
        0 => String::new(),
        n => format!(" (K{n} key account)"),
    };
    // Too few agents for all the queues comes first: it is what to act on.
    let short = match board.floor {
        FloorStaffing {
            agents_needed: Some(needed),
            on_shift,
            short_by: 1..,
        } => format!(
            " ! Short {} agents: queues need {needed}, {on_shift} on shift {s}",
            board.floor.short_by
        ),
        _ => String::new(),
    };
    format!(
        "{short} {waiting} waiting{key_accounts} {s} {missing} of {} queues below goal {s} agents: {}",
        board.queues.len(),
        agents_line(state, &board.agents),
    )
}

/// (header, width) of the queue table's columns before the sparkline.
fn queue_columns(wide: bool) -> Vec<(&'static str, usize)> {
    let mut columns = vec![
        ("Queue", 13),
        ("Wait", 5),
        ("Long", 6),
        ("SL30m", 6),
        ("Goal", 8),
        ("Today", 6),
        ("ASA", 5),
        ("AHT", 5),
        ("Abn", 5),
        ("Need", 6),
    ];
    if wide {
        columns.splice(1..1, [("In", 5), ("Ans", 5), ("Lost", 5)].iter().copied());
        columns[0].1 = 20;
    }
    columns
}

fn queues(state: &AppState, theme: &Theme, frame: &mut Frame, table: Rect, detail: Rect) {
    let boards = &state.boards;
    let rows = boards.queue_rows();
    if rows.is_empty() {
        empty(state, BoardKind::Queues, theme, frame, table);
        return;
    }
    let wide = table.width >= WIDE;
    let columns = queue_columns(wide);
    let used: usize = 2 + columns.iter().map(|(_, w)| w).sum::<usize>();
    let spark = (table.width as usize).saturating_sub(used + 1).min(30);
    let mut header = String::from("  ");
    for (name, width) in &columns {
        header.push_str(&pad(&state.glyphs, name, *width));
    }
    header.push_str(&format!("Last {spark} min"));
    let mut lines = vec![Line::from(Span::styled(
        state.glyphs.fit(&header, table.width as usize),
        theme.style("board.header"),
    ))];
    let keys: Vec<String> = rows.iter().map(|q| q.queue.code.clone()).collect();
    let cursor = boards.cursor(BoardKind::Queues, &keys);
    let height = (table.height as usize).saturating_sub(1);
    for i in window(rows.len(), cursor, height) {
        let q = rows[i];
        let cells = queue_cells(state, q, wide);
        let mut spans: Vec<Span> = columns
            .iter()
            .zip(cells)
            .map(|((_, width), (text, style))| cell(state, &text, *width, theme.style(style)))
            .collect();
        spans.push(Span::styled(
            sparkline(state, &q.per_minute.offered, spark),
            theme.style("board.spark"),
        ));
        lines.push(list_row(state, theme, i == cursor, spans));
    }
    frame.render_widget(Paragraph::new(lines), table);
    if let Some(q) = rows.get(cursor) {
        queue_detail(state, theme, frame, detail, q);
    }
}

/// The cells of a queue's row with their style names, in `queue_columns` order.
fn queue_cells(state: &AppState, q: &QueueStats, wide: bool) -> Vec<(String, &'static str)> {
    let now = state.now;
    let missing = misses_target(q);
    let late = waiting_past_target(q);
    let mark = |bad: bool| if bad { "!" } else { " " };
    // The server's figure is as of its snapshot; the wait has grown since.
    let longest = q.longest_wait_s.map(|s| {
        let since = (now - state.boards.queues.as_ref().map_or(now, |b| b.generated_at))
            .num_seconds()
            .max(0);
        (s as i64).saturating_add(since)
    });
    let mut cells = vec![
        (
            format!("{}{}", mark(missing || late), q.queue.name),
            if missing { "board.breach" } else { "board.ok" },
        ),
        // Key-account callers waiting are marked with a letter, not a colour.
        match q.key_account_waiting {
            0 => (q.waiting.to_string(), "base"),
            k => (format!("{} K{k}", q.waiting), "warning"),
        },
        (
            format!("{}{}", mark(late), longest.map_or("-".into(), clock)),
            if late { "board.breach" } else { "base" },
        ),
        (
            format!(
                "{}{}",
                mark(missing),
                percent(q.last_30_min.service_level_pct)
            ),
            if missing { "board.breach" } else { "board.ok" },
        ),
        (
            format!("{}%/{}s", q.queue.target_pct, q.queue.target_seconds),
            "muted",
        ),
        (percent(q.today.service_level_pct), "base"),
        (seconds(q.last_30_min.asa_s), "base"),
        (seconds(q.today.aht_s), "base"),
        (percent(q.last_30_min.abandon_rate_pct), "base"),
        (
            staffing_cell(q),
            if short_staffed(q) {
                "board.breach"
            } else {
                "base"
            },
        ),
    ];
    if wide {
        let p = &q.last_30_min;
        cells.splice(
            1..1,
            [
                (p.offered.to_string(), "base"),
                (p.answered.to_string(), "base"),
                (p.abandoned.to_string(), "base"),
            ],
        );
    }
    cells
}

/// Agents needed (by Erlang A when callers' patience is known, else Erlang
/// C) / serving the queue, e.g. "9/12"; `!` when fewer serve it.
fn staffing_cell(q: &QueueStats) -> String {
    let s = &q.staffing;
    let needed = s.advised_agents().map_or("?".into(), |n| n.to_string());
    let mark = if short_staffed(q) { "!" } else { "" };
    format!("{mark}{needed}/{}", s.agents)
}

fn short_staffed(q: &QueueStats) -> bool {
    q.staffing
        .advised_agents()
        .is_none_or(|n| n > q.staffing.agents)
}

fn queue_detail(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect, q: &QueueStats) {
    let s = state.glyphs.separator;
    let period = |label: &str, p: &crate::domain::PeriodStats| {
        format!(
            "{label} {} in, {} answered, {} lost ({}) {s} SL {} {s} ASA {} {s} AHT {}",
            p.offered,
            p.answered,
            p.abandoned,
            percent(p.abandon_rate_pct),
            percent(p.service_level_pct),
            seconds(p.asa_s),
            seconds(p.aht_s)
        )
    };
    let (mark, verdict) = if misses_target(q) {
        ("! ", "below its goal")
    } else {
        ("", "meets its goal")
    };
    let key_accounts = match q.key_account_waiting {
        0 => String::new(),
        n => format!(" {s} K{n} key-account caller(s) waiting"),
    };
    let lines = [
        format!(
            "{mark}{} ({}) {s} goal {}% in {} s {s} {verdict}{key_accounts}",
            q.queue.name, q.queue.code, q.queue.target_pct, q.queue.target_seconds
        ),
        period("30 min:", &q.last_30_min),
        period("Today: ", &q.today),
        erlang_c_line(state, &q.staffing),
        erlang_a_line(state, &q.staffing),
    ];
    detail_lines(state, theme, frame, area, &lines);
}

/// "! Erlang C (3.8 Erl, AHT 4:13): need 8 · with 6: SL 48%, ASA 0:41".
fn erlang_c_line(state: &AppState, st: &Staffing) -> String {
    let s = state.glyphs.separator;
    let short = if st.agents_needed.is_none_or(|n| n > st.agents) {
        "! "
    } else {
        ""
    };
    let prediction = match st.predicted_asa_s {
        None => format!("{} cannot keep up", st.agents),
        Some(asa) => format!(
            "with {}: SL {:.0}%, ASA {}",
            st.agents,
            st.predicted_service_level_pct,
            clock(asa.round() as i64)
        ),
    };
    format!(
        "{short}Erlang C ({:.1} Erl, AHT {}): need {} {s} {prediction}",
        st.traffic_erlangs,
        clock(st.aht_s.round() as i64),
        needed(st.agents_needed),
    )
}

/// "! Erlang A (patience 1:20): need 7 · with 6: SL 57%, ASA 0:28, 9% hang up",
/// or why there is none yet.
fn erlang_a_line(state: &AppState, st: &Staffing) -> String {
    let s = state.glyphs.separator;
    let (Some(a), Some(patience)) = (&st.erlang_a, st.patience_s) else {
        return "Erlang A: patience not known until 5 callers hang up today".into();
    };
    let short = if a.agents_needed.is_none_or(|n| n > st.agents) {
        "! "
    } else {
        ""
    };
    format!(
        "{short}Erlang A (patience {}): need {} {s} with {}: SL {:.0}%, ASA {}, {:.0}% hang up",
        clock(patience.round() as i64),
        needed(a.agents_needed),
        st.agents,
        a.predicted_service_level_pct,
        a.predicted_asa_s
            .map_or("-".into(), |asa| clock(asa.round() as i64)),
        a.predicted_abandon_pct
    )
}

fn needed(agents: Option<u32>) -> String {
    agents.map_or("more than any staffing".into(), |n| n.to_string())
}

/// Calls per minute as a bar per minute, the newest on the right, scaled to
/// the busiest minute shown; `width` minutes at most.
pub fn sparkline(state: &AppState, per_minute: &[u32], width: usize) -> String {
    let bars = state.glyphs.bars;
    let shown = &per_minute[per_minute.len().saturating_sub(width)..];
    let max = shown.iter().copied().max().unwrap_or(0).max(1);
    shown
        .iter()
        .map(|&n| {
            // A quiet minute is the lowest bar; any call lifts it.
            let level = if n == 0 {
                1
            } else {
                1 + (u64::from(n) * 7).div_ceil(u64::from(max)) as usize
            };
            bars[level.min(8)]
        })
        .collect()
}

fn percent(p: Option<f64>) -> String {
    p.map_or("-".into(), |p| format!("{p:.0}%"))
}

fn seconds(s: Option<f64>) -> String {
    s.map_or("-".into(), |s| clock(s.round() as i64))
}

// ---- agents -------------------------------------------------------------------

fn agent_summary(state: &AppState) -> String {
    let boards = &state.boards;
    let Some(agents) = &boards.agents else {
        return " Loading the agent board…".into();
    };
    let mut by_state = AgentsByState::default();
    for a in agents {
        by_state.add(a.state);
    }
    let long = agents
        .iter()
        .filter(|a| boards.held_too_long(a, state.now).is_some())
        .count();
    let s = state.glyphs.separator;
    format!(
        " {} agents: {} {s} {long} held long",
        agents.len(),
        agents_line(state, &by_state)
    )
}

const AGENT_COLUMNS: [(&str, usize); 6] = [
    ("", 11),
    ("Agent", 15),
    ("State", 17),
    ("Time", 7),
    ("Queue", 10),
    ("Customer", 0),
];

fn agents(state: &AppState, theme: &Theme, frame: &mut Frame, table: Rect, detail: Rect) {
    let boards = &state.boards;
    let rows = boards.agent_rows(state.now);
    if rows.is_empty() {
        empty(state, BoardKind::Agents, theme, frame, table);
        return;
    }
    let keys: Vec<String> = rows.iter().map(|a| a.agent_id.to_string()).collect();
    let cursor = boards.cursor(BoardKind::Agents, &keys);
    let height = (table.height as usize).saturating_sub(1);
    let mut lines = Vec::new();
    for i in window(rows.len(), cursor, height) {
        let a = rows[i];
        let long = boards.held_too_long(a, state.now);
        let row_style = if long.is_some() {
            "board.breach"
        } else {
            "base"
        };
        let status = match &a.reason {
            Some(reason) => format!("{}: {reason}", a.state.label()),
            None => a.state.label().to_string(),
        };
        let time = a
            .since
            .map_or("-".into(), |_| clock(seconds_in_state(a, state.now)));
        let customer = match (&a.customer_name, a.customer_id) {
            (Some(name), _) => name.clone(),
            (None, Some(id)) => format!("customer {id}"),
            (None, None) => String::new(),
        };
        let cells = vec![
            long.map_or(String::new(), |w| format!("!{w}")),
            a.name.clone(),
            status,
            time,
            a.queue.clone().unwrap_or_default(),
            customer,
        ];
        lines.push(TableRow {
            selected: i == cursor,
            cells,
            style: row_style,
        });
    }
    text_table(state, theme, frame, table, &AGENT_COLUMNS, lines);
    if let Some(a) = rows.get(cursor) {
        let s = state.glyphs.separator;
        let mut text = vec![format!(
            "{} {s} {} for {}",
            a.name,
            a.state.label(),
            clock(seconds_in_state(a, state.now))
        )];
        text.push(match a.skills.is_empty() {
            true => "Serves every queue".into(),
            false => format!(
                "Serves {} (proficiency 1 to 3)",
                crate::domain::skills_text(&a.skills)
            ),
        });
        if let Some(w) = boards.held_too_long(a, state.now) {
            let why = match a.state {
                crate::domain::AgentState::WrapUp => {
                    format!("past half the {} s wrap-up limit", boards.wrap_up_limit_s)
                }
                _ => "over twice the queue's average handle time".to_string(),
            };
            text.push(format!("! {w}: {why}"));
        }
        if let (Some(queue), Some(call)) = (&a.queue, &a.call_id) {
            text.push(format!("Queue {queue} {s} call {call}"));
        }
        if a.customer_id.is_some() {
            text.push("enter opens the customer on this call".into());
        }
        detail_lines(state, theme, frame, detail, &text);
    }
}

// ---- approvals ----------------------------------------------------------------

fn approval_summary(state: &AppState) -> String {
    let Some(list) = &state.boards.approvals else {
        return " Loading the approvals…".into();
    };
    let s = state.glyphs.separator;
    let oldest = list
        .iter()
        .map(|a| a.requested_at)
        .min()
        .map(|t| {
            format!(
                " {s} oldest waiting {} min",
                (state.now - t).num_minutes().max(0)
            )
        })
        .unwrap_or_default();
    format!(" {} waiting for your decision{oldest}", list.len())
}

const APPROVAL_COLUMNS: [(&str, usize); 6] = [
    ("Request", 11),
    ("Customer", 18),
    ("Amount", 11),
    ("Asked by", 12),
    ("Waits", 7),
    ("Reason", 0),
];

fn approvals(state: &AppState, theme: &Theme, frame: &mut Frame, table: Rect, detail: Rect) {
    let boards = &state.boards;
    let rows = boards.approval_rows();
    if rows.is_empty() {
        empty(state, BoardKind::Approvals, theme, frame, table);
        return;
    }
    let keys: Vec<String> = rows
        .iter()
        .map(|a| super::super::boards::model::approval_key(a))
        .collect();
    let cursor = boards.cursor(BoardKind::Approvals, &keys);
    let height = (table.height as usize).saturating_sub(1);
    let mut lines = Vec::new();
    for i in window(rows.len(), cursor, height) {
        let a = rows[i];
        let sending = boards
            .deciding
            .iter()
            .any(|p| p.kind == a.kind && p.id == a.id);
        let waiting = if sending {
            "sending…".to_string()
        } else {
            format!("{} min", (state.now - a.requested_at).num_minutes().max(0))
        };
        let cells = vec![
            a.kind.label().to_string(),
            a.customer_name.clone(),
            a.amount.map_or(String::new(), |m| m.to_string()),
            a.agent_name.clone(),
            waiting,
            reason_label(state, a),
        ];
        lines.push(TableRow {
            selected: i == cursor,
            cells,
            style: "base",
        });
    }
    text_table(state, theme, frame, table, &APPROVAL_COLUMNS, lines);
    if let Some(a) = rows.get(cursor) {
        approval_detail(state, theme, frame, detail, a);
    }
}

/// An approval's reason as people say it (the code when the reference data
/// does not know it).
fn reason_label(state: &AppState, a: &Approval) -> String {
    let codes = state.refdata.as_ref().map(|r| match a.kind {
        ApprovalKind::FeeWaiver => &r.waiver_reasons,
        ApprovalKind::Escalation => &r.escalation_reasons,
    });
    codes
        .and_then(|codes| codes.iter().find(|c| c.code == a.reason_code))
        .map_or_else(|| a.reason_code.clone(), |c| c.label.clone())
}

/// Whether the supervisor at this desk may approve `a`, by the server's own
/// rule (four eyes, their limit covering the amount).
fn may_approve(state: &AppState, a: &Approval) -> Result<(), String> {
    let Some(me) = &state.agent else {
        return Ok(());
    };
    authority::may_decide(&authority::ApprovalAsk {
        requested_by: a.agent_id,
        decider: me.id,
        decider_limit: me.waiver_limit,
        total: a.amount,
        approve: true,
    })
}

fn approval_detail(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect, a: &Approval) {
    let s = state.glyphs.separator;
    let c = &a.context;
    let years = (state.now.date_naive() - c.customer_since).num_days() / 365;
    let waivers = match c.waivers_last_year {
        0 => "no waiver in the last year".to_string(),
        1 => "1 waiver in the last year".to_string(),
        n => format!("{n} waivers in the last year"),
    };
    let key = |command| {
        state
            .keymap
            .key_for(state.mode_without_overlay(), command)
            .unwrap_or_else(|| "?".into())
    };
    use super::super::keymap::Command;
    let text = vec![
        format!(
            "{} {s} {} {s} a customer for {years} y {s} lifetime value {}",
            a.customer_name,
            c.segment.as_str(),
            c.lifetime_value,
        ),
        format!("Churn risk {:.0}% {s} {waivers}", c.churn_risk * 100.0),
        format!(
            "{} by {} {s} {}",
            super::super::boards::model::about(a),
            a.agent_name,
            reason_label(state, a)
        ),
        format!("Note: {}", a.note.replace('\n', " ")),
        match may_approve(state, a) {
            Ok(()) => format!(
                "{} approve {s} {} deny {s} {} open the customer",
                key(Command::Approve),
                key(Command::Deny),
                key(Command::Open)
            ),
            // The server would refuse it: say why first, never by colour alone.
            Err(why) => format!(
                "! Not yours to approve: {why} {s} {} deny",
                key(Command::Deny)
            ),
        },
    ];
    detail_lines(state, theme, frame, area, &text);
}

// ---- the decision prompt --------------------------------------------------------

pub fn decision(
    state: &AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    p: &DecisionPrompt,
) {
    let verb = match p.decision {
        Decision::Approve => "Approve",
        Decision::Deny => "Deny",
    };
    let width = area.width.min(76);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + area.height.saturating_sub(8) / 2,
        width,
        height: 8.min(area.height),
    };
    let b = block(state, theme, &format!("{verb}: {}", p.about), true);
    let inner = b.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(b, rect);
    let need = if p.decision == Decision::Deny {
        "required: say why"
    } else {
        "optional"
    };
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .split(inner);
    frame.render_widget(
        Paragraph::new(Span::styled(
            state.glyphs.fit(
                &format!("Note for the agent ({need}):"),
                inner.width as usize,
            ),
            theme.style("form.label"),
        )),
        parts[0],
    );
    // The end of a long note stays in view.
    let text = p.note.shown();
    let columns = usize::from(parts[1].width.max(1));
    let rows = unicode_width::UnicodeWidthStr::width(text.as_str()) / columns + 1;
    let scroll = rows.saturating_sub(usize::from(parts[1].height)) as u16;
    frame.render_widget(
        Paragraph::new(state.glyphs.show(&text).into_owned())
            .style(theme.style("form.input"))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        parts[1],
    );
    frame.render_widget(
        Paragraph::new(Span::styled(
            "enter sends, esc cancels",
            theme.style("muted"),
        )),
        parts[2],
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::glyphs::Glyphs;
    use std::sync::Arc;

    #[test]
    fn a_sparkline_scales_to_the_busiest_minute_and_keeps_the_newest() {
        let (keymap, _) = crate::tui::keymap::load("default", None);
        let keymap = Arc::new(keymap);
        let mut state = AppState::new(keymap, Glyphs::UNICODE, String::new(), chrono::Utc::now());
        assert_eq!(sparkline(&state, &[0, 1, 2, 4, 8], 5), "▁▂▃▅█");
        assert_eq!(sparkline(&state, &[8, 0, 8], 2), "▁█", "the last minutes");
        assert_eq!(sparkline(&state, &[], 5), "");
        state.glyphs = Glyphs::ASCII;
        assert_eq!(sparkline(&state, &[0, 8], 2), "_#");
    }
}
