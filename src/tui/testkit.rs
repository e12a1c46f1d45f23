//! For the desk's own tests: suggestions as a decision would send them, and
//! the screen as text.

use crate::api::Suggestions;
use crate::domain::{ActionCode, ActionKind, CustomerId, DecisionId, Opens, Suggestion};
use chrono::Utc;

/// A suggestion of `code` that opens `opens`, with `parameters`.
pub fn suggestion(
    code: &str,
    opens: Opens,
    title: &str,
    parameters: &[(&str, &str)],
) -> Suggestion {
    Suggestion {
        action: ActionCode::new(code),
        title: title.into(),
        kind: ActionKind::Service,
        opens,
        reasons: vec![format!("because {code}")],
        propensity: 0.5,
        value: None,
        value_means: String::new(),
        priority: 1.0,
        parameters: parameters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// Decision `decision` for customer `id`, showing `list`.
pub fn decision(id: i64, decision: i64, list: Vec<Suggestion>) -> Suggestions {
    Suggestions {
        customer_id: CustomerId(id),
        generated_at: Utc::now(),
        decision_id: DecisionId(decision),
        control: false,
        suggestions: list,
        not_shown: vec![],
    }
}

/// The desk drawn on a `width` × `height` terminal, one string per row.
pub fn rows(s: &crate::tui::state::AppState, width: u16, height: u16) -> Vec<String> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
        .expect("terminal");
    let theme = crate::tui::theme::Theme::default();
    terminal
        .draw(|f| crate::tui::view::view(s, &theme, f))
        .expect("drawn");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}
