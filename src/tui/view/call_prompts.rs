//! The call-control overlays: the transfer prompt (where to, warm or cold,
//! the note) and the hang-up question.

use super::super::floor::model::TransferPrompt;
use super::super::state::AppState;
use super::super::theme::Theme;
use super::block;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

/// A box of `height` rows, up to 76 wide, in the middle of `area`.
fn middle(area: Rect, height: u16) -> Rect {
    let width = area.width.min(76);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

pub fn transfer(
    state: &AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    p: &TransferPrompt,
) {
    let targets = p.targets.options.len() as u16;
    // Targets, a blank, the kind, the note's label and line, the keys.
    let rect = middle(area, targets + 7);
    let b = block(state, theme, &format!("Transfer {}", p.about), true);
    let inner = b.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(b, rect);
    let width = inner.width as usize;
    let mut lines = super::choice_lines(state, theme, &p.targets, width);
    let kind = match p.warm {
        true => "Warm: you stay on the line until they answer (tab: cold)",
        false => "Cold: the caller goes at once (tab: warm)",
    };
    let note = format!("Note: {}", p.note.shown());
    // The end of a long note stays in view.
    let shown = state.glyphs.show(&note);
    let tail: String = {
        let chars: Vec<char> = shown.chars().collect();
        chars[chars.len().saturating_sub(width)..].iter().collect()
    };
    lines.extend([
        Line::from(""),
        Line::from(Span::styled(
            state.glyphs.fit(kind, width),
            theme.style("form.label"),
        )),
        Line::from(Span::styled(
            state
                .glyphs
                .fit("Why (the next agent reads it before they speak):", width),
            theme.style("form.label"),
        )),
        Line::from(Span::styled(tail, theme.style("form.input"))),
        Line::from(Span::styled(
            state
                .glyphs
                .fit("up/down where to · enter sends · esc cancels", width),
            theme.style("muted"),
        )),
    ]);
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn hang_up(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect, about: &str) {
    let rect = middle(area, 4);
    let b = block(state, theme, "Hang up?", true);
    let inner = b.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(b, rect);
    let width = inner.width as usize;
    let lines = vec![
        Line::from(Span::styled(
            state
                .glyphs
                .fit(&format!("End the call with {about}?"), width),
            theme.style("warning"),
        )),
        Line::from(Span::styled(
            state
                .glyphs
                .fit("enter hangs up · esc keeps the call", width),
            theme.style("muted"),
        )),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
