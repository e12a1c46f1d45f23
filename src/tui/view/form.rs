//! A form over the customer screen: each field with its label and, next to it,
//! what is wrong with it; the after-call-work timer; the agent's authority on a
//! waiver; and the confirm step showing exactly what will be sent.

use super::super::forms::fields::FeePicker;
use super::super::forms::model::{Context, Field, Form, FormKind, Stage};
use super::super::forms::review;
use super::super::state::AppState;
use super::super::theme::Theme;
use super::{block, list_row};
use crate::domain::authority::{against_limit, limit_on, LimitCheck, Standing};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Columns taken by a field's label.
const LABEL: usize = 15;
/// Options shown under a focused pick list.
const OPTIONS_SHOWN: usize = 4;
/// Rows a notes field takes.
const NOTES_ROWS: usize = 4;

pub fn draw(state: &AppState, form: &Form, theme: &Theme, frame: &mut Frame, area: Rect) {
    let elapsed = (state.now - form.opened_at).num_seconds().max(0);
    let mut title = form.kind.title().to_string();
    if let (FormKind::Waive, Some(account)) = (form.kind, &form.account) {
        title.push_str(&format!(" · {}", account.name));
    }
    if form.kind == FormKind::Log {
        title.push_str(&format!(
            " · after-call work {:02}:{:02}",
            elapsed / 60,
            elapsed % 60
        ));
    }
    let stage = match form.stage {
        Stage::Editing => " · ctrl-s to review, esc to cancel",
        Stage::Confirming { .. } => " · CHECK: enter sends, esc edits, ctrl-r exact request",
        Stage::Sending { .. } => " · SENDING…",
    };
    title.push_str(stage);
    let b = block(
        state,
        theme,
        &title.replace('·', state.glyphs.separator),
        true,
    );
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(message) = &form.server_message {
        lines.push(Line::from(Span::styled(
            state.glyphs.fit(&format!("! {message}"), width),
            theme.style("form.error"),
        )));
    }
    match &form.stage {
        Stage::Confirming { request, .. } | Stage::Sending { request, .. } => {
            let said = match (
                form.show_wire,
                state.refdata.as_ref(),
                state.customer.as_ref().and_then(|v| v.profile.as_ref()),
            ) {
                (false, Some(refdata), Some(customer)) => {
                    review::sentences(request, form, refdata, customer)
                }
                _ => review::wire(request),
            };
            let heading = match form.show_wire {
                true => "Exactly this request will be sent:",
                false => "This will be sent:",
            };
            lines.push(Line::from(Span::styled(heading, theme.style("form.label"))));
            for row in said {
                for part in row.split('\n') {
                    lines.push(Line::from(Span::styled(
                        state.glyphs.show(part).into_owned(),
                        theme.style("form.input"),
                    )));
                }
            }
            frame.render_widget(
                Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
                inner,
            );
            return;
        }
        Stage::Editing => {}
    }
    let problems = match (
        state.customer.as_ref().and_then(|v| v.profile.as_ref()),
        state.agent.as_ref(),
    ) {
        (Some(customer), Some(agent)) => form.problems(&Context {
            customer,
            agent,
            now: state.now,
        }),
        _ => vec![],
    };
    let mut cursor: Option<Position> = None;
    for (i, (label, field)) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let problem = if form.dirty || focused {
            problems
                .iter()
                .find(|(f, _)| f == label)
                .map(|(_, m)| m.as_str())
        } else {
            None
        };
        let start = lines.len();
        field_lines(
            state, theme, label, field, focused, problem, width, &mut lines,
        );
        if focused {
            let row = (inner.y as usize + start) as u16;
            cursor = cursor_in(
                field,
                inner.x + LABEL as u16,
                row,
                width.saturating_sub(LABEL),
            );
        }
    }
    if form.kind == FormKind::Waive {
        lines.push(Line::from(""));
        lines.push(authority_line(state, form, theme, width));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(position) = cursor.filter(|p| p.y < inner.y + inner.height) {
        frame.set_cursor_position(position);
    }
}

/// Where the terminal cursor goes in a focused text field.
fn cursor_in(field: &Field, x: u16, y: u16, width: usize) -> Option<Position> {
    match field {
        Field::Notes(n) => {
            let wrapped = n.wrap(width.max(1));
            let (row, col) = wrapped.cursor;
            let first = wrapped.rows.len().saturating_sub(NOTES_ROWS).min(row);
            Some(Position::new(x + col as u16, y + (row - first) as u16))
        }
        Field::Text(t) => Some(Position::new(
            x + unicode_width::UnicodeWidthStr::width(t.before_cursor()).min(width) as u16,
            y,
        )),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn field_lines<'a>(
    state: &AppState,
    theme: &Theme,
    label: &str,
    field: &Field,
    focused: bool,
    problem: Option<&str>,
    width: usize,
    lines: &mut Vec<Line<'a>>,
) {
    let g = &state.glyphs;
    let value_width = width.saturating_sub(LABEL);
    let marker = if focused { g.pointer } else { " " };
    let label_span = Span::styled(
        format!("{marker} {label:<w$}", w = LABEL - 2),
        theme.style("form.label"),
    );
    let problem_span = |used: usize| {
        problem.map(|m| {
            Span::styled(
                g.fit(&format!("  ! {m}"), value_width.saturating_sub(used)),
                theme.style("form.error"),
            )
        })
    };
    let first = |value: String, style: &str| {
        let value = g.fit(&value, value_width);
        let used = unicode_width::UnicodeWidthStr::width(value.as_str());
        let mut spans = vec![label_span.clone(), Span::styled(value, theme.style(style))];
        spans.extend(problem_span(used));
        Line::from(spans)
    };
    match field {
        Field::Choice(c) => {
            let chosen = c.selected().map(|(_, l)| l.clone());
            if focused {
                let typed = if c.filter.is_empty() {
                    "type to narrow".to_string()
                } else {
                    c.filter.clone()
                };
                lines.push(first(format!("{typed}_"), "form.input"));
                let visible = c.visible();
                let offset = c.highlighted.saturating_sub(OPTIONS_SHOWN - 1);
                for (row, &i) in visible.iter().enumerate().skip(offset).take(OPTIONS_SHOWN) {
                    let text = format!("{:LABEL$}{}", "", c.options[i].1);
                    lines.push(list_row(
                        state,
                        theme,
                        row == c.highlighted,
                        vec![Span::raw(g.fit(&text, width.saturating_sub(2)))],
                    ));
                }
                if visible.is_empty() {
                    lines.push(Line::from(Span::styled(
                        format!("{:LABEL$}no match", ""),
                        theme.style("muted"),
                    )));
                }
            } else {
                lines.push(first(chosen.unwrap_or_else(|| "—".into()), "form.input"));
            }
        }
        Field::Text(t) => {
            let hint = match label {
                super::super::forms::model::TAGS => "comma-separated",
                super::super::forms::model::FOLLOW_UP => "YYYY-MM-DD HH:MM, their time (optional)",
                _ => "",
            };
            let shown = if t.text.is_empty() && !focused {
                hint.to_string()
            } else {
                t.text.clone()
            };
            lines.push(first(
                shown,
                if t.text.is_empty() {
                    "muted"
                } else {
                    "form.input"
                },
            ));
        }
        Field::Notes(n) => {
            let wrapped = n.wrap(value_width.max(1));
            let rows = if focused { NOTES_ROWS } else { 1 };
            let first_row = wrapped
                .rows
                .len()
                .saturating_sub(rows)
                .min(wrapped.cursor.0);
            let mut shown: Vec<String> = wrapped
                .rows
                .iter()
                .skip(first_row)
                .take(rows)
                .cloned()
                .collect();
            if shown.is_empty() || (n.is_empty() && !focused) {
                shown = vec![if focused { String::new() } else { "—".into() }];
            }
            for (k, row) in shown.into_iter().enumerate() {
                if k == 0 {
                    lines.push(first(row, "form.input"));
                } else {
                    lines.push(Line::from(vec![
                        Span::raw(" ".repeat(LABEL)),
                        Span::styled(g.fit(&row, value_width), theme.style("form.input")),
                    ]));
                }
            }
        }
        Field::Fees(picker) => {
            lines.push(first(
                "space ticks a fee; type to change its amount".into(),
                "muted",
            ));
            for (i, line) in picker.lines.iter().enumerate() {
                let tick = if line.selected { "[x]" } else { "[ ]" };
                let error = if line.selected {
                    FeePicker::amount(line).err()
                } else {
                    None
                };
                let pending = match line.fee.waiver_pending {
                    true => " · a waiver waits for approval",
                    false => "",
                };
                let text = format!(
                    "{:w$}{tick} {} of {} · owed {} · waive {}{pending}",
                    "",
                    line.fee.kind.label(),
                    state.zone.format(line.fee.charged_at, "%-d %b"),
                    line.fee.outstanding,
                    if focused && i == picker.cursor {
                        line.amount.shown()
                    } else {
                        line.amount.text.clone()
                    },
                    w = LABEL - 2
                );
                let mut spans = vec![Span::raw(g.fit(&text, width.saturating_sub(2)))];
                if let Some(e) = error {
                    spans.push(Span::styled(format!("  ! {e}"), theme.style("form.error")));
                }
                lines.push(list_row(state, theme, focused && i == picker.cursor, spans));
            }
        }
        Field::Verdicts(v) => {
            if v.rows.is_empty() {
                lines.push(first("none were shown".into(), "muted"));
            } else {
                lines.push(first(
                    "space or ←/→ changes: accepted, declined, not offered".into(),
                    "muted",
                ));
            }
            for (i, row) in v.rows.iter().enumerate() {
                let text = format!(
                    "{:w$}{}{} [{}]",
                    "",
                    row.title,
                    row.mark(),
                    row.verdict.label().to_lowercase(),
                    w = LABEL - 2
                );
                lines.push(list_row(
                    state,
                    theme,
                    focused && i == v.cursor,
                    vec![Span::raw(g.fit(&text, width.saturating_sub(2)))],
                ));
            }
        }
    }
}

/// The agent's authority against this waiver, in words.
fn authority_line<'a>(state: &AppState, form: &Form, theme: &Theme, width: usize) -> Line<'a> {
    let Some(agent) = &state.agent else {
        return Line::from("");
    };
    // A business account's charges: its tier scales the limit and its value
    // caps it, as on the server.
    let standing = match &form.account {
        Some(a) => Some(Standing {
            tier: a.tier,
            annual_revenue: a.annual_revenue,
        }),
        None => state.customer.as_ref().and_then(|v| {
            let open = v.profile.as_ref()?.id;
            v.organisation
                .as_ref()
                .filter(|o| o.id == open)
                .map(|o| Standing {
                    tier: o.tier,
                    annual_revenue: Some(o.annual_revenue),
                })
        }),
    };
    let limit = limit_on(agent.waiver_limit, standing.as_ref());
    let per = match standing.map(|s| s.tier) {
        Some(crate::domain::Tier::KeyAccount) => "per decision (key account)",
        Some(crate::domain::Tier::Managed) => "per decision (managed account)",
        _ => "per decision",
    };
    let (text, style) = match form.waiver_total().map(|t| (t, against_limit(t, limit))) {
        Some((total, LimitCheck::Within { spare })) => (
            format!("Limit {limit} {per} · this waiver {total} · within it ({spare} to spare)"),
            "success",
        ),
        Some((total, LimitCheck::Above)) => (
            format!("Limit {limit} {per} · this waiver {total} · ABOVE: goes for approval"),
            "warning",
        ),
        Some((total, LimitCheck::OtherCurrency)) => (
            format!(
                "Your limit is in {} · this waiver is in {} · goes for approval",
                limit.currency, total.currency
            ),
            "warning",
        ),
        None => (format!("Limit {limit} {per}"), "muted"),
    };
    Line::from(Span::styled(
        state
            .glyphs
            .fit(&text.replace('·', state.glyphs.separator), width),
        theme.style(style),
    ))
}
