//! Suggestions as a decision would send them, for the desk's own tests.

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
