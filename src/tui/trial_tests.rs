//! What a trial of the desk by a new agent broke (issue 18), each through
//! `update` with the default keymap: pick lists, back, quitting, not ready
//! during a contact, small terminals, the after-call-work timer, redraw.

use super::*;

/// The code chosen in the open form's pick list `label`.
fn chosen(s: &AppState, label: &str) -> Option<String> {
    match s.active_form()?.field(label)? {
        crate::tui::forms::model::Field::Choice(c) => c.selected().map(|(code, _)| code.clone()),
        _ => None,
    }
}

#[test]
fn enter_picks_the_highlighted_first_item_of_every_pick_list() {
    use crate::tui::forms::model::{DISPOSITION, NOTES, REASON, TARGET};
    let mut s = state();
    open_with_profile(&mut s);
    // The wrap-up: enter on the disposition takes the first code and moves
    // to the notes.
    update(&mut s, key(KeyCode::Char('l')));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(chosen(&s, DISPOSITION).as_deref(), Some("billing.late_fee"));
    let form = s.active_form().expect("form");
    assert_eq!(form.fields[form.focus].0, NOTES);
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Esc));
    // The escalation: target, then (after the priority) the reason.
    update(&mut s, key(KeyCode::Char('e')));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(chosen(&s, TARGET).as_deref(), Some("tier2"));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(chosen(&s, REASON).as_deref(), Some("repeat_contact"));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Esc));
    // The waiver's reason.
    update(&mut s, key(KeyCode::Char('w')));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(chosen(&s, REASON).as_deref(), Some("goodwill"));
}

#[test]
fn back_retraces_the_path_taken_not_an_old_search() {
    let mut s = state();
    // An old search, left by opening its first result.
    update(&mut s, key(KeyCode::Char('/')));
    typed(&mut s, "oliver bennp");
    s.search.rows = vec![crate::tui::search::model::SearchRow {
        customer: summary(3, "Oliver Bennett", "+442079460018"),
        matched_on: MatchedOn::Name,
        exact: false,
        from_server: true,
    }];
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.screen, Screen::Customer);
    // Back home, then a pop from home.
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.screen, Screen::Search, "back to the search it came from");
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.screen, Screen::Home);
    open_customer(&mut s, summary(1, "Ann Lee", "+14155550100"), None);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(
        s.screen,
        Screen::Home,
        "a customer popped from home goes back home"
    );
    // Keys meant for home work there, not in a search box.
    update(&mut s, key(KeyCode::Char('p')));
    assert!(matches!(s.overlay, Some(Overlay::Pop { .. })));
}

#[test]
fn a_search_reopened_by_back_has_its_query_selected_so_typing_replaces_it() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('/')));
    typed(&mut s, "gonzalez");
    open_customer(&mut s, summary(1, "Ann Lee", "+14155550100"), None);
    let effects = update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.screen, Screen::Search);
    assert_eq!(s.search.input.text, "gonzalez");
    assert!(s.search.input.is_selected());
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Search { .. })),
        "the results are asked for again: {effects:?}"
    );
    typed(&mut s, "w");
    assert_eq!(s.search.input.text, "w");
}

#[test]
fn quitting_with_unsent_work_asks_once_naming_it() {
    let mut s = state();
    s.local = crate::tui::offline::model::LocalCache::Ready;
    open_with_profile(&mut s);
    update(&mut s, key(KeyCode::Char('e')));
    typed(&mut s, "tier");
    let ctrl_c = || Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    update(&mut s, ctrl_c());
    assert!(!s.quit, "the first press asks");
    let notice = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("Escalate (Maria Gonzalez)"), "{notice}");
    assert!(notice.contains("kept as drafts"), "{notice}");
    // Any other key keeps the desk; the question is asked again.
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, ctrl_c());
    assert!(!s.quit);
    update(&mut s, ctrl_c());
    assert!(s.quit, "the second press in a row quits");
}

#[test]
fn quitting_home_with_a_draft_kept_from_last_time_asks() {
    let mut s = state();
    s.kept_drafts.push(crate::tui::forms::draft::Draft {
        customer: summary(2, "Dana Ito", "+14155550177"),
        kind: crate::tui::forms::model::FormKind::Waive,
        opened_at: s.now,
        fields: Default::default(),
    });
    update(&mut s, key(KeyCode::Char('q')));
    assert!(!s.quit);
    let notice = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("Waive fees (Dana Ito)"), "{notice}");
    assert!(
        notice.contains("lost"),
        "without a cache it says so: {notice}"
    );
    update(&mut s, key(KeyCode::Char('q')));
    assert!(s.quit);
}

#[test]
fn not_ready_during_a_contact_is_asked_as_after_this_call_and_shown_pending() {
    let mut s = state();
    s.refdata = Some(crate::tui::forms::tests::refdata());
    if let Some(refdata) = s.refdata.as_mut() {
        refdata.not_ready_reasons = vec![crate::domain::Code {
            code: "lunch".into(),
            label: "Lunch".into(),
        }];
    }
    let mut status = crate::api::AgentStatus {
        agent_id: crate::domain::AgentId(1),
        name: "Alex".into(),
        simulated: false,
        state: crate::domain::AgentState::OnContact,
        reason: None,
        since: Some(s.now),
        time_in_state_s: Some(0.0),
        queue: Some("billing".into()),
        call_id: Some("c1".into()),
        customer_id: None,
        customer_name: None,
        after_call: None,
        skills: Vec::new(),
        on_hold_since: None,
    };
    s.floor.status = Some(status.clone());
    update(&mut s, key(KeyCode::Char('s')));
    let Some(Overlay::States(choice)) = &s.overlay else {
        panic!("the state chooser");
    };
    let labels: Vec<&str> = choice.options.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Available after this call",
            "Not ready after this call: Lunch"
        ]
    );
    // The server keeps it pending; the title says what comes next.
    status.after_call = Some(crate::api::NewAgentState {
        state: crate::domain::SettableState::NotReady,
        reason: Some("lunch".into()),
    });
    update(&mut s, Action::StateSet(Ok(status)));
    let badge = s.floor.badge(s.now).expect("a badge");
    assert!(badge.starts_with("On contact"), "{badge}");
    assert!(badge.ends_with("then not ready"), "{badge}");
}

#[test]
fn keys_are_not_put_into_a_form_the_terminal_is_too_small_to_show() {
    let mut s = state();
    open_with_profile(&mut s);
    update(&mut s, key(KeyCode::Char('l')));
    update(&mut s, Action::Resize(80, 20));
    typed(&mut s, "late");
    update(&mut s, Action::Paste("pasted".into()));
    let form = s.active_form().expect("the form stays open");
    assert!(!form.dirty, "nothing went into the unseen form");
    let notice = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("enlarge the terminal"), "{notice}");
    // Back at 80x22 the same keys type.
    update(&mut s, Action::Resize(80, 22));
    typed(&mut s, "late");
    assert!(s.active_form().is_some_and(|f| f.dirty));
}

#[test]
fn the_after_call_work_timer_starts_at_zero_when_the_form_opens() {
    let mut s = state();
    open_with_profile(&mut s);
    let at = |sec: i64| s.now + chrono::Duration::seconds(sec);
    let (t54, t55) = (at(54), at(55));
    update(&mut s, Action::Tick(t54));
    assert_eq!(
        s.now.timestamp() % 60,
        0,
        "the clock on screen shows minutes"
    );
    update(&mut s, key(KeyCode::Char('l')));
    update(&mut s, Action::Tick(t55));
    let form = s.active_form().expect("the wrap-up form");
    assert_eq!((s.now - form.opened_at).num_seconds(), 1);
}

#[test]
fn ctrl_l_asks_for_a_redraw_on_every_screen_and_types_nothing() {
    let mut s = state();
    assert!(update(&mut s, ctrl('l')).is_empty());
    assert!(s.redraw, "home");
    s.redraw = false;
    update(&mut s, key(KeyCode::Char('/')));
    typed(&mut s, "ann");
    assert!(update(&mut s, ctrl('l')).is_empty());
    assert!(s.redraw, "search");
    assert_eq!(s.search.input.text, "ann");
    s.redraw = false;
    s.screen = Screen::SignIn(Box::default());
    update(&mut s, ctrl('l'));
    assert!(s.redraw && !s.quit, "sign-in");
}

fn with_suggestions(s: &mut AppState) {
    let request = s.customer.as_ref().map(|v| v.request).expect("open");
    let mut suggestion = crate::tui::testkit::suggestion(
        "escalate",
        crate::domain::Opens::Escalation,
        "Escalate to tier 2",
        &[("target_code", "tier2")],
    );
    suggestion.reasons = vec!["3 contacts in 7 days".into(), "most about billing".into()];
    update(
        s,
        Action::SuggestionsLoaded {
            request,
            id: CustomerId(1),
            reply: Ok(crate::tui::testkit::decision(1, 1, vec![suggestion])),
        },
    );
}

#[test]
fn x_on_the_suggestions_opens_the_suggestion_and_enter_acts_on_it() {
    let mut s = state();
    open_with_profile(&mut s);
    with_suggestions(&mut s);
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('x')));
    let view = s.customer.as_ref().expect("open");
    assert!(view.expanded && view.focus == crate::tui::workspace::model::Focus::Suggestions);
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Enter));
    let form = s.active_form().expect("enter acts on the suggestion");
    assert_eq!(form.kind, crate::tui::forms::model::FormKind::Escalate);
}
