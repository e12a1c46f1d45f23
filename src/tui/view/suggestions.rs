//! The suggestions panel of the customer screen: each suggestion with its
//! digit key, what it is worth (only when the value says what it is) and its
//! reasons; the selected one in full with what acting on it does; and the
//! "why not?" list of what the decision did not show and the rule that
//! stopped it.

use super::super::state::AppState;
use super::super::theme::Theme;
use super::super::workspace::model::{CustomerView, Focus};
use super::{block, list_row};
use crate::domain::{Opens, Suggestion};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// What the suggestion is worth, in words: "$35.00, the fee". Left out when
/// the catalog does not say what its value means.
pub fn worth(s: &Suggestion) -> Option<String> {
    let value = s.value?;
    let means = s.value_means.trim();
    (!means.is_empty()).then(|| format!("{value}, {means}"))
}

/// What acting on it does, for the agent.
fn acting(s: &Suggestion) -> String {
    match s.opens {
        Opens::Waiver => "opens the fee waiver, filled in".to_string(),
        Opens::Escalation => "opens the escalation, filled in".to_string(),
        Opens::Transfer => match s.parameters.get("target_code") {
            Some(target) => format!("opens an escalation to {target}"),
            None => "opens an escalation".to_string(),
        },
        Opens::Offer => "opens the wrap-up with the offer's disposition".to_string(),
        Opens::Info => "notes that you said it; the wrap-up marks it accepted".to_string(),
    }
}

/// The mark of a suggestion already acted on in this contact.
fn acted_mark(view: &CustomerView, s: &Suggestion) -> &'static str {
    match (view.acted_on(&s.action), s.opens) {
        (false, _) => "",
        (true, Opens::Info) => " (noted)",
        (true, _) => " (acted on)",
    }
}

/// The selected suggestion in full: every reason, its worth, what acting on
/// it does.
pub fn expanded(
    state: &AppState,
    view: &CustomerView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let b = block(state, theme, "Suggestion", true);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let Some(s) = view
        .suggestions
        .as_ref()
        .and_then(|list| list.get(view.selected_suggestion))
    else {
        return;
    };
    let g = &state.glyphs;
    let width = inner.width as usize;
    let n = view.selected_suggestion + 1;
    let line = |text: String, style: &str| {
        Line::from(Span::styled(g.fit(&text, width), theme.style(style)))
    };
    let mut lines = vec![line(
        format!("[{n}] {}{}", s.title, acted_mark(view, s)),
        "suggestion.title",
    )];
    lines.extend(
        s.reasons
            .iter()
            .map(|r| line(format!("{} {r}", g.bullet), "suggestion.reason")),
    );
    if let Some(worth) = worth(s) {
        lines.push(line(format!("Worth {worth}"), "suggestion.reason"));
    }
    lines.push(line(
        format!("enter or {n} {}; x or esc closes", acting(s)),
        "muted",
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The ranked suggestions: with room, every one with each reason on its own
/// row; with less, a second row of reasons run together; with least, one
/// row each. The selected one always opens up.
pub fn panel(state: &AppState, view: &CustomerView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let b = block(
        state,
        theme,
        "Suggestions",
        view.focus == Focus::Suggestions,
    );
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let width = inner.width as usize;
    let Some(list) = &view.suggestions else {
        return;
    };
    if list.is_empty() {
        let why = if view.not_shown.is_empty() {
            "Nothing to suggest for this customer now."
        } else {
            "Nothing to suggest for this customer now; n shows why not."
        };
        frame.render_widget(
            Paragraph::new(Span::styled(why, theme.style("muted"))),
            inner,
        );
        return;
    }
    let g = &state.glyphs;
    let shown: Vec<_> = list.iter().take(9).collect();
    let rows = inner.height as usize;
    let all_reasons = shown.iter().map(|s| 1 + s.reasons.len()).sum::<usize>() <= rows;
    // Without room for every reason on its own row, each suggestion may
    // still get a second row with its reasons run together.
    let reason_row = !all_reasons && 2 * shown.len() <= rows;
    let mut lines = Vec::new();
    for (i, s) in shown.into_iter().enumerate() {
        let selected = view.focus == Focus::Suggestions && i == view.selected_suggestion;
        let worth = worth(s).map(|w| format!(" ({w})")).unwrap_or_default();
        let head = format!("{}{}{worth}", s.title, acted_mark(view, s));
        let open = selected || all_reasons;
        let mut spans = vec![
            Span::styled(format!("[{}] ", i + 1), theme.style("suggestion.key")),
            Span::styled(
                g.fit(&head, width.saturating_sub(6)),
                theme.style("suggestion.title"),
            ),
        ];
        if reason_row && !open {
            lines.push(list_row(state, theme, selected, spans));
            lines.push(Line::from(Span::styled(
                g.fit(&format!("      {}", s.reasons.join("; ")), width),
                theme.style("suggestion.reason"),
            )));
            continue;
        }
        if !open {
            let reasons = format!(" {} {}", g.separator, s.reasons.join("; "));
            let room =
                width.saturating_sub(6 + unicode_width::UnicodeWidthStr::width(head.as_str()));
            spans.push(Span::styled(
                g.fit(&reasons, room),
                theme.style("suggestion.reason"),
            ));
        }
        lines.push(list_row(state, theme, selected, spans));
        if open {
            for reason in &s.reasons {
                lines.push(Line::from(Span::styled(
                    g.fit(&format!("      {} {reason}", g.bullet), width),
                    theme.style("suggestion.reason"),
                )));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "Why not?": every action the decision did not show, and the rule that
/// stopped it; eligible ones (kept back by a policy) first.
pub fn why_not_lines(view: &CustomerView) -> Vec<(bool, String, String)> {
    let mut rows: Vec<(bool, String, String)> = view
        .not_shown
        .iter()
        .map(|n| (n.eligible, n.name.clone(), n.rule.clone()))
        .collect();
    rows.sort_by_key(|(eligible, _, _)| !eligible);
    rows
}
