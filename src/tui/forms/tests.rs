//! Validation of the forms, and the requests they build.

use super::model::*;
use crate::api::Write;
use crate::domain::{
    Agent, Channel, Customer, CustomerId, InteractionOutcome, Money, Priority, RefData,
    SuggestionVerdict, TimelineEvent,
};
use crate::domain::{
    AgentId, Code, Currency, DispositionCode, EscalationTarget, Fee, FeeId, FeeKind, Role, Segment,
    TargetKind,
};
use crate::tui::editor::TextArea;
use crate::tui::input::TextInput;
use chrono::{DateTime, Utc};

fn usd(m: i64) -> Money {
    Money::new(m, Currency::USD)
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T17:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .expect("time")
}

/// Reference data for the form tests (shared with the quick-log tests).
pub(crate) fn refdata() -> RefData {
    RefData {
        dispositions: vec![
            DispositionCode {
                code: "billing.late_fee".into(),
                category: "Billing".into(),
                label: "Late fee explained".into(),
            },
            DispositionCode {
                code: "orders.status".into(),
                category: "Orders".into(),
                label: "Order status".into(),
            },
        ],
        escalation_reasons: vec![Code {
            code: "repeat_contact".into(),
            label: "Repeat contact".into(),
        }],
        escalation_targets: vec![
            EscalationTarget {
                code: "tier2".into(),
                label: "Tier 2".into(),
                kind: TargetKind::Tier,
            },
            EscalationTarget {
                code: "senior".into(),
                label: "Senior agent".into(),
                kind: TargetKind::Tier,
            },
        ],
        waiver_reasons: vec![Code {
            code: "goodwill".into(),
            label: "Goodwill gesture".into(),
        }],
        queues: vec![],
        not_ready_reasons: vec![],
    }
}

pub(crate) fn customer() -> Customer {
    Customer {
        id: CustomerId(1),
        name: "Maria Gonzalez".into(),
        phones: vec![],
        emails: vec![],
        account_number: "AC1".into(),
        segment: Segment::Gold,
        lifetime_value: usd(100),
        customer_since: chrono::NaiveDate::from_ymd_opt(2019, 1, 1).expect("date"),
        churn_risk: 0.1,
        language: "en".into(),
        time_zone: "America/Los_Angeles".into(),
        marketing_channels: Channel::CONTACT.to_vec(),
        balance: usd(3500),
        kind: crate::domain::PartyKind::Person,
        acts_for: vec![],
        outstanding_fees: vec![
            Fee {
                id: FeeId(3),
                kind: FeeKind::LatePayment,
                charged_at: now(),
                amount: usd(3500),
                outstanding: usd(3500),
                waiver_pending: false,
            },
            Fee {
                id: FeeId(4),
                kind: FeeKind::Service,
                charged_at: now(),
                amount: usd(1000),
                outstanding: usd(1000),
                waiver_pending: false,
            },
        ],
    }
}

fn agent() -> Agent {
    Agent {
        id: AgentId(1),
        name: "Alex".into(),
        role: Role::Agent,
        waiver_limit: usd(5000),
    }
}

/// The waiver suggestion, acted on under `decision`.
fn acted_waiver(decision: i64) -> crate::tui::forms::verdicts::Acted {
    crate::tui::forms::verdicts::Acted {
        action: crate::domain::ActionCode::new("waive_late_fee"),
        title: "Waive the late fee".into(),
        decision: Some(crate::domain::DecisionId(decision)),
    }
}

fn set_text(form: &mut Form, label: &str, text: &str) {
    match form
        .fields
        .iter_mut()
        .find(|(l, _)| *l == label)
        .map(|(_, f)| f)
    {
        Some(Field::Text(t)) => *t = TextInput::with(text),
        Some(Field::Notes(n)) => *n = TextArea::new(text),
        Some(Field::Choice(c)) => c.type_text(text),
        other => panic!("{label}: {other:?}"),
    }
}

#[test]
fn a_wrap_up_needs_a_disposition_and_builds_exactly_what_was_typed() {
    let c = customer();
    let a = agent();
    let ctx = Context {
        customer: &c,
        agent: &a,
        now: now(),
    };
    let shown = vec![crate::tui::testkit::suggestion(
        "waive_late_fee",
        crate::domain::Opens::Waiver,
        "Waive the late fee",
        &[],
    )];
    let mut form = Form::log(
        CustomerId(1),
        &refdata(),
        &shown,
        Some(crate::domain::DecisionId(9)),
        &[acted_waiver(9)],
        now(),
    );
    set_text(&mut form, DISPOSITION, "zzz");
    assert_eq!(form.problems(&ctx)[0].0, DISPOSITION);
    let mut form = Form::log(
        CustomerId(1),
        &refdata(),
        &shown,
        Some(crate::domain::DecisionId(9)),
        &[acted_waiver(9)],
        now(),
    );
    set_text(&mut form, DISPOSITION, "late fe");
    set_text(&mut form, NOTES, "explained the fee\nand autopay");
    set_text(&mut form, TAGS, "fees, autopay ,");
    let Ok(Write::Interaction(r)) = form.build(&ctx) else {
        panic!("{:?}", form.problems(&ctx));
    };
    assert_eq!(r.disposition_code, "billing.late_fee");
    assert_eq!(r.notes, "explained the fee\nand autopay");
    assert_eq!(r.tags, ["fees", "autopay"]);
    assert_eq!(r.outcome, InteractionOutcome::Resolved);
    assert_eq!(
        r.suggestion_outcomes[0].verdict,
        SuggestionVerdict::Accepted,
        "acted on, so accepted"
    );
    assert_eq!(
        r.suggestion_outcomes[0].decision_id,
        Some(crate::domain::DecisionId(9)),
        "the outcome names the decision that showed it"
    );
}

#[test]
fn follow_up_times_are_read_in_the_customers_zone() {
    // 09:30 in Los Angeles on 25 November is 17:30 UTC.
    let at = parse_follow_up("2026-11-25 09:30", "America/Los_Angeles", now()).expect("valid");
    assert_eq!(
        at.map(|t| t.to_rfc3339()),
        Some("2026-11-25T17:30:00+00:00".to_string())
    );
    assert_eq!(parse_follow_up("", "UTC", now()), Ok(None));
    assert!(parse_follow_up("tomorrow", "UTC", now())
        .expect_err("bad")
        .contains("YYYY-MM-DD"));
    assert!(parse_follow_up("2026-11-01 10:00", "UTC", now())
        .expect_err("past")
        .contains("passed"));
    // The server refuses more than a year ahead; the form says so first.
    assert!(parse_follow_up("9999-12-31 09:00", "UTC", now())
        .expect_err("far")
        .contains("at most 366 days ahead"));
    let c = customer();
    let a = agent();
    let ctx = Context {
        customer: &c,
        agent: &a,
        now: now(),
    };
    let mut form = Form::log(CustomerId(1), &refdata(), &[], None, &[], now());
    set_text(&mut form, DISPOSITION, "late");
    if let Some((_, Field::Choice(outcome))) = form.fields.iter_mut().find(|(l, _)| *l == OUTCOME) {
        *outcome = outcome.clone().with_selected("callback");
    }
    assert_eq!(
        form.problems(&ctx),
        vec![(FOLLOW_UP, "a callback needs a time".to_string())]
    );
}

#[test]
fn a_waiver_needs_a_fee_and_a_reason_and_never_more_than_is_owed() {
    let c = customer();
    let a = agent();
    let ctx = Context {
        customer: &c,
        agent: &a,
        now: now(),
    };
    let mut form = Form::waive(&c, None, &refdata(), Some(FeeId(3)), now());
    set_text(&mut form, REASON, "zzz");
    let problems: Vec<_> = form.problems(&ctx).into_iter().map(|(f, _)| f).collect();
    assert_eq!(problems, [REASON]);
    let mut form = Form::waive(&c, None, &refdata(), Some(FeeId(3)), now());
    assert_eq!(
        form.problems(&ctx),
        vec![(REASON, "a reason is required".to_string())],
        "no reason is picked for the agent"
    );
    set_text(&mut form, REASON, "good");
    assert_eq!(form.waiver_total(), Some(usd(3500)));
    let Ok(Write::FeeWaiver(w)) = form.build(&ctx) else {
        panic!("valid")
    };
    assert_eq!(
        (w.fees.len(), w.fees[0].fee_id, w.reason_code.as_str()),
        (1, FeeId(3), "goodwill")
    );
    if let Some((_, Field::Fees(picker))) = form.fields.first_mut() {
        picker.lines[0].amount = TextInput::with("40.00");
    }
    assert_eq!(form.problems(&ctx)[0].0, FEES);
    assert!(form.problems(&ctx)[0].1.contains("at most $35.00"));
    let mut none = Form::waive(&c, None, &refdata(), None, now());
    assert_eq!(
        none.problems(&ctx)[0],
        (FEES, "pick at least one fee (space)".to_string())
    );
    none.focus_on(NOTE);
    assert_eq!(none.focus, 2);
}

#[test]
fn an_escalation_is_drafted_from_the_latest_contacts() {
    let event = |summary: &str, days| TimelineEvent {
        id: crate::domain::EventId(days),
        customer_id: CustomerId(1),
        at: now() - chrono::Duration::days(days),
        channel: Channel::Voice,
        kind: crate::domain::EventKind::Contact,
        topic: None,
        summary: summary.into(),
        detail: None,
        agent: None,
        outcome: Some("follow_up".into()),
        amount: None,
    };
    let mut form = Form::escalate(
        CustomerId(1),
        &refdata(),
        Some("senior"),
        &[event("Third call", 1), event("Second call", 3)],
        now(),
    );
    set_text(&mut form, REASON, "repeat");
    let c = customer();
    let a = agent();
    let Ok(Write::Escalation(e)) = form.build(&Context {
        customer: &c,
        agent: &a,
        now: now(),
    }) else {
        panic!("valid");
    };
    assert_eq!(e.target_code, "senior");
    assert_eq!(e.priority, Priority::Normal);
    assert_eq!(
        e.summary,
        "2026-11-21 Voice: Third call (follow_up)\n2026-11-19 Voice: Second call (follow_up)"
    );
}
