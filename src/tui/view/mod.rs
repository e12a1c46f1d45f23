//! Pure views: `view` draws the state and never changes it, so every screen can
//! be snapshot-tested with ratatui's TestBackend. Every state is shown with a
//! word or marker as well as a style, so mono terminals lose nothing.

pub mod account;
mod board_parts;
mod boards;
mod call_prompts;
mod customer;
mod decisions;
mod form;
mod home;
mod new_customer;
mod overlays;
mod search;
mod sign_in;
mod suggestions;

use super::boards::model::BoardKind;
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::offline::model::LocalCache;
use super::session::model::Connection;
use super::state::{AppState, Level, Overlay, Screen};
use super::theme::Theme;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn view(state: &AppState, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.style("base")), area);
    if !layout::fits(area.width, area.height) {
        compact(state, theme, frame, area);
        return;
    }
    let parts = layout::frame(area);
    title_bar(state, theme, frame, parts.title);
    match &state.screen {
        Screen::SignIn(form) => sign_in::draw(state, form, theme, frame, parts.body),
        Screen::Home => home::draw(state, theme, frame, parts.body),
        Screen::Search => search::draw(state, theme, frame, parts.body),
        Screen::Customer => customer::draw(state, theme, frame, parts.body),
        Screen::Board(kind) => boards::draw(state, *kind, theme, frame, parts.body),
    }
    status_line(state, theme, frame, parts.status);
    overlays::draw(state, theme, frame, parts.body);
}

/// A terminal smaller than the desk needs: the title, the customer's header
/// and timeline (or the home and search lists), and a line that says what a
/// larger terminal adds. Forms, suggestions and boards wait for the room.
fn compact(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let parts = layout::frame(area);
    title_bar(state, theme, frame, parts.title);
    match &state.screen {
        Screen::SignIn(form) => sign_in::draw(state, form, theme, frame, parts.body),
        Screen::Home => home::draw(state, theme, frame, parts.body),
        Screen::Search => search::draw(state, theme, frame, parts.body),
        Screen::Customer => customer::draw_compact(state, theme, frame, parts.body),
        Screen::Board(_) => {}
    }
    overlays::draw(state, theme, frame, parts.body);
    if state.notice.is_some() {
        status_line(state, theme, frame, parts.status);
        return;
    }
    let hint = format!(
        " {}x{}: enlarge to {MIN_WIDTH}x{MIN_HEIGHT} for forms, suggestions and boards",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(state.glyphs.fit(&hint, area.width as usize)).style(theme.style("warning")),
        parts.status,
    );
}

fn title_bar(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let g = &state.glyphs;
    let (marker, word, style) = match &state.connection {
        Connection::Connecting => ("~", "connecting", "status.degraded"),
        Connection::Online => ("+", "online", "status.online"),
        Connection::Degraded(_) => ("!", "DEGRADED", "status.degraded"),
        Connection::Offline(_) => ("x", "OFFLINE", "status.offline"),
    };
    let mut link = format!("[{marker} {word}");
    let outbox = &state.outbox;
    if outbox.waiting > 0 {
        link.push_str(&format!(" {} {} to send", g.separator, outbox.waiting));
    }
    if !outbox.attention.is_empty() {
        link.push_str(&format!(
            " {} {} refused",
            g.separator,
            outbox.attention.len()
        ));
    }
    if let LocalCache::Without(_) = state.local {
        link.push_str(&format!(" {} no cache", g.separator));
    }
    link.push(']');
    // The agent's state and its timer come right after the name.
    let mut who = match (&state.agent, state.floor.badge(state.now)) {
        (Some(a), Some(badge)) => format!("{} {} {badge}", a.name, g.separator),
        (Some(a), None) => format!("{} ({})", a.name, a.role.as_str()),
        (None, _) => "not signed in".to_string(),
    };
    if state.floor.waiting_pop.is_some() {
        who.push_str(&format!(" {} CALL WAITING", g.separator));
    }
    if let Some(waiting) = state.boards.approvals.as_ref().filter(|a| !a.is_empty()) {
        who.push_str(&format!(" {} {} to approve", g.separator, waiting.len()));
    }
    let width = area.width as usize;
    let left = format!(" Switchboard {} {who} {} ", g.separator, g.separator);
    let left = g.fit(&left, width.saturating_sub(link.len()).max(14));
    let used = unicode_width::UnicodeWidthStr::width(left.as_str()) + link.len();
    // The server in use, whole or not at all: a clipped address says nothing.
    let room = width.saturating_sub(used);
    let in_use = state.server_in_use.as_deref();
    let in_use = in_use.unwrap_or_else(|| state.server.split(',').next().unwrap_or_default());
    let full = format!(" {}", in_use.trim());
    let host = format!(" {}", server_host(in_use.trim()));
    let server = [full, host]
        .into_iter()
        .find(|s| unicode_width::UnicodeWidthStr::width(s.as_str()) <= room)
        .unwrap_or_default();
    let line = Line::from(vec![
        Span::styled(left, theme.style("title")),
        Span::styled(link, theme.style(style)),
        Span::styled(g.show(&server).into_owned(), theme.style("muted")),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.style("status")), area);
}

/// `https://desk.example.com:7878/` as `desk.example.com:7878`.
fn server_host(server: &str) -> &str {
    let rest = server.split_once("://").map_or(server, |(_, rest)| rest);
    rest.trim_end_matches('/')
}

/// The status line: the notice, or key hints. A notice too long for one
/// line takes the row above as well, so a reason is never cut off.
fn status_line(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width as usize;
    let Some(n) = &state.notice else {
        let line = match loading(state) {
            Some(what) => Line::from(Span::styled(
                state.glyphs.fit(&format!(" Loading {what}…"), width),
                theme.style("muted"),
            )),
            None => hints(state, theme, width),
        };
        frame.render_widget(Paragraph::new(line).style(theme.style("status")), area);
        return;
    };
    let (word, style) = match n.level {
        Level::Info => ("Note", "info"),
        Level::Success => ("Done", "success"),
        Level::Warning => ("Warning", "warning"),
        Level::Error => ("Error", "error"),
    };
    let room = width.saturating_sub(word.len() + 3);
    let (first, rest) = split_at_width(&n.text, room);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!(" {word}: "), theme.style(style)),
        Span::raw(state.glyphs.fit(&first, room)),
    ])];
    let mut area = area;
    if !rest.is_empty() && area.y > 0 {
        let indent = " ".repeat(word.len() + 3);
        lines.push(Line::from(Span::raw(
            state.glyphs.fit(&format!("{indent}{rest}"), width),
        )));
        area = Rect::new(area.x, area.y - 1, area.width, 2);
        frame.render_widget(ratatui::widgets::Clear, area);
    }
    frame.render_widget(Paragraph::new(lines).style(theme.style("status")), area);
}

/// What the open customer is still waiting for, if anything, in words.
fn loading(state: &AppState) -> Option<String> {
    let view = state
        .customer
        .as_ref()
        .filter(|_| state.screen == Screen::Customer)?;
    let name = || {
        let known = state.recent.iter().find(|c| c.id == view.id);
        known.map_or_else(|| "the customer".to_string(), |c| c.name.clone())
    };
    if view.profile.is_none() {
        Some(name())
    } else if !view.timeline_loaded {
        Some("the timeline".to_string())
    } else if view.suggestions.is_none() {
        Some("the suggestions".to_string())
    } else {
        None
    }
}

/// `text` cut into what fits `width` cells (at a space where there is one)
/// and the rest.
pub(super) fn split_at_width(text: &str, width: usize) -> (String, String) {
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return (text.to_string(), String::new());
    }
    let mut used = 0;
    let mut cut = 0;
    let mut last_space = None;
    for (i, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        cut = i + c.len_utf8();
        if c == ' ' {
            last_space = Some(i);
        }
    }
    let at = last_space.filter(|&s| s > 0).unwrap_or(cut);
    (
        text[..at].trim_end().to_string(),
        text[at..].trim_start().to_string(),
    )
}

/// Key hints for the current mode, generated from the keymap.
fn hints(state: &AppState, theme: &Theme, width: usize) -> Line<'static> {
    use super::keymap::Command::*;
    let wanted: &[_] = match &state.screen {
        _ if matches!(
            state.overlay,
            Some(
                Overlay::Decision(_)
                    | Overlay::Transfer(_)
                    | Overlay::HangUp { .. }
                    | Overlay::NewCustomer(_)
            )
        ) =>
        {
            &[Submit, Cancel]
        }
        Screen::SignIn(_) => &[Submit, FocusNext, Quit],
        Screen::Home => &[Search, Pop, Open, CommandPalette, Help, Quit],
        Screen::Search => &[Open, Next, Back, Help],
        Screen::Customer => &[
            Suggestion1,
            WhyNot,
            LogInteraction,
            FilterText,
            Expand,
            Back,
            Help,
        ],
        Screen::Board(kind) if state.boards.view(*kind).editing_filter => &[Submit, Cancel],
        Screen::Board(BoardKind::Approvals) => &[
            Approve, Deny, Open, FilterText, AgentBoard, QueueBoard, Help,
        ],
        Screen::Board(BoardKind::Agents) => &[Sort, FilterText, Open, QueueBoard, Approvals, Help],
        Screen::Board(BoardKind::Queues) => &[Sort, FilterText, AgentBoard, Approvals, Help],
        Screen::Board(BoardKind::Decisions) => {
            &[NextSegment, FilterText, Open, Refresh, QueueBoard, Help]
        }
    };
    let mode = state.mode();
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for command in wanted {
        let Some(key) = state.keymap.key_for(mode, *command) else {
            continue;
        };
        let label = hint_label(state, *command);
        let text = format!("{key} {label}  ");
        if used + text.len() > width {
            break;
        }
        used += text.len();
        spans.push(Span::styled(key, theme.style("hint.key")));
        spans.push(Span::styled(format!(" {label}  "), theme.style("hint")));
    }
    Line::from(spans)
}

/// The footer's word for a command: its name, shortened where the name
/// reads badly in a hint (enter on the decisions board shows the rules).
fn hint_label(state: &AppState, command: super::keymap::Command) -> String {
    use super::keymap::Command::*;
    match command {
        Suggestion1 => "act".to_string(),
        LogInteraction => "log".to_string(),
        NextSegment => "segment".to_string(),
        Open if state.screen == Screen::Board(BoardKind::Decisions) => "rules".to_string(),
        other => other.name().replace('_', " "),
    }
}

/// A bordered block with a title, in the terminal's border set.
pub(super) fn block<'a>(state: &AppState, theme: &Theme, title: &str, focused: bool) -> Block<'a> {
    let border = if focused { "border.focused" } else { "border" };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(border))
        .title(Span::styled(
            format!(" {} ", state.glyphs.show(title)),
            theme.style("title"),
        ));
    if state.glyphs.unicode {
        block
    } else {
        block.border_set(ASCII_BORDER)
    }
}

const ASCII_BORDER: ratatui::symbols::border::Set = ratatui::symbols::border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// A pick list's options, one row each, the highlighted one marked.
pub(super) fn choice_lines(
    state: &AppState,
    theme: &Theme,
    choice: &super::forms::choice::Choice,
    width: usize,
) -> Vec<Line<'static>> {
    choice
        .options
        .iter()
        .enumerate()
        .map(|(i, (_, label))| {
            list_row(
                state,
                theme,
                i == choice.highlighted,
                vec![fitted(
                    state,
                    label,
                    width.saturating_sub(2),
                    theme.style("chooser.item"),
                )],
            )
        })
        .collect()
}

/// One row of a list, with the selection marker and style when selected.
pub(super) fn list_row<'a>(
    state: &AppState,
    theme: &Theme,
    selected: bool,
    spans: Vec<Span<'a>>,
) -> Line<'a> {
    let marker = if selected {
        format!("{} ", state.glyphs.pointer)
    } else {
        "  ".to_string()
    };
    let mut all = vec![Span::raw(marker)];
    all.extend(spans);
    let line = Line::from(all);
    if selected {
        line.style(theme.style("selection"))
    } else {
        line
    }
}

/// A span of untrusted-but-clean text fitted to `width` columns.
pub(super) fn fitted<'a>(state: &AppState, text: &str, width: usize, style: Style) -> Span<'a> {
    Span::styled(super::glyphs::pad(&state.glyphs, text, width), style)
}
