//! The decisions board: per action of the catalog, how often it was
//! eligible, suppressed, shown, accepted, declined and ignored over the
//! funnel's period, its acceptance with a 95% interval, the value accepted,
//! acceptance per day as bars, and the rule that held it back most. Narrow
//! terminals lose the kind and value columns (the detail says them) and see
//! a week of bars. The detail adds what the model learned about the action,
//! learning's lift over the control group, and every rule that suppressed
//! the action.

use super::super::boards::decisions::{
    acceptance, answered, overall, percent, segment_label, suppressions, top_rule, trend,
};
use super::super::boards::model::BoardKind;
use super::super::state::AppState;
use super::super::theme::Theme;
use super::board_parts::{detail_lines, empty, text_table, window, TableRow};
use super::split_at_width;
use crate::api::{ActionModel, Funnel, FunnelRow, Lift};
use ratatui::layout::Rect;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// From this table width every column shows and the bars cover the period.
const WIDE: usize = 120;
/// Days of bars on a narrow table: the last week.
const NARROW_DAYS: usize = 7;
/// Days of bars on a wide one.
const WIDE_DAYS: usize = 31;
/// Room kept for the top rule, at least; on a wide table as much as the
/// longest needs, up to `RULE_MAX`.
const RULE_MIN: usize = 9;
const RULE_MAX: usize = 26;
/// The widest the action's name gets: narrow (room for "Waive the late
/// fee") and wide (most of the catalog's names).
const ACTION_NARROW: usize = 19;
const ACTION_WIDE: usize = 46;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Action,
    Kind,
    Eligible,
    Suppressed,
    Shown,
    Accepted,
    Declined,
    Ignored,
    Acceptance,
    Value,
    Trend,
    TopRule,
}

impl Column {
    fn header(self) -> &'static str {
        match self {
            Column::Action => "Action",
            Column::Kind => "Kind",
            Column::Eligible => "Elig",
            Column::Suppressed => "Supp",
            Column::Shown => "Shown",
            Column::Accepted => "Acc",
            Column::Declined => "Dec",
            Column::Ignored => "Ign",
            Column::Acceptance => "Accept%",
            Column::Value => "Value",
            Column::Trend => "Trend",
            Column::TopRule => "Top rule",
        }
    }

    /// The cell of `row` in this column; the trend `days` long.
    fn text(self, state: &AppState, row: &FunnelRow, days: usize) -> String {
        match self {
            Column::Action => row.name.clone(),
            Column::Kind => row.kind.label().to_string(),
            Column::Eligible => row.eligible.to_string(),
            Column::Suppressed => row.suppressed.to_string(),
            Column::Shown => row.shown.to_string(),
            Column::Accepted => row.accepted.to_string(),
            Column::Declined => row.declined.to_string(),
            Column::Ignored => row.ignored.to_string(),
            Column::Acceptance => acceptance(row.acceptance),
            Column::Value => value(row),
            Column::Trend => trend(&row.per_day, days, &state.glyphs),
            Column::TopRule => top_rule(row).unwrap_or_default(),
        }
    }
}

/// The value accepted, per currency; empty when none.
fn value(row: &FunnelRow) -> String {
    let amounts: Vec<String> = row.value_accepted.iter().map(|m| m.to_string()).collect();
    amounts.join(", ")
}

/// The columns for a table `width` wide with their widths (0: the rest), and
/// the days of bars the trend shows. Figures are as wide as the widest.
fn columns(
    state: &AppState,
    rows: &[&FunnelRow],
    width: usize,
    days: usize,
) -> (Vec<(Column, usize)>, usize) {
    use Column::*;
    let wide = width >= WIDE;
    let mut list = vec![Action];
    if wide {
        list.push(Kind);
    }
    list.extend([
        Eligible, Suppressed, Shown, Accepted, Declined, Ignored, Acceptance,
    ]);
    if wide {
        list.push(Value);
    }
    let fit = |c: Column| {
        let widest = rows
            .iter()
            .map(|r| c.text(state, r, 0).width())
            .max()
            .unwrap_or(0);
        widest.max(c.header().len()) + 1
    };
    let mut sized: Vec<(Column, usize)> = list
        .into_iter()
        .map(|c| match c {
            Action => (c, 0),
            Value => (c, fit(c).min(17)),
            _ => (c, fit(c)),
        })
        .collect();
    let fixed: usize = 2 + sized.iter().map(|(_, w)| w).sum::<usize>();
    let room = width.saturating_sub(fixed);
    let bars = days.min(if wide { WIDE_DAYS } else { NARROW_DAYS });
    let trend = if bars == 0 { 0 } else { bars.max(5) + 1 };
    let (rule, widest) = match wide {
        true => (fit(TopRule).clamp(RULE_MIN, RULE_MAX), ACTION_WIDE),
        false => (RULE_MIN, ACTION_NARROW),
    };
    let action = room.saturating_sub(trend + rule).clamp(8, widest);
    sized[0].1 = action;
    if trend > 0 {
        sized.push((Trend, trend));
    }
    sized.push((TopRule, 0));
    (sized, bars)
}

pub fn draw(state: &AppState, theme: &Theme, frame: &mut Frame, table: Rect, detail: Rect) {
    let boards = &state.boards;
    let rows = boards.decision_rows();
    if rows.is_empty() {
        empty(state, BoardKind::Decisions, theme, frame, table);
        return;
    }
    let days = boards.funnel.as_ref().map_or(0, |f| f.days.len());
    let (columns, bars) = columns(state, &rows, table.width as usize, days);
    let keys: Vec<String> = rows.iter().map(|r| r.action.to_string()).collect();
    let cursor = boards.cursor(BoardKind::Decisions, &keys);
    let height = (table.height as usize).saturating_sub(1);
    let lines = window(rows.len(), cursor, height)
        .map(|i| TableRow {
            selected: i == cursor,
            cells: columns
                .iter()
                .map(|(c, _)| c.text(state, rows[i], bars))
                .collect(),
            style: if answered(rows[i]) == 0 {
                "muted"
            } else {
                "base"
            },
        })
        .collect();
    let headers: Vec<(&str, usize)> = columns.iter().map(|(c, w)| (c.header(), *w)).collect();
    text_table(state, theme, frame, table, &headers, lines);
    if let (Some(row), Some(funnel)) = (rows.get(cursor), boards.funnel.as_ref()) {
        let text = row_detail(
            state,
            funnel,
            row,
            detail.width as usize,
            detail.height as usize,
        );
        detail_lines(state, theme, frame, detail, &text);
    }
}

/// The selected action in full, beyond the table's figures: its code and
/// kind, value accepted, acceptance with its interval and answers; then, as
/// far as the lines go, what its model learned, learning's lift over the
/// control group, every day's bar and every rule that suppressed it.
fn row_detail(
    state: &AppState,
    funnel: &Funnel,
    row: &FunnelRow,
    width: usize,
    height: usize,
) -> Vec<String> {
    let rate = match row.acceptance {
        Some(r) => format!(
            "acceptance {} (95%: {}-{}) of {} answered",
            percent(r.value),
            percent(r.low),
            percent(r.high),
            r.n
        ),
        None => "not answered yet".to_string(),
    };
    let value = match value(row) {
        v if v.is_empty() => "nothing accepted".to_string(),
        v => format!("{v} accepted"),
    };
    let since = funnel
        .days
        .first()
        .map_or(String::new(), |d| d.format("%-d %b").to_string());
    let facts = [
        format!("{} ({})", row.name, row.action),
        row.kind.label().to_string(),
        value,
        rate,
        match row.not_offered {
            0 => String::new(),
            n => format!("{n} not offered"),
        },
    ];
    let mut text = flow(&facts, state.glyphs.separator, width);
    let model = state
        .boards
        .models
        .as_ref()
        .and_then(|m| m.actions.iter().find(|a| a.action == row.action));
    // Most telling first, each wrapped, as far as the lines go.
    let days = format!(
        "A day since {since}: {}",
        trend(&row.per_day, row.per_day.len(), &state.glyphs)
    );
    let paragraphs = [
        model.map(model_line),
        Some(lift_line(&funnel.lift)),
        Some(days),
        Some(capitalised(&suppressions(row))),
    ];
    for mut rest in paragraphs.into_iter().flatten() {
        while text.len() < height && !rest.is_empty() {
            let (line, more) = split_at_width(&rest, width);
            text.push(line);
            rest = more;
        }
    }
    text
}

/// What the model learned about the action: the server's words, then the
/// propensity it ranks by against the catalog's prior, and how well it
/// sorted acceptors first lately (AUC).
fn model_line(model: &ActionModel) -> String {
    let mut line = format!("Learned: {}", model.summary);
    if model.enough {
        line += &format!(
            "; ranked at {} (prior {})",
            percent(model.propensity),
            percent(model.prior)
        );
    }
    if let Some(auc) = model.auc {
        line += &format!("; AUC {auc:.2} on {} answers", model.auc_answers);
    }
    line
}

/// Learning against the control group ranked by the priors alone, over every
/// action: acceptance in points with its 95% interval. (The value a decision
/// is left out: the server adds currencies at par, which means nothing here.)
fn lift_line(lift: &Lift) -> String {
    let who = format!(
        "Lift over control ({} of {} decisions)",
        lift.control_decisions,
        lift.learned_decisions + lift.control_decisions
    );
    if lift.control_decisions == 0 {
        return format!("{who}: no control decisions yet");
    }
    match &lift.acceptance {
        Some(d) => format!(
            "{who}: acceptance {:+.0} pts (95% {:+.0} to {:+.0})",
            d.difference * 100.0,
            d.low * 100.0,
            d.high * 100.0
        ),
        None => format!("{who}: no answers yet"),
    }
}

/// `facts` (the empty ones left out) on as few lines of `width` as they
/// fit, joined by `separator`;
/// a fact never breaks across lines (one too long is clipped when drawn).
fn flow(facts: &[String], separator: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for fact in facts.iter().filter(|f| !f.is_empty()) {
        match lines.last_mut() {
            Some(line) if line.width() + separator.width() + 2 + fact.width() <= width => {
                line.push_str(&format!(" {separator} {fact}"));
            }
            _ => lines.push(capitalised(fact)),
        }
    }
    lines
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The line above the decisions board: the period, the segment, how many
/// decisions and how many of their answers were acceptances.
pub fn summary(state: &AppState, width: u16) -> String {
    let boards = &state.boards;
    let Some(funnel) = &boards.funnel else {
        return format!(
            " Loading the decisions ({} segments)…",
            segment_label(boards.segment)
        );
    };
    let s = state.glyphs.separator;
    let zone = &state.zone;
    let from = zone.format(funnel.from, "%-d %b");
    let to = zone.format(funnel.to, "%-d %b %Y");
    let segment = match boards.funnel_pending() {
        true => format!("{} (loading)", segment_label(boards.segment)),
        false => segment_label(funnel.segment).to_string(),
    };
    let accepted = match overall(funnel) {
        Some(r) => format!("{} answered, {} accepted", r.n, percent(r.value)),
        None => "no answers yet".to_string(),
    };
    let decisions = match funnel.decisions {
        1 => "1 decision".to_string(),
        n => format!("{n} decisions"),
    };
    let line = format!(" {from}-{to} {s} segment: {segment} {s} {decisions} {s} {accepted}");
    let as_of = format!(" {s} as of {}", zone.format(funnel.to, "%H:%M"));
    if line.width() + as_of.width() <= usize::from(width) {
        line + &as_of
    } else {
        line
    }
}
