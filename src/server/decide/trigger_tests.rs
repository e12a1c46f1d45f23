//! The shipped catalog's event triggers, each at the edge of its window: a
//! history that opens it makes the action eligible, the same history a day
//! or an event short leaves it closed.

use super::testkit::{customer, days_ago, event, now, response};
use super::*;
use crate::domain::{EventKind as K, Fee, FeeKind, Segment, SuggestionVerdict};

/// Whether the shipped catalog's `code` is eligible for `customer` now.
fn eligible(code: &str, customer: &Customer, history: &History) -> bool {
    let catalog = Catalog::shipped().unwrap_or_else(|e| panic!("{e:?}"));
    let action = catalog.action(code).unwrap_or_else(|| panic!("no {code}"));
    let contact = Contact {
        channel: "voice".into(),
        queue: None,
    };
    let facts = facts::compute(customer, history, &contact, now());
    eligibility(action, &facts).is_none()
}

fn events(list: Vec<facts::PastEvent>) -> History {
    History {
        events: list,
        ..History::default()
    }
}

fn contacts(days: &[i64], topic: &str, outcome: &str) -> Vec<facts::PastEvent> {
    days.iter()
        .map(|d| event(K::Contact, topic, Some(outcome), *d))
        .collect()
}

#[test]
fn a_second_late_payment_in_ninety_days_opens_a_payment_plan() {
    let mut owes = customer(true, "UTC");
    owes.balance.minor_units = 12_000;
    let twice = History {
        late_fees_90d: vec![days_ago(10), days_ago(70)],
        ..History::default()
    };
    let once = History {
        late_fees_90d: vec![days_ago(10)],
        ..History::default()
    };
    assert!(eligible("payment_plan", &owes, &twice));
    assert!(!eligible("payment_plan", &owes, &once));
    // Nothing owed, nothing to spread.
    assert!(!eligible("payment_plan", &customer(true, "UTC"), &twice));
}

#[test]
fn a_third_contact_in_seven_days_calls_for_an_escalation() {
    let c = customer(true, "UTC");
    assert!(eligible(
        "escalate",
        &c,
        &events(contacts(&[1, 3, 6], "billing", "resolved"))
    ));
    assert!(!eligible(
        "escalate",
        &c,
        &events(contacts(&[1, 3, 8], "billing", "resolved"))
    ));
    let escalated = History {
        open_escalations: 1,
        ..events(contacts(&[1, 3, 6], "billing", "resolved"))
    };
    assert!(!eligible("escalate", &c, &escalated), "already escalated");
}

#[test]
fn an_open_complaint_from_a_premier_customer_goes_to_a_senior_until_resolved() {
    let mut premier = customer(true, "UTC");
    premier.segment = Segment::Premier;
    let open = events(vec![event(K::Complaint, "service", Some("open"), 4)]);
    let resolved = events(vec![event(K::Complaint, "service", Some("resolved"), 4)]);
    assert!(eligible("senior_handoff", &premier, &open));
    assert!(!eligible("senior_handoff", &premier, &resolved));
    assert!(
        !eligible("senior_handoff", &customer(true, "UTC"), &open),
        "gold"
    );
}

#[test]
fn a_declined_retention_offer_gets_a_second_chance_at_the_next_contact() {
    let c = customer(true, "UTC");
    let declined = |days| event(K::Offer, "retention", Some("declined"), days);
    let mut then_called = contacts(&[2], "billing", "resolved");
    then_called.push(declined(20));
    assert!(eligible(
        "retention_second_chance",
        &c,
        &events(then_called)
    ));
    assert!(!eligible(
        "retention_second_chance",
        &c,
        &events(vec![declined(20)])
    ));
    let mut long_ago = contacts(&[2], "billing", "resolved");
    long_ago.push(declined(100));
    assert!(!eligible("retention_second_chance", &c, &events(long_ago)));
    // Declined at the desk counts as much as on the timeline.
    let at_desk = History {
        responses: vec![response("retention_offer", 20, SuggestionVerdict::Declined)],
        ..events(contacts(&[2], "billing", "resolved"))
    };
    assert!(eligible("retention_second_chance", &c, &at_desk));
}

#[test]
fn a_third_contact_about_one_topic_in_thirty_days_asks_what_is_behind_it() {
    let c = customer(true, "UTC");
    assert!(eligible(
        "check_repeat_topic",
        &c,
        &events(contacts(&[2, 12, 29], "billing", "resolved"))
    ));
    assert!(!eligible(
        "check_repeat_topic",
        &c,
        &events(contacts(&[2, 12, 31], "billing", "resolved"))
    ));
    let mut mixed = contacts(&[2, 12], "billing", "resolved");
    mixed.extend(contacts(&[20], "technical", "resolved"));
    assert!(!eligible("check_repeat_topic", &c, &events(mixed)));
}

#[test]
fn an_offer_declined_after_a_complaint_holds_offers_until_it_is_fixed() {
    let c = customer(true, "UTC");
    let complaint = event(K::Complaint, "service", Some("open"), 20);
    let after = event(K::Offer, "sales", Some("declined"), 10);
    let before = event(K::Offer, "sales", Some("declined"), 25);
    assert!(eligible(
        "hold_offers_fix_first",
        &c,
        &events(vec![after, complaint.clone()])
    ));
    assert!(!eligible(
        "hold_offers_fix_first",
        &c,
        &events(vec![complaint, before])
    ));
}

#[test]
fn an_unresolved_contact_this_week_books_a_specialist_callback() {
    let c = customer(true, "UTC");
    assert!(eligible(
        "specialist_callback",
        &c,
        &events(contacts(&[3], "technical", "follow_up"))
    ));
    assert!(!eligible(
        "specialist_callback",
        &c,
        &events(contacts(&[3], "technical", "resolved"))
    ));
    assert!(!eligible(
        "specialist_callback",
        &c,
        &events(contacts(&[8], "technical", "follow_up"))
    ));
}

#[test]
fn a_second_complaint_in_ninety_days_earns_an_apology_credit() {
    let c = customer(true, "UTC");
    let two = |older| {
        events(vec![
            event(K::Complaint, "service", Some("resolved"), 5),
            event(K::Complaint, "service", Some("resolved"), older),
        ])
    };
    assert!(eligible("apology_credit", &c, &two(80)));
    assert!(!eligible("apology_credit", &c, &two(95)));
}

#[test]
fn life_events_open_their_actions_for_a_while() {
    let c = customer(true, "UTC");
    let life = |topic: &str, days| events(vec![event(K::LifeEvent, topic, None, days)]);
    assert!(eligible(
        "update_contact_details",
        &c,
        &life("life.moved", 30)
    ));
    assert!(!eligible(
        "update_contact_details",
        &c,
        &life("life.moved", 61)
    ));
    assert!(eligible("birthday", &c, &life("life.birthday", 3)));
    assert!(!eligible("birthday", &c, &life("life.birthday", 15)));
    assert!(eligible("new_baby", &c, &life("life.new_baby", 59)));
    assert!(
        !eligible("new_baby", &c, &life("life.moved", 5)),
        "another event"
    );
    for (code, topic) in [
        ("marriage", "life.marriage"),
        ("graduation", "life.graduation"),
        ("promotion", "life.promotion"),
    ] {
        assert!(eligible(code, &c, &life(topic, 10)), "{code}");
        assert!(!eligible(code, &c, &life(topic, 90)), "{code}");
    }
}

#[test]
fn a_late_fee_is_waived_once_a_year() {
    let mut c = customer(true, "UTC");
    c.outstanding_fees = vec![Fee {
        id: crate::domain::FeeId(1),
        kind: FeeKind::LatePayment,
        charged_at: days_ago(10),
        amount: Money::new(3_500, crate::domain::Currency::USD),
        outstanding: Money::new(3_500, crate::domain::Currency::USD),
        waiver_pending: false,
    }];
    assert!(eligible("waive_late_fee", &c, &History::default()));
    let waived = events(vec![event(K::Waiver, "billing", Some("applied"), 100)]);
    assert!(!eligible("waive_late_fee", &c, &waived));
    c.outstanding_fees[0].waiver_pending = true;
    assert!(
        !eligible("waive_late_fee", &c, &History::default()),
        "already asked"
    );
}
