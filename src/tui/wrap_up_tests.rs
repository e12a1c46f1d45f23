//! The wrap-up answers each suggestion under the decision that showed it,
//! through `update` with the default keymap: acting on a suggestion, the
//! write it opens reloading the customer into a new decision, and the
//! wrap-up still naming the decision the agent acted on.

use super::*;
use crate::api::Write;
use crate::domain::{DecisionId, Opens, Suggestion, SuggestionVerdict};
use crate::tui::action::Outcome;
use crate::tui::forms::model::FormKind;
use crate::tui::testkit::{decision, suggestion};
use crate::tui::workspace::update::reload_customer;

fn waiver() -> Suggestion {
    suggestion(
        "waive_late_fee",
        Opens::Waiver,
        "Waive the late fee",
        &[("fee_id", "3")],
    )
}

fn autopay() -> Suggestion {
    suggestion("autopay", Opens::Offer, "Offer autopay", &[])
}

fn app_tip() -> Suggestion {
    suggestion("app_tip", Opens::Info, "Mention the app", &[])
}

/// The open customer's suggestions arrive from decision `id`.
fn suggestions_from(s: &mut AppState, id: i64, list: Vec<Suggestion>) {
    let request = s.customer.as_ref().map(|v| v.request).expect("open");
    update(
        s,
        Action::SuggestionsLoaded {
            request,
            id: CustomerId(1),
            reply: Ok(decision(1, id, list)),
        },
    );
}

/// Ctrl-s, then enter on the confirm step: what is sent, under which key.
fn send(s: &mut AppState) -> (String, Write) {
    update(s, ctrl('s'));
    update(s, key(KeyCode::Enter))
        .into_iter()
        .find_map(|e| match e {
            Effect::Submit { key, request, .. } => Some((key, request)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("nothing sent; notice: {:?}", s.notice))
}

fn taken(s: &mut AppState, key: String) -> Vec<Effect> {
    update(
        s,
        Action::Submitted {
            key,
            reply: Ok(Outcome {
                message: "Done".into(),
                pending: false,
            }),
        },
    )
}

fn acted(s: &AppState) -> Vec<(String, Option<i64>)> {
    s.customer.as_ref().map_or(vec![], |v| {
        v.acted
            .iter()
            .map(|a| (a.action.as_str().to_string(), a.decision.map(|d| d.0)))
            .collect()
    })
}

#[test]
fn a_suggestion_acted_on_is_accepted_under_its_decision_after_the_reload_its_write_causes() {
    use SuggestionVerdict::{Accepted, NotOffered};
    let mut s = state();
    open_with_profile(&mut s);
    suggestions_from(&mut s, 7, vec![waiver(), autopay()]);
    // 1: the waiver, with its reason; sent and taken.
    update(&mut s, key(KeyCode::Char('1')));
    assert_eq!(s.active_form().map(|f| f.kind), Some(FormKind::Waive));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Enter));
    let (waiver_key, _) = send(&mut s);
    let effects = taken(&mut s, waiver_key);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadSuggestions { .. })),
        "the write reloads the customer: {effects:?}"
    );
    // The fee is paid: decision 8 no longer shows the waiver.
    suggestions_from(&mut s, 8, vec![autopay(), app_tip()]);
    assert_eq!(acted(&s), [("waive_late_fee".to_string(), Some(7))]);

    // The wrap-up answers decision 8 for what is on screen and decision 7
    // for the waiver.
    update(&mut s, key(KeyCode::Char('l')));
    typed(&mut s, "late");
    update(&mut s, key(KeyCode::Enter));
    let (log_key, sent) = send(&mut s);
    let Write::Interaction(wrap_up) = &sent else {
        panic!("{sent:?}");
    };
    let outcomes: Vec<(&str, SuggestionVerdict, Option<DecisionId>)> = wrap_up
        .suggestion_outcomes
        .iter()
        .map(|o| (o.action.as_str(), o.verdict, o.decision_id))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("autopay", NotOffered, Some(DecisionId(8))),
            ("app_tip", NotOffered, Some(DecisionId(8))),
            ("waive_late_fee", Accepted, Some(DecisionId(7))),
        ]
    );
    // The confirm step says which row is from before.
    let said = review(&s, &sent);
    assert!(
        said.contains(&"Suggestion \"Waive the late fee\" (acted on earlier): accepted.".into()),
        "{said:?}"
    );
    // Once the wrap-up is taken, what it answered is no longer waiting.
    taken(&mut s, log_key);
    assert_eq!(acted(&s), []);
}

#[test]
fn what_was_acted_on_survives_reloading_the_customer_but_not_opening_one() {
    let mut s = state();
    open_with_profile(&mut s);
    suggestions_from(&mut s, 7, vec![app_tip()]);
    update(&mut s, key(KeyCode::Char('1')));
    assert_eq!(acted(&s), [("app_tip".to_string(), Some(7))]);
    // Said again under the same decision: noted once.
    update(&mut s, key(KeyCode::Char('1')));
    assert_eq!(acted(&s).len(), 1);
    reload_customer(&mut s);
    suggestions_from(&mut s, 8, vec![]);
    assert_eq!(
        acted(&s),
        [("app_tip".to_string(), Some(7))],
        "a reload keeps it"
    );
    open_customer(&mut s, summary(2, "Bob Stone", "+14155550101"), None);
    assert_eq!(acted(&s), [], "another customer starts afresh");
    open_customer(&mut s, summary(1, "Ann Lee", "+14155550100"), None);
    assert_eq!(acted(&s), [], "and so does opening the first one again");
}
