//! Sign-in: the server address and the agent's token (masked), shown when
//! neither the environment nor the config file supplied them, or when the
//! server refused the token.

use super::super::input::TextInput;
use super::super::session::model::SignIn;
use super::super::state::{AppState, Level};
use super::super::theme::Theme;
use super::block;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(state: &AppState, form: &SignIn, theme: &Theme, frame: &mut Frame, area: Rect) {
    let b = block(state, theme, "Sign in", true);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let field = |label: &str, value: String, focused: bool| {
        let marker = if focused { state.glyphs.pointer } else { " " };
        Line::from(vec![
            Span::raw(format!("{marker} ")),
            Span::styled(format!("{label:<8}"), theme.style("form.label")),
            Span::styled(
                state
                    .glyphs
                    .fit(&value, inner.width.saturating_sub(12) as usize),
                theme.style("form.input"),
            ),
        ])
    };
    // The token is never drawn, only a star a character and the cursor.
    let stars = TextInput::with(&"*".repeat(form.token.text.chars().count()));
    let masked = match form.focus == 1 {
        true => shown(&stars, true),
        false => stars.text,
    };
    let note = |text: &str| {
        Line::from(Span::styled(
            state.glyphs.fit(&format!("  {text}"), inner.width as usize),
            theme.style("muted"),
        ))
    };
    let mut lines = vec![
        Line::from(""),
        field(
            "Server",
            shown(&form.server, form.focus == 0),
            form.focus == 0,
        ),
        field("Token", masked, form.focus == 1),
        Line::from(""),
        note("Never on the command line: other users of this host could read it."),
        note("Or set SWITCHBOARD_SERVER / SWITCHBOARD_TOKEN, or config.toml (mode 0600)."),
    ];
    if form.busy {
        lines.push(Line::from(Span::styled(
            "  Signing in…",
            theme.style("info"),
        )));
    }
    // Why the last try failed, whole: it says what to check.
    if let Some(notice) = state.notice.as_ref().filter(|n| n.level == Level::Error) {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            state.glyphs.show(&notice.text).into_owned(),
            theme.style("error"),
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// A field's text, with the cursor when it has focus.
fn shown(input: &TextInput, focused: bool) -> String {
    match focused {
        true => input.shown(),
        false => input.text.clone(),
    }
}
