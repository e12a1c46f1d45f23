//! What every supervisor board is drawn with: the rows that fit around the
//! cursor, what an empty board says, a table of text whose cells always
//! leave a space before the next column, and the detail lines under it.

use super::super::boards::model::BoardKind;
use super::super::glyphs::pad;
use super::super::session::model::Connection;
use super::super::state::AppState;
use super::super::theme::Theme;
use super::list_row;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The rows of a list of `len` that fit `height`, keeping `cursor` in view.
pub(super) fn window(len: usize, cursor: usize, height: usize) -> std::ops::Range<usize> {
    let start = cursor.saturating_sub(height.saturating_sub(1));
    start..len.min(start + height)
}

/// What an empty board says: loading (or that it cannot while offline),
/// nothing matching the filter, or nothing.
pub(super) fn empty(
    state: &AppState,
    kind: BoardKind,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let boards = &state.boards;
    let loaded = match kind {
        BoardKind::Queues => boards.queues.is_some(),
        BoardKind::Agents => boards.agents.is_some(),
        BoardKind::Approvals => boards.approvals.is_some(),
        BoardKind::Decisions => boards.funnel.is_some(),
    };
    let offline = matches!(state.connection, Connection::Offline(_));
    let text = match kind {
        _ if !loaded && offline => {
            "Not loaded: the server cannot be reached (refresh tries again)."
        }
        _ if !loaded => "Loading…",
        _ if !boards.view(kind).filter.text.is_empty() => "Nothing matches the filter.",
        BoardKind::Queues => "The server has no queues.",
        BoardKind::Agents => "No agents on the floor yet.",
        BoardKind::Approvals => "Nothing waits for a decision.",
        BoardKind::Decisions => "No suggestion was eligible in this period.",
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            state.glyphs.fit(text, area.width as usize),
            theme.style("muted"),
        )),
        area,
    );
}

/// One row of a table: whether the cursor is on it, its cells in column
/// order, and the style they are drawn in.
pub(super) struct TableRow<'s> {
    pub selected: bool,
    pub cells: Vec<String>,
    pub style: &'s str,
}

/// A table of text: a header, then each row's cells in its style, the
/// cursor's row marked. A column of width 0 takes the width left.
pub(super) fn text_table(
    state: &AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    columns: &[(&str, usize)],
    rows: Vec<TableRow>,
) {
    let fixed: usize = 2 + columns.iter().map(|(_, w)| w).sum::<usize>();
    let last = (area.width as usize).saturating_sub(fixed);
    let width = |w: usize| if w == 0 { last } else { w };
    let mut header = String::from("  ");
    for (name, w) in columns {
        let clipped = state.glyphs.fit(name, width(*w).saturating_sub(1));
        header.push_str(&pad(&state.glyphs, &clipped, width(*w)));
    }
    let mut lines = vec![Line::from(Span::styled(
        header,
        theme.style("board.header"),
    ))];
    for row in rows {
        let spans = columns
            .iter()
            .zip(row.cells)
            .map(|((_, w), text)| cell(state, &text, width(*w), theme.style(row.style)))
            .collect();
        lines.push(list_row(state, theme, row.selected, spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// One cell of a table: clipped to leave at least one space before the next
/// column, so a long name never runs into the figure after it.
pub(super) fn cell<'a>(state: &AppState, text: &str, width: usize, style: Style) -> Span<'a> {
    let clipped = state.glyphs.fit(text, width.saturating_sub(1));
    Span::styled(pad(&state.glyphs, &clipped, width), style)
}

/// The detail under a board, a line each, fitted to its width; a line that
/// starts with `!` in the breach style.
pub(super) fn detail_lines(
    state: &AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    text: &[String],
) {
    let lines: Vec<Line> = text
        .iter()
        .map(|l| {
            let style: Style = if l.starts_with('!') {
                theme.style("board.breach")
            } else {
                theme.style("base")
            };
            Line::from(Span::styled(
                state.glyphs.fit(l, area.width as usize),
                style,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
