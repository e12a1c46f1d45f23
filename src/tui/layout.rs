//! Where things go on screen, shared by the views (to draw) and by `update` (to
//! know how many rows a page holds).

use ratatui::layout::{Constraint, Direction, Layout, Rect};

/// The smallest terminal the desk works fully in: 80x22, so tmux's or
/// screen's status line on an 80x24 terminal costs nothing. Smaller gets the
/// compact layout (title, customer header, timeline) and a hint.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 22;

/// Whether the whole desk fits a terminal of this size.
pub fn fits(width: u16, height: u16) -> bool {
    width >= MIN_WIDTH && height >= MIN_HEIGHT
}

/// The customer screen when the terminal is small: the header and the
/// timeline under it.
pub fn customer_compact(body: Rect) -> (Rect, Rect) {
    let header = HEADER_ROWS.min(body.height / 2);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(header), Constraint::Min(0)])
        .split(body);
    (rows[0], rows[1])
}
/// From this width the suggestions sit beside the timeline instead of below.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;

/// The frame: a title bar, the screen body, and a status line.
pub struct Frame {
    pub title: Rect,
    pub body: Rect,
    pub status: Rect,
}

pub fn frame(area: Rect) -> Frame {
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .split(area);
    Frame {
        title: rows[0],
        body: rows[1],
        status: rows[2],
    }
}

/// Lines inside the border of an overlay as tall as the body (help).
pub fn overlay_rows(width: u16, height: u16) -> usize {
    frame(Rect::new(0, 0, width, height))
        .body
        .height
        .saturating_sub(2) as usize
}

/// The customer screen: header, "last time" line, timeline and suggestions.
pub struct CustomerAreas {
    pub header: Rect,
    pub last_time: Rect,
    pub timeline: Rect,
    pub suggestions: Rect,
}

/// Rows the header takes.
const HEADER_ROWS: u16 = 3;
/// Rows the suggestions take when stacked under the timeline.
const STACKED_SUGGESTION_ROWS: u16 = 7;

pub fn customer(body: Rect) -> CustomerAreas {
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(HEADER_ROWS),
            Constraint::Length(1),
            Constraint::Min(3),
        ])
        .split(body);
    let (timeline, suggestions) = if body.width >= SIDE_BY_SIDE_WIDTH {
        let cols = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Min(60), Constraint::Length(body.width * 2 / 5)])
            .split(rows[2]);
        (cols[0], cols[1])
    } else {
        let parts = Layout::default()
            .direction(Direction::Vertical)
            .constraints([
                Constraint::Min(3),
                Constraint::Length(STACKED_SUGGESTION_ROWS),
            ])
            .split(rows[2]);
        (parts[0], parts[1])
    };
    CustomerAreas {
        header: rows[0],
        last_time: rows[1],
        timeline,
        suggestions,
    }
}

/// Event rows visible in the timeline box (inside its border, below its title).
pub fn timeline_rows(width: u16, height: u16) -> usize {
    let body = frame(Rect::new(0, 0, width, height)).body;
    customer(body).timeline.height.saturating_sub(2) as usize
}

/// A supervisor's board: a summary line, the table, and the selected row's
/// details underneath.
pub struct BoardAreas {
    pub summary: Rect,
    pub table: Rect,
    pub detail: Rect,
}

/// Lines of detail under a board (inside its border).
pub const BOARD_DETAIL_ROWS: u16 = 5;

pub fn board(body: Rect) -> BoardAreas {
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Min(4),
            Constraint::Length(BOARD_DETAIL_ROWS + 2),
        ])
        .split(body);
    BoardAreas {
        summary: rows[0],
        table: rows[1],
        detail: rows[2],
    }
}

/// Rows of a board visible at once (inside its border, below its header).
pub fn board_rows(width: u16, height: u16) -> usize {
    let body = frame(Rect::new(0, 0, width, height)).body;
    board(body).table.height.saturating_sub(3) as usize
}
