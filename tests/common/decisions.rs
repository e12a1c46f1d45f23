//! Reading decisions in tests: a customer's suggestions with every action
//! not shown and why, and whether an action could have been shown.

use switchboard::api::{Client, Suggestions, SuggestionsQuery};
use switchboard::domain::CustomerId;

/// The decision for `id` on a call, with `explain=true`.
pub async fn explained(c: &Client, id: CustomerId) -> Suggestions {
    c.suggestions(
        id,
        &SuggestionsQuery {
            explain: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap_or_else(|e| panic!("suggestions for {id}: {e}"))
}

/// The actions shown, in order.
pub fn codes(s: &Suggestions) -> Vec<&str> {
    s.suggestions.iter().map(|s| s.action.as_str()).collect()
}

/// Whether `action` could have been shown: shown, or kept back only by the
/// ranking (exploration may show another of its exclusive group).
pub fn eligible(s: &Suggestions, action: &str) -> bool {
    codes(s).contains(&action)
        || s.not_shown.iter().any(|n| {
            n.action.as_str() == action
                && n.eligible
                && matches!(n.rule_kind.as_str(), "one at a time" | "outranked")
        })
}
