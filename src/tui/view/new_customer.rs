//! The new-customer prompt for an unknown caller: the number, and one line
//! each for the name, e-mail, language and time zone, the focused one
//! marked.

use super::super::search::model::NewCustomerPrompt;
use super::super::state::AppState;
use super::super::theme::Theme;
use super::block;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

pub fn draw(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect, p: &NewCustomerPrompt) {
    let width = area.width.min(76);
    let height = (p.fields.len() as u16 + 5).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let b = block(state, theme, &format!("New customer on {}", p.number), true);
    let inner = b.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(b, rect);
    let room = inner.width as usize;
    let mut lines = vec![Line::from(Span::styled(
        state
            .glyphs
            .fit("The number is theirs; a name is required.", room),
        theme.style("muted"),
    ))];
    for (i, (label, input)) in NewCustomerPrompt::LABELS.iter().zip(&p.fields).enumerate() {
        let focused = i == p.focus;
        let mark = if focused { state.glyphs.pointer } else { " " };
        let text = match focused {
            true => input.shown(),
            false => input.text.clone(),
        };
        let line = format!("{mark} {label:<10} {}", state.glyphs.show(&text));
        lines.push(Line::from(Span::styled(
            state.glyphs.fit(&line, room),
            theme.style(if focused { "form.input" } else { "form.label" }),
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        state
            .glyphs
            .fit("tab next line · enter saves · esc cancels", room),
        theme.style("muted"),
    )));
    frame.render_widget(Paragraph::new(lines), inner);
}
