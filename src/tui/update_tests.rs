//! Unit tests of `update`: keys through the default keymap, replies (including
//! stale ones) and the effects asked for.

use super::*;
use crate::api::{CustomerSummary, MatchedOn, SearchHit, TimelinePage};
use crate::domain::{
    Agent, Channel, Currency, Customer, CustomerId, EventKind, Money, Role, Segment, TimelineEvent,
};
use crate::tui::glyphs::Glyphs;
use crate::tui::input::TextInput;
use crate::tui::keymap;
use crate::tui::layout;
use crate::tui::palette::model::palette_commands;
use crate::tui::search::model::classify_pop;
use crate::tui::search::pop::pop;
use crate::tui::state::Level;
use crate::tui::workspace::model::visible_events;
use crate::tui::workspace::update::open_customer;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

fn state() -> AppState {
    let (keymap, errors) = keymap::load("default", None);
    assert!(errors.is_empty());
    let now = DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .expect("time");
    let mut s = AppState::new(Arc::new(keymap), Glyphs::UNICODE, "http://sb".into(), now);
    s.agent = Some(Agent {
        id: crate::domain::AgentId(1),
        name: "Alex".into(),
        role: Role::Agent,
        waiver_limit: Money::new(5000, Currency::USD),
    });
    s.connection = Connection::Online;
    s
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(s: &mut AppState, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| update(s, key(KeyCode::Char(c))))
        .collect()
}

fn summary(id: i64, name: &str, phone: &str) -> CustomerSummary {
    CustomerSummary {
        id: CustomerId(id),
        name: name.into(),
        account_number: format!("AC{id:08}"),
        phones: vec![phone.into()],
        emails: vec![],
        segment: Segment::Gold,
    }
}

fn event(id: i64, minute: i64) -> TimelineEvent {
    TimelineEvent {
        id: crate::domain::EventId(id),
        customer_id: CustomerId(1),
        at: DateTime::from_timestamp(1_700_000_000 - minute * 60, 0).expect("time"),
        channel: Channel::Voice,
        kind: EventKind::Contact,
        topic: None,
        summary: format!("event {id}"),
        detail: None,
        agent: None,
        outcome: None,
        amount: None,
    }
}

/// Opens customer 1 and answers its timeline with `n` events.
fn open_with_events(s: &mut AppState, n: i64, more: bool) -> u64 {
    let effects = open_customer(s, summary(1, "Ann Lee", "+14155550100"), None);
    let request = match &effects[1] {
        Effect::LoadTimeline { request, .. } => *request,
        other => panic!("unexpected {other:?}"),
    };
    update(
        s,
        Action::TimelineLoaded {
            request,
            id: CustomerId(1),
            append: false,
            reply: Ok(TimelinePage {
                events: (0..n).map(|i| event(i + 1, i)).collect(),
                next_before: more.then(|| "cursor".to_string()),
            }),
        },
    );
    request
}

#[test]
fn typing_in_search_filters_locally_and_asks_the_server() {
    let mut s = state();
    s.known.remember(&summary(1, "Ann Lee", "+14155550100"));
    s.known.remember(&summary(2, "Bob Stone", "+14155550101"));
    update(&mut s, key(KeyCode::Char('/')));
    assert_eq!(s.screen, Screen::Search);
    // `q` is text here, not quit.
    let effects = typed(&mut s, "q");
    assert!(!s.quit);
    assert_eq!(s.search.input.text, "q");
    assert!(
        effects.is_empty(),
        "one character is not sent to the server"
    );
    s.search.input = TextInput::default();
    let effects = typed(&mut s, "ann");
    assert_eq!(s.search.rows[0].customer.name, "Ann Lee");
    let request = match effects.last() {
        Some(Effect::Search { request, query }) => {
            assert_eq!(query, "ann");
            *request
        }
        other => panic!("expected a search, got {other:?}"),
    };
    // An older answer is dropped; the current one merges, exact matches first.
    update(
        &mut s,
        Action::SearchResults {
            request: request - 1,
            reply: Ok(vec![]),
        },
    );
    assert_eq!(s.search.rows.len(), 1);
    let exact = SearchHit {
        customer: summary(3, "Annika Exact", "+14155550102"),
        matched_on: MatchedOn::Phone,
        exact: true,
    };
    update(
        &mut s,
        Action::SearchResults {
            request,
            reply: Ok(vec![exact]),
        },
    );
    assert_eq!(s.search.rows[0].customer.name, "Annika Exact");
    assert_eq!(s.search.rows[1].customer.name, "Ann Lee");
    // Enter opens the selected customer and loads profile, timeline, suggestions.
    let effects = update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.screen, Screen::Customer);
    assert_eq!(effects.len(), 3);
    assert_eq!(s.recent[0].name, "Annika Exact");
}

#[test]
fn paste_is_text_never_keys() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('/')));
    update(&mut s, Action::Paste("q\u{1b}[31m415\n555".into()));
    assert!(!s.quit);
    assert_eq!(s.search.input.text, "q415 555");
}

#[test]
fn pop_with_several_matches_offers_a_chooser_and_none_falls_back_to_search() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('p')));
    assert!(matches!(s.overlay, Some(Overlay::Pop { .. })));
    typed(&mut s, "415.555.0134");
    let effects = update(&mut s, key(KeyCode::Enter));
    let Some(Effect::Lookup { request, query }) = effects.first().cloned() else {
        panic!("expected a lookup, got {effects:?}");
    };
    assert_eq!(classify_pop(&query).phone.as_deref(), Some("415.555.0134"));
    let two = vec![
        summary(1, "Maria", "+14155550134"),
        summary(2, "Robert", "+14155550134"),
    ];
    update(
        &mut s,
        Action::PopResults {
            request,
            query: query.clone(),
            reply: Ok(two),
        },
    );
    assert!(matches!(&s.overlay, Some(Overlay::Chooser { matches, .. }) if matches.len() == 2));
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.customer.as_ref().map(|c| c.id), Some(CustomerId(2)));

    let effects = pop(&mut s, "nobody@example.com");
    let Some(Effect::Lookup { request, .. }) = effects.first().cloned() else {
        panic!("lookup");
    };
    let effects = update(
        &mut s,
        Action::PopResults {
            request,
            query: "nobody@example.com".into(),
            reply: Ok(vec![]),
        },
    );
    assert_eq!(s.screen, Screen::Search);
    assert_eq!(s.search.input.text, "nobody@example.com");
    assert!(s
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("No customer matches")));
    assert!(matches!(effects.first(), Some(Effect::Search { .. })));
}

#[test]
fn a_warning_outlives_the_pop_that_follows_it_until_a_key() {
    let mut s = state();
    s.notify(Level::Warning, "Local cache unreadable: moved aside");
    let effects = pop(&mut s, "+14155550134");
    let Some(Effect::Lookup { request, query }) = effects.first().cloned() else {
        panic!("lookup");
    };
    update(
        &mut s,
        Action::PopResults {
            request,
            query,
            reply: Ok(vec![summary(1, "Maria", "+14155550134")]),
        },
    );
    assert_eq!(s.customer.as_ref().map(|c| c.id), Some(CustomerId(1)));
    let shown = |s: &AppState| s.notice.as_ref().map(|n| n.text.clone());
    assert_eq!(
        shown(&s).as_deref(),
        Some("Local cache unreadable: moved aside"),
        "neither \"Looking up\" nor the pop's answer hides the warning"
    );
    update(&mut s, key(KeyCode::Down));
    assert_eq!(shown(&s), None, "the next key clears it");
}

#[test]
fn stale_replies_for_a_customer_left_behind_are_dropped() {
    let mut s = state();
    let first = open_with_events(&mut s, 3, false);
    open_customer(&mut s, summary(2, "Bob Stone", "+14155550101"), None);
    update(
        &mut s,
        Action::TimelineLoaded {
            request: first,
            id: CustomerId(1),
            append: false,
            reply: Ok(TimelinePage {
                events: vec![event(9, 0)],
                next_before: None,
            }),
        },
    );
    let view = s.customer.as_ref().expect("view");
    assert_eq!(view.id, CustomerId(2));
    assert!(
        view.events.is_empty(),
        "the old customer's page was not shown"
    );
}

#[test]
fn scrolling_near_the_end_loads_the_next_page_once() {
    let mut s = state();
    open_with_events(&mut s, 100, true);
    let effects = update(&mut s, key(KeyCode::End));
    assert!(matches!(
        effects.as_slice(),
        [Effect::LoadTimeline { append: true, query, .. }] if query.before.as_deref() == Some("cursor")
    ));
    assert!(
        update(&mut s, key(KeyCode::Up)).is_empty(),
        "already loading"
    );
    let view = s.customer.as_ref().expect("view");
    assert_eq!(view.selected, 98);
    let rows = layout::timeline_rows(80, 24);
    assert!(view.offset + rows > view.selected && view.offset <= view.selected);
}

#[test]
fn channel_filter_reloads_from_the_server_and_text_filter_narrows_locally() {
    let mut s = state();
    open_with_events(&mut s, 30, false);
    let effects = update(&mut s, key(KeyCode::Char('f')));
    assert!(matches!(
        effects.as_slice(),
        [Effect::LoadTimeline { append: false, query, .. }] if query.channel == Some(Channel::Voice)
    ));
    // Back to all channels after the last one.
    for _ in 0..Channel::ALL.len() {
        update(&mut s, key(KeyCode::Char('f')));
    }
    assert_eq!(s.customer.as_ref().and_then(|v| v.channel), None);
    let request = s
        .customer
        .as_ref()
        .map(|v| v.timeline_request)
        .expect("view");
    update(
        &mut s,
        Action::TimelineLoaded {
            request,
            id: CustomerId(1),
            append: false,
            reply: Ok(TimelinePage {
                events: (0..30).map(|i| event(i + 1, i)).collect(),
                next_before: None,
            }),
        },
    );
    update(&mut s, key(KeyCode::Char('/')));
    assert_eq!(s.mode(), keymap::Mode::TimelineFilter);
    typed(&mut s, "event 2");
    let view = s.customer.as_ref().expect("view");
    let visible = visible_events(view);
    assert!(visible.len() < 30 && !visible.is_empty());
    assert!(visible
        .iter()
        .all(|&i| view.events[i].summary.contains('2')));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.mode(), keymap::Mode::Customer);
}

#[test]
fn help_palette_and_back_navigate_without_effects() {
    let mut s = state();
    open_with_events(&mut s, 5, false);
    assert!(update(&mut s, key(KeyCode::Char('?'))).is_empty());
    assert!(matches!(s.overlay, Some(Overlay::Help { .. })));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.overlay.is_none());
    update(&mut s, key(KeyCode::Char(':')));
    typed(&mut s, "quit");
    assert_eq!(palette_commands(&s, "quit")[0], Command::Quit);
    update(&mut s, key(KeyCode::Enter));
    assert!(s.quit);
    let mut s = state();
    open_with_events(&mut s, 5, false);
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.screen, Screen::Home);
}

#[test]
fn help_end_shows_its_last_page_and_up_moves_back_from_there() {
    let mut s = state();
    open_with_events(&mut s, 5, false);
    update(&mut s, key(KeyCode::Char('?')));
    update(&mut s, key(KeyCode::End));
    let scroll = |s: &AppState| match s.overlay {
        Some(Overlay::Help { scroll }) => scroll,
        _ => panic!("help is open"),
    };
    let end = scroll(&s);
    assert!(
        end > 0,
        "at 80x24 the customer's help is longer than its box"
    );
    // The last key is on the box's last line: no blank box, no blank tail.
    let rows = crate::tui::testkit::rows(&s, 80, 24);
    let row = |y: usize| rows[y].clone();
    let last = s.keymap.bindings(s.mode_without_overlay());
    let (_, command) = last.last().expect("keys");
    // Title and box border above, box border and status line below.
    assert!(row(21).contains(command.name()), "{}", row(21));
    update(&mut s, key(KeyCode::Up));
    assert_eq!(scroll(&s), end - 1, "up moves from the last page at once");
    update(&mut s, key(KeyCode::End));
    update(&mut s, key(KeyCode::Down));
    assert_eq!(scroll(&s), end, "nothing below the last page");
}

#[test]
fn sign_in_failures_say_which_and_what_to_do() {
    let mut s = state();
    s.screen = Screen::SignIn(Box::default());
    update(
        &mut s,
        Action::SignedIn(Err(Failure::Unreachable("connection refused".into()))),
    );
    assert!(matches!(s.connection, Connection::Offline(_)));
    let text = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        text.contains("Cannot reach the server") && text.contains("SWITCHBOARD_SERVER"),
        "{text}"
    );
    update(
        &mut s,
        Action::SignedIn(Err(Failure::Unauthenticated("unknown token".into()))),
    );
    let text = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(text.contains("refused the token"), "{text}");
    assert!(matches!(s.screen, Screen::SignIn(_)));
    s.pop_on_start = Some("4155550134".into());
    let agent = s.agent.clone().expect("agent");
    let effects = update(&mut s, Action::SignedIn(Ok(agent)));
    assert_eq!(s.screen, Screen::Home);
    assert!(matches!(
        effects.as_slice(),
        [
            Effect::LoadRefData,
            Effect::Subscribe,
            Effect::OpenLocal { agent },
            Effect::Lookup { .. }
        ] if agent == "1"
    ));
}

#[test]
fn clock_ticks_change_state_only_once_a_minute() {
    let mut s = state();
    let before = s.now;
    update(&mut s, Action::Tick(before + chrono::Duration::seconds(30)));
    assert_eq!(s.now, before);
    update(&mut s, Action::Tick(before + chrono::Duration::seconds(61)));
    assert_eq!(s.now, before + chrono::Duration::minutes(1));
}

#[test]
fn a_form_draft_survives_leaving_the_customer_and_comes_back() {
    let mut s = state();
    s.refdata = Some(crate::domain::RefData {
        dispositions: vec![crate::domain::DispositionCode {
            code: "billing.late_fee".into(),
            category: "Billing".into(),
            label: "Late fee explained".into(),
        }],
        escalation_reasons: vec![],
        escalation_targets: vec![],
        waiver_reasons: vec![],
        queues: vec![],
        not_ready_reasons: vec![],
    });
    let request = open_with_events(&mut s, 3, false);
    let profile = Customer {
        id: CustomerId(1),
        name: "Ann Lee".into(),
        phones: vec![],
        emails: vec![],
        account_number: "AC1".into(),
        segment: Segment::Gold,
        lifetime_value: Money::new(100, Currency::USD),
        customer_since: chrono::NaiveDate::from_ymd_opt(2019, 1, 1).expect("date"),
        churn_risk: 0.1,
        language: "en".into(),
        time_zone: "UTC".into(),
        marketing_channels: Channel::CONTACT.to_vec(),
        balance: Money::new(0, Currency::USD),
        kind: crate::domain::PartyKind::Person,
        acts_for: vec![],
        outstanding_fees: vec![],
    };
    update(
        &mut s,
        Action::CustomerLoaded {
            request,
            id: CustomerId(1),
            reply: Ok(profile),
            cached_at: None,
        },
    );
    update(&mut s, key(KeyCode::Char('l')));
    assert_eq!(s.mode(), keymap::Mode::Form);
    typed(&mut s, "late");
    update(&mut s, key(KeyCode::Enter));
    typed(&mut s, "half-typed note");
    // The agent is pulled to another caller…
    open_customer(&mut s, summary(2, "Bob Stone", "+14155550101"), None);
    assert_eq!(s.mode(), keymap::Mode::Customer);
    // …and back: the draft is offered and reopens as it was.
    open_customer(&mut s, summary(1, "Ann Lee", "+14155550100"), None);
    assert_eq!(s.drafts.len(), 1);
    update(&mut s, key(KeyCode::Char('l')));
    let form = s.active_form().expect("the draft reopens");
    assert!(matches!(
        form.field(crate::tui::forms::model::NOTES),
        Some(crate::tui::forms::model::Field::Notes(n)) if n.text() == "half-typed note"
    ));
}

#[test]
fn a_filter_pressed_before_the_profile_arrives_does_not_lose_it() {
    let mut s = state();
    let effects = open_customer(&mut s, summary(1, "Ann Lee", "+14155550100"), None);
    let Some(Effect::LoadCustomer { request, .. }) = effects.first().cloned() else {
        panic!("profile first");
    };
    update(&mut s, key(KeyCode::Char('f')));
    update(
        &mut s,
        Action::SuggestionsLoaded {
            request,
            id: CustomerId(1),
            reply: Ok(crate::tui::testkit::decision(1, 1, vec![])),
        },
    );
    assert_eq!(
        s.customer
            .as_ref()
            .and_then(|v| v.suggestions.as_ref())
            .map(Vec::len),
        Some(0),
        "the suggestions reply still counts"
    );
}

/// Customer 1 open with the forms' test profile (two fees) and codes.
fn open_with_profile(s: &mut AppState) -> Vec<Effect> {
    s.refdata = Some(crate::tui::forms::tests::refdata());
    let request = open_with_events(s, 3, false);
    let mut profile = crate::tui::forms::tests::customer();
    profile.id = CustomerId(1);
    update(
        s,
        Action::CustomerLoaded {
            request,
            id: CustomerId(1),
            reply: Ok(profile),
            cached_at: None,
        },
    )
}

/// A wrap-up and a quick log worked through `update` from a seeded state:
/// every effect asked for, in order.
fn wrap_up_effects(seed: u64) -> Vec<Effect> {
    let mut s = state();
    s.ids = crate::tui::ids::Ids::seeded(seed);
    let mut effects = open_with_profile(&mut s);
    effects.extend(update(&mut s, key(KeyCode::Char('l'))));
    effects.extend(typed(&mut s, "late"));
    effects.extend(update(&mut s, key(KeyCode::Enter)));
    effects.extend(typed(&mut s, "told her about autopay"));
    let ctrl_s = Action::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    effects.extend(update(&mut s, ctrl_s));
    effects.extend(update(&mut s, key(KeyCode::Enter)));
    let ctrl_p = Action::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    effects.extend(update(&mut s, ctrl_p));
    effects.extend(typed(&mut s, "log latefee called back"));
    effects.extend(update(&mut s, key(KeyCode::Enter)));
    effects
}

#[test]
fn the_same_actions_from_the_same_seed_ask_for_the_same_effects() {
    let first = wrap_up_effects(7);
    assert_eq!(first, wrap_up_effects(7), "update must be deterministic");
    let keys: Vec<&String> = first
        .iter()
        .filter_map(|e| match e {
            Effect::Submit { key, .. } => Some(key),
            _ => None,
        })
        .collect();
    assert_eq!(
        keys.len(),
        2,
        "the wrap-up and the quick log are sent: {first:?}"
    );
    assert_ne!(keys[0], keys[1]);
    // Another seed, other keys: they come from the seeded generator.
    assert_ne!(first, wrap_up_effects(8));
}

/// The confirm step's sentences for `sent`, from the open form.
fn review(s: &AppState, sent: &crate::api::Write) -> Vec<String> {
    let (Some(form), Some(refdata), Some(customer)) = (
        s.active_form(),
        s.refdata.as_ref(),
        s.customer.as_ref().and_then(|v| v.profile.as_ref()),
    ) else {
        panic!("the form, the codes and the customer");
    };
    crate::tui::forms::review::sentences(sent, form, refdata, customer)
}

fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

#[test]
fn editing_keys_come_from_the_keymap_text_table() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('/')));
    typed(&mut s, "oliver benet");
    update(&mut s, ctrl('w'));
    assert_eq!(s.search.input.text, "oliver ");
    update(&mut s, key(KeyCode::Left));
    update(&mut s, key(KeyCode::Left));
    typed(&mut s, "X");
    assert_eq!(s.search.input.text, "oliveXr ");
    update(&mut s, ctrl('u'));
    assert_eq!(s.search.input.text, "", "ctrl-u clears the field");
    update(&mut s, ctrl('z'));
    assert_eq!(s.search.input.text, "oliveXr ", "and ctrl-z brings it back");
    // Help lists the editing keys where the agent types.
    let help = s.keymap.bindings(keymap::Mode::Search);
    assert!(help
        .iter()
        .any(|(k, c)| k == "ctrl-u" && *c == Command::ClearLine));
    // Elsewhere the keys keep their own meaning: no text table on home.
    assert!(!s
        .keymap
        .bindings(keymap::Mode::Home)
        .iter()
        .any(|(_, c)| c.edit().is_some()));
}

#[test]
fn a_user_keymap_rebinds_an_editing_key() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("keymap.toml");
    std::fs::write(
        &file,
        "[text]\n\"ctrl-k\" = \"clear_line\"\n\"ctrl-u\" = \"none\"\n",
    )
    .expect("write");
    let (keymap, errors) = keymap::load("default", Some(&file));
    assert!(errors.is_empty(), "{errors:?}");
    let mut s = state();
    s.keymap = Arc::new(keymap);
    update(&mut s, key(KeyCode::Char('/')));
    typed(&mut s, "wang");
    update(&mut s, ctrl('u'));
    assert_eq!(s.search.input.text, "wang", "ctrl-u is unbound now");
    update(&mut s, ctrl('k'));
    assert_eq!(s.search.input.text, "");
}

#[path = "trial_tests.rs"]
mod trial;

#[path = "wrap_up_tests.rs"]
mod wrap_up;

#[test]
fn a_business_caller_loads_their_account_and_a_switches_the_timeline_to_it() {
    let mut s = state();
    s.refdata = Some(crate::tui::forms::tests::refdata());
    let request = open_with_events(&mut s, 3, false);
    let mut profile = crate::tui::forms::tests::customer();
    profile.id = CustomerId(1);
    let harbor = CustomerId(90);
    profile.acts_for = vec![crate::domain::Affiliation {
        organisation_id: harbor,
        organisation: "Harbor".into(),
        tier: crate::domain::Tier::KeyAccount,
        role: crate::domain::ContactRole::Finance,
        authority: None,
        key_account_manager: None,
        last_chosen: None,
        charges: vec![],
        annual_revenue: None,
    }];
    let effects = update(
        &mut s,
        Action::CustomerLoaded {
            request,
            id: CustomerId(1),
            reply: Ok(profile.clone()),
            cached_at: None,
        },
    );
    assert!(
        matches!(effects.as_slice(), [Effect::LoadOrganisation { organisation, .. }] if *organisation == harbor),
        "{effects:?}"
    );
    // The whole account, then back to the person; each reloads from the newest.
    let effects = update(&mut s, key(KeyCode::Char('a')));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadTimeline { account: Some(org), append: false, .. }] if *org == harbor),
        "{effects:?}"
    );
    let effects = update(&mut s, key(KeyCode::Char('a')));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::LoadTimeline { account: None, .. }]
        ),
        "{effects:?}"
    );
    // The account overlay waits for the account, then opens.
    update(&mut s, key(KeyCode::Char('o')));
    assert!(s.overlay.is_none());
    assert!(s
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("still loading")));
}

#[path = "business_tests.rs"]
mod business;

#[path = "call_tests.rs"]
mod calls;

#[path = "unknown_tests.rs"]
mod unknown;
