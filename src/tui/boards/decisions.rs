//! The decisions board's model: the funnel's actions that saw any activity,
//! most shown first, the customer segment it is cut by, and the words and
//! bars its cells are made of (acceptance with its interval, the rules that
//! suppressed an action, acceptance per day). Pure; `update` loads the
//! funnel and `view::decisions` draws it.

use super::model::{cycle, matches, BoardKind, Boards};
use crate::api::{Funnel, FunnelRow, Rate};
use crate::domain::Segment;
use crate::tui::glyphs::Glyphs;

/// The segments `next_segment` goes through, in order; `None` is all of them.
pub const SEGMENTS: [Option<Segment>; 5] = [
    None,
    Some(Segment::Premier),
    Some(Segment::Gold),
    Some(Segment::Silver),
    Some(Segment::Standard),
];

/// The segment after `current`: all, premier, gold, silver, standard, all…
pub fn next_segment(current: Option<Segment>) -> Option<Segment> {
    cycle(&SEGMENTS, current)
}

/// A segment filter in words: `all` or the segment's name.
pub fn segment_label(segment: Option<Segment>) -> &'static str {
    segment.map_or("all", |s| s.as_str())
}

/// How often the action was answered at wrap-up (accepted, declined or
/// ignored): what its acceptance is over.
pub fn answered(row: &FunnelRow) -> i64 {
    row.accepted + row.declined + row.ignored
}

/// Whether anything happened to the action in the period.
pub fn active(row: &FunnelRow) -> bool {
    row.eligible > 0 || answered(row) > 0
}

impl Boards {
    /// The actions the decisions board lists: those with any activity that
    /// match the filter, most shown first, then by name.
    pub fn decision_rows(&self) -> Vec<&FunnelRow> {
        let Some(funnel) = &self.funnel else {
            return vec![];
        };
        let filter = self.view(BoardKind::Decisions).filter.text.to_lowercase();
        let mut rows: Vec<&FunnelRow> = funnel
            .actions
            .iter()
            .filter(|r| active(r))
            .filter(|r| matches(&filter, &[&r.name, r.action.as_str(), r.kind.label()]))
            .collect();
        rows.sort_by_cached_key(|r| {
            (
                std::cmp::Reverse(r.shown),
                r.name.to_lowercase(),
                r.action.clone(),
            )
        });
        rows
    }

    /// The action under the decisions board's cursor.
    pub fn selected_decision(&self) -> Option<&FunnelRow> {
        let rows = self.decision_rows();
        let keys: Vec<String> = rows.iter().map(|r| r.action.to_string()).collect();
        rows.get(self.cursor(BoardKind::Decisions, &keys)).copied()
    }

    /// Whether the funnel on screen is not (yet) the segment asked for.
    pub fn funnel_pending(&self) -> bool {
        self.funnel.as_ref().map(|f| f.segment) != Some(self.segment)
    }
}

/// Acceptance over every action of the funnel, with its interval.
pub fn overall(funnel: &Funnel) -> Option<Rate> {
    let accepted = funnel.actions.iter().map(|r| r.accepted).sum();
    let answers = funnel.actions.iter().map(answered).sum();
    Rate::wilson(accepted, answers)
}

/// A share as a whole percentage, e.g. `62%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A rate and its 95% interval, e.g. `62% 48-74`; `-` without answers.
pub fn acceptance(rate: Option<Rate>) -> String {
    match rate {
        Some(r) => format!(
            "{} {:.0}-{:.0}",
            percent(r.value),
            r.low * 100.0,
            r.high * 100.0
        ),
        None => "-".to_string(),
    }
}

/// The rule that suppressed the action most, how often first (so a narrow
/// column keeps the figure), e.g. `12× cap`.
pub fn top_rule(row: &FunnelRow) -> Option<String> {
    // The server lists them most first; the order is not trusted blindly.
    let top = row
        .suppressed_by
        .iter()
        .max_by(|a, b| a.count.cmp(&b.count).then(b.rule.cmp(&a.rule)))?;
    Some(format!("{}× {}", top.count, top.rule))
}

/// Every rule that suppressed the action, most first, e.g. `cap 6, quiet
/// hours 4`; or that none did.
pub fn suppressions(row: &FunnelRow) -> String {
    if row.suppressed_by.is_empty() {
        return "never suppressed in this period".to_string();
    }
    let mut rules: Vec<_> = row.suppressed_by.iter().collect();
    rules.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(&b.rule)));
    let list: Vec<String> = rules
        .iter()
        .map(|r| format!("{} {}", r.rule, r.count))
        .collect();
    format!("suppressed {} times: {}", row.suppressed, list.join(", "))
}

/// Acceptance per day as a bar a day (0% the lowest bar, 100% the full one),
/// the newest on the right, `width` days at most. A day without answers is
/// a gap, so it never reads as 0%.
pub fn trend(per_day: &[Option<f64>], width: usize, glyphs: &Glyphs) -> String {
    let shown = &per_day[per_day.len().saturating_sub(width)..];
    shown
        .iter()
        .map(|day| match day {
            None => glyphs.no_bar,
            Some(share) => {
                let level = 1 + (share.clamp(0.0, 1.0) * 7.0).round() as usize;
                glyphs.bars[level.min(8)]
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "decisions_tests.rs"]
mod tests;
