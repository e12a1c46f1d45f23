//! Unit tests of the decisions board through `update` with the default
//! keymap: who may open it, the rows and their order, the segment cycle and
//! the funnel it asks for, the text filter, answers that come too late or
//! fail, the rules shown on enter, and the per-day bars.

use super::*;
use crate::api::{Models, RuleCount};
use crate::domain::{ActionCode, ActionKind, Agent, AgentId, Currency, Money, Role};
use crate::tui::action::{Action, Effect, Failure};
use crate::tui::glyphs::Glyphs;
use crate::tui::keymap;
use crate::tui::sanitize::Sanitize;
use crate::tui::session::model::Connection;
use crate::tui::state::{AppState, Level, Screen};
use crate::tui::update::update;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .expect("time")
}

fn desk(role: Role) -> AppState {
    let (keymap, errors) = keymap::load("default", None);
    assert!(errors.is_empty());
    let mut s = AppState::new(Arc::new(keymap), Glyphs::UNICODE, "http://sb".into(), now());
    s.agent = Some(Agent {
        id: AgentId(2),
        name: "Sam".into(),
        role,
        waiver_limit: Money::new(50_000, Currency::USD),
    });
    s.connection = Connection::Online;
    s
}

fn press(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(s, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// An action's row: eligible, shown, and accepted/declined/ignored.
fn row(code: &str, name: &str, eligible: i64, shown: i64, answers: [i64; 3]) -> FunnelRow {
    let [accepted, declined, ignored] = answers;
    FunnelRow {
        action: ActionCode::new(code),
        name: name.into(),
        kind: ActionKind::Service,
        eligible,
        suppressed: eligible - shown,
        suppressed_by: vec![],
        shown,
        accepted,
        declined,
        ignored,
        not_offered: 0,
        acceptance: Rate::wilson(accepted, accepted + declined + ignored),
        value_accepted: vec![],
        per_day: vec![None, Some(1.0)],
    }
}

fn funnel(segment: Option<Segment>) -> Funnel {
    Funnel {
        lift: Default::default(),
        from: now() - Duration::days(30),
        to: now(),
        segment,
        decisions: 40,
        days: vec![
            NaiveDate::from_ymd_opt(2026, 11, 21).expect("day"),
            NaiveDate::from_ymd_opt(2026, 11, 22).expect("day"),
        ],
        actions: vec![
            row("escalate", "Escalate to tier 2", 12, 10, [2, 3, 5]),
            row("birthday", "Wish them a happy birthday", 0, 0, [0, 0, 0]),
            row("waive_late_fee", "Waive the late fee", 30, 25, [20, 2, 3]),
            row("add_on", "Offer the streaming add-on", 9, 0, [0, 0, 0]),
            // Answered after the period's decisions: still activity.
            row("apology_credit", "Give an apology credit", 0, 0, [1, 0, 0]),
            row("autopay", "Set up autopay", 14, 10, [0, 0, 0]),
        ],
    }
}

/// A supervisor on the decisions board with the funnel for all segments.
fn on_board() -> AppState {
    let mut s = desk(Role::Supervisor);
    assert_eq!(
        press(&mut s, KeyCode::F(7)),
        vec![Effect::LoadFunnel { segment: None }]
    );
    assert_eq!(s.screen, Screen::Board(BoardKind::Decisions));
    let effects = update(
        &mut s,
        Action::FunnelLoaded {
            segment: None,
            reply: Ok(funnel(None)),
        },
    );
    assert_eq!(effects, vec![Effect::LoadModels], "the models follow");
    s
}

fn codes(s: &AppState) -> Vec<String> {
    s.boards.keys(BoardKind::Decisions, s.now)
}

#[test]
fn an_agent_is_told_the_board_is_for_supervisors() {
    let mut s = desk(Role::Agent);
    assert!(press(&mut s, KeyCode::F(7)).is_empty());
    assert_eq!(s.screen, Screen::Home);
    let notice = s.notice.clone().expect("told why");
    assert_eq!(notice.level, Level::Warning);
    assert!(
        notice.text.contains("decisions board is for supervisors"),
        "{}",
        notice.text
    );
}

#[test]
fn rows_with_activity_come_most_shown_first_then_by_name() {
    let s = on_board();
    assert_eq!(
        codes(&s),
        [
            "waive_late_fee",
            "escalate",
            "autopay",
            "apology_credit",
            "add_on"
        ],
        "the birthday saw nothing; ties by name"
    );
    assert_eq!(
        s.boards.selected_decision().map(|r| r.name.as_str()),
        Some("Waive the late fee"),
        "the cursor starts on the first row"
    );
    let mut s = s;
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Down);
    assert_eq!(
        s.boards.selected_decision().map(|r| r.action.as_str()),
        Some("autopay")
    );
    press(&mut s, KeyCode::End);
    assert_eq!(
        s.boards.selected_decision().map(|r| r.action.as_str()),
        Some("add_on")
    );
}

#[test]
fn the_segment_cycles_and_each_asks_for_its_funnel() {
    let mut s = on_board();
    let mut asked = Vec::new();
    for _ in 0..5 {
        asked.push(press(&mut s, KeyCode::Char('f')));
    }
    let segment = |segment| vec![Effect::LoadFunnel { segment }];
    assert_eq!(
        asked,
        [
            segment(Some(Segment::Premier)),
            segment(Some(Segment::Gold)),
            segment(Some(Segment::Silver)),
            segment(Some(Segment::Standard)),
            segment(None),
        ]
    );
    assert_eq!(next_segment(Some(Segment::Standard)), None);
    assert_eq!(segment_label(Some(Segment::Gold)), "gold");
    assert_eq!(segment_label(None), "all");
    // Refresh asks for the segment on screen again.
    press(&mut s, KeyCode::Char('f'));
    assert_eq!(
        press(&mut s, KeyCode::F(5)),
        segment(Some(Segment::Premier))
    );
    // On another board the key does nothing.
    press(&mut s, KeyCode::F(2));
    assert!(!press(&mut s, KeyCode::Char('f'))
        .iter()
        .any(|e| matches!(e, Effect::LoadFunnel { .. })));
}

#[test]
fn a_late_answer_for_another_segment_is_dropped_and_a_failure_keeps_the_board() {
    let mut s = on_board();
    press(&mut s, KeyCode::Char('f'));
    press(&mut s, KeyCode::Char('f'));
    assert_eq!(s.boards.segment, Some(Segment::Gold));
    assert!(s.boards.funnel_pending());
    // Premier's answer arrives after gold was asked for.
    update(
        &mut s,
        Action::FunnelLoaded {
            segment: Some(Segment::Premier),
            reply: Ok(funnel(Some(Segment::Premier))),
        },
    );
    assert_eq!(s.boards.funnel.as_ref().map(|f| f.segment), Some(None));
    // Gold cannot be had: the board keeps all segments and says so.
    update(
        &mut s,
        Action::FunnelLoaded {
            segment: Some(Segment::Gold),
            reply: Err(Failure::Unreachable("connection refused".into())),
        },
    );
    assert_eq!(s.boards.segment, None, "back to the segment on screen");
    assert!(!s.boards.funnel_pending());
    assert_eq!(codes(&s).len(), 5, "still there, offline");
    assert!(matches!(s.connection, Connection::Offline(_)));
    let notice = s.notice.clone().expect("told");
    assert!(
        notice.text.contains("connection refused"),
        "{}",
        notice.text
    );
    // Offline, refresh asks again and tries the server now.
    let effects = press(&mut s, KeyCode::F(5));
    assert_eq!(
        effects,
        vec![Effect::LoadFunnel { segment: None }, Effect::RetryNow]
    );
}

#[test]
fn the_text_filter_keeps_actions_by_name_or_code() {
    let mut s = on_board();
    press(&mut s, KeyCode::Char('/'));
    for c in "FEE".chars() {
        press(&mut s, KeyCode::Char(c));
    }
    assert_eq!(codes(&s), ["waive_late_fee"], "by name, any case");
    press(&mut s, KeyCode::Enter);
    press(&mut s, KeyCode::Char('c'));
    press(&mut s, KeyCode::Char('/'));
    for c in "add_".chars() {
        press(&mut s, KeyCode::Char(c));
    }
    assert_eq!(codes(&s), ["add_on"], "by code");
    press(&mut s, KeyCode::Esc);
    assert_eq!(codes(&s).len(), 5, "esc drops it");
}

#[test]
fn enter_says_every_rule_that_suppressed_the_action() {
    let mut s = on_board();
    if let Some(f) = s.boards.funnel.as_mut() {
        f.actions[2].suppressed = 5;
        f.actions[2].suppressed_by = vec![
            RuleCount {
                rule: "quiet hours".into(),
                count: 1,
            },
            RuleCount {
                rule: "cap".into(),
                count: 4,
            },
        ];
    }
    let row = s.boards.selected_decision().expect("a row").clone();
    assert_eq!(top_rule(&row).as_deref(), Some("4× cap"));
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    let notice = s.notice.clone().expect("said");
    assert_eq!(
        notice.text,
        "Waive the late fee: suppressed 5 times: cap 4, quiet hours 1"
    );
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    let notice = s.notice.clone().expect("said");
    assert_eq!(
        notice.text,
        "Escalate to tier 2: never suppressed in this period"
    );
}

#[test]
fn acceptance_reads_as_a_rate_with_its_interval() {
    assert_eq!(acceptance(Rate::wilson(31, 50)), "62% 48-74");
    assert_eq!(acceptance(Rate::wilson(1, 1)), "100% 21-100");
    assert_eq!(acceptance(None), "-");
    let f = funnel(None);
    let all = overall(&f).expect("answered");
    assert_eq!((all.n, percent(all.value)), (36, "64%".to_string()));
}

#[test]
fn the_trend_is_a_bar_a_day_with_gaps_for_days_without_answers() {
    let days = [Some(0.0), None, Some(0.5), Some(1.0), None, Some(0.99)];
    assert_eq!(trend(&days, 6, &Glyphs::UNICODE), "▁·▅█·█");
    assert_eq!(trend(&days, 6, &Glyphs::ASCII), "_ =# #");
    assert_eq!(trend(&days, 3, &Glyphs::UNICODE), "█·█", "the newest days");
    assert_eq!(trend(&days, 0, &Glyphs::UNICODE), "");
    assert_eq!(trend(&[], 7, &Glyphs::ASCII), "");
    // A share outside 0-1 from a confused server still draws a bar.
    assert_eq!(trend(&[Some(7.0), Some(-1.0)], 2, &Glyphs::UNICODE), "█▁");
}

#[test]
fn names_and_rules_from_the_server_are_cleaned() {
    let mut f = funnel(None);
    f.actions[0].name = "\u{1b}[31mRed\u{1b}[0m alert \u{202e}gnp".into();
    f.actions[0].suppressed_by = vec![RuleCount {
        rule: "cap\u{1b}]0;pwned\u{7}".into(),
        count: 1,
    }];
    let clean = f.sanitize();
    let row = &clean.actions[0];
    assert!(!row.name.chars().any(|c| c.is_control()), "{:?}", row.name);
    assert!(row.name.contains("Red alert"), "{:?}", row.name);
    assert_eq!(row.suppressed_by[0].rule, "cap");
}

fn models(summary: &str) -> Models {
    Models {
        generated_at: now(),
        half_life_days: 30.0,
        min_responses: 30,
        actions: vec![crate::api::ActionModel {
            action: ActionCode::new("waive_late_fee"),
            name: "Waive the late fee".into(),
            prior: 0.4,
            answers: 25.0,
            accepted: 20.0,
            propensity: 0.79,
            enough: false,
            auc: None,
            auc_answers: 0,
            predictors: vec![],
            summary: summary.into(),
        }],
    }
}

#[test]
fn the_models_arrive_after_the_funnel_and_a_failure_keeps_them() {
    let mut s = on_board();
    assert!(s.boards.models.is_none());
    update(
        &mut s,
        Action::ModelsLoaded(Ok(models("accepted by 80% of 25 answers"))),
    );
    let kept = s.boards.models.clone();
    assert!(kept.is_some());
    update(
        &mut s,
        Action::ModelsLoaded(Err(Failure::Retry("server busy".into()))),
    );
    assert_eq!(s.boards.models, kept, "what was learned stays on screen");
    assert!(s.notice.is_some(), "and the failure is said");
}

#[test]
fn a_model_summary_is_sanitised_where_it_enters() {
    let hostile = "accepted by 80%\x1b[2J\x1b]0;owned\x07 of 25 answers";
    let clean = models(hostile).sanitize();
    let summary = &clean.actions[0].summary;
    assert!(!summary.chars().any(|c| c.is_control()), "{summary:?}");
    assert!(summary.contains("accepted by 80%"), "{summary:?}");
}
