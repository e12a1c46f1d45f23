//! Home: who is signed in, recent customers, how to find a caller, and how
//! to start taking calls.

use super::super::help::how_to_take_calls;
use super::super::keymap::Command;
use super::super::state::AppState;
use super::super::theme::Theme;
use super::{block, fitted, list_row};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let errors = state.config_errors.len().min(6) as u16;
    let calls = how_to_take_calls(state);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(3 + u16::from(calls.is_some())),
            Constraint::Min(4),
            Constraint::Length(if errors > 0 { errors + 2 } else { 0 }),
        ])
        .split(area);
    let g = &state.glyphs;
    let welcome = match &state.agent {
        Some(a) => format!(
            "Welcome, {} {} {} {} waiver limit {}",
            a.name,
            g.separator,
            a.role.as_str(),
            g.separator,
            a.waiver_limit
        ),
        None => "Not signed in".to_string(),
    };
    let key = |c| {
        state
            .keymap
            .key_for(state.mode(), c)
            .unwrap_or_else(|| "?".into())
    };
    let how = format!(
        "Find a customer: {} search by name, phone, e-mail or account {} {} pop a caller by number {} {} all commands",
        key(Command::Search),
        g.separator,
        key(Command::Pop),
        g.separator,
        key(Command::CommandPalette),
    );
    let mut lines = vec![
        Line::from(Span::styled(
            g.show(&welcome).into_owned(),
            theme.style("header.name"),
        )),
        Line::from(Span::styled(g.show(&how).into_owned(), theme.style("hint"))),
    ];
    lines.extend(calls.map(|calls| Line::from(Span::styled(calls, theme.style("info")))));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rows[0]);
    let recent = block(state, theme, "Recent customers", true);
    let inner = recent.inner(rows[1]);
    frame.render_widget(recent, rows[1]);
    let width = inner.width as usize;
    let lines: Vec<Line> = if state.recent.is_empty() {
        vec![Line::from(Span::styled(
            "  None yet this session.",
            theme.style("muted"),
        ))]
    } else {
        state
            .recent
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let name_w = width.saturating_sub(2 + 14 + 16).clamp(10, 40);
                list_row(
                    state,
                    theme,
                    i == 0,
                    vec![
                        fitted(
                            state,
                            &if state.kept_drafts.iter().any(|d| d.customer.id == c.id) {
                                format!("(unsent draft) {}", c.name)
                            } else {
                                c.name.clone()
                            },
                            name_w,
                            theme.style("header.name"),
                        ),
                        fitted(
                            state,
                            &format!(" {}", c.account_number),
                            14,
                            theme.style("muted"),
                        ),
                        fitted(
                            state,
                            &format!(" {}", c.phones.first().map_or("", |p| p.as_str())),
                            16,
                            theme.style("muted"),
                        ),
                    ],
                )
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
    if errors > 0 {
        let b = block(
            state,
            theme,
            "Configuration problems (defaults in use)",
            false,
        );
        let inner = b.inner(rows[2]);
        frame.render_widget(b, rows[2]);
        let lines: Vec<Line> = state
            .config_errors
            .iter()
            .take(errors as usize)
            .map(|e| {
                Line::from(Span::styled(
                    g.fit(e, inner.width as usize),
                    theme.style("error"),
                ))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
