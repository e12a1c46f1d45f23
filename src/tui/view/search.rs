//! Search: type-ahead over names, phones, e-mails and accounts; exact identity
//! matches are marked and listed first.

use super::super::state::AppState;
use super::super::theme::Theme;
use super::{block, fitted, list_row};
use crate::api::MatchedOn;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(3), Constraint::Min(3)])
        .split(area);
    let s = &state.search;
    let title = match &s.adding_number {
        Some(number) => format!("Add {number} to whom? Search, then enter adds it"),
        None => "Search: name, phone, e-mail or account".to_string(),
    };
    let input = block(state, theme, &title, true);
    let inner = input.inner(rows[0]);
    frame.render_widget(input, rows[0]);
    let status = if s.waiting { " searching…" } else { "" };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                state.glyphs.fit(
                    &s.input.shown(),
                    inner.width as usize - status.len().min(20),
                ),
                // A query reopened by `back` is selected: typing replaces it.
                match s.input.is_selected() {
                    true => theme.style("selection"),
                    false => theme.style("palette.input"),
                },
            ),
            Span::styled(status, theme.style("muted")),
        ])),
        inner,
    );
    let title = match s.rows.len() {
        1 => "1 result".to_string(),
        n => format!("{n} results"),
    };
    let list = block(state, theme, &title, false);
    let inner = list.inner(rows[1]);
    frame.render_widget(list, rows[1]);
    let height = inner.height as usize;
    let offset = s.selected.saturating_sub(height.saturating_sub(1));
    let width = inner.width as usize;
    let name_w = width.saturating_sub(2 + 9 + 12 + 17 + 9).max(10);
    let lines: Vec<Line> = s
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| {
            let c = &row.customer;
            let how = match (row.exact, row.matched_on) {
                (true, MatchedOn::Phone) => "[=phone]",
                (true, MatchedOn::Email) => "[=email]",
                (true, MatchedOn::Account) => "[=acct]",
                (true, MatchedOn::Name) | (false, _) => "",
            };
            let style = if row.exact {
                "search.exact"
            } else {
                "search.match"
            };
            list_row(
                state,
                theme,
                i == s.selected,
                vec![
                    fitted(state, &c.name, name_w, theme.style(style)),
                    fitted(
                        state,
                        &format!(" {}", c.segment.as_str()),
                        9,
                        theme.style("badge.segment"),
                    ),
                    fitted(
                        state,
                        &format!(" {}", c.account_number),
                        12,
                        theme.style("muted"),
                    ),
                    fitted(
                        state,
                        &format!(" {}", c.phones.first().map_or("", |p| p.as_str())),
                        17,
                        theme.style("muted"),
                    ),
                    fitted(state, &format!(" {how}"), 9, theme.style("search.exact")),
                ],
            )
        })
        .collect();
    if lines.is_empty() {
        let hint = if s.input.text.trim().is_empty() {
            "Type to search."
        } else if s.waiting {
            "Searching…"
        } else {
            "No customer matches."
        };
        frame.render_widget(
            Paragraph::new(Span::styled(hint, theme.style("muted"))),
            inner,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
