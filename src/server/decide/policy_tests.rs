//! Each contact policy at controlled times: consent (per channel), the group cap and when
//! it lets go, suppression after declines and after being shown without an
//! answer (and how acceptance resets it), and quiet hours in the customer's
//! own zone.

use super::*;
use crate::domain::Channel;
use crate::server::decide::facts::PastEvent;
use crate::server::decide::testkit::{customer, days_ago, now, response, shown};
use chrono::TimeZone;

/// A call, as most contacts are.
fn voice() -> Contact {
    Contact {
        channel: "voice".into(),
        queue: None,
    }
}

fn check(code: &str, customer: &Customer, history: &History, at: DateTime<Utc>) -> Option<String> {
    check_on(&voice(), code, customer, history, at)
}

fn check_on(
    contact: &Contact,
    code: &str,
    customer: &Customer,
    history: &History,
    at: DateTime<Utc>,
) -> Option<String> {
    let catalog = Catalog::shipped().unwrap_or_else(|e| panic!("{e:?}"));
    let action = catalog.action(code).unwrap_or_else(|| panic!("no {code}"));
    stops(&catalog, action, customer, contact, history, at)
}

#[test]
fn marketing_needs_consent_and_service_does_not() {
    let none = History::default();
    assert_eq!(
        check("retention_offer", &customer(false, "UTC"), &none, now()).as_deref(),
        Some("consent: no marketing consent")
    );
    assert_eq!(
        check("retention_offer", &customer(true, "UTC"), &none, now()),
        None
    );
    assert_eq!(
        check("plan_upgrade", &customer(false, "UTC"), &none, now()).as_deref(),
        Some("consent: no marketing consent")
    );
    assert_eq!(
        check("waive_late_fee", &customer(false, "UTC"), &none, now()),
        None
    );
    assert_eq!(
        check("escalate", &customer(false, "UTC"), &none, now()),
        None
    );
}

#[test]
fn marketing_consent_is_per_channel() {
    // Agreed to offers by e-mail and chat, not on the phone.
    let mut c = customer(true, "UTC");
    c.marketing_channels = vec![Channel::Email, Channel::Chat];
    let none = History::default();
    let on = |channel: &str| Contact {
        channel: channel.into(),
        queue: None,
    };
    assert_eq!(
        check_on(&on("voice"), "retention_offer", &c, &none, now()).as_deref(),
        Some("consent: no marketing consent by voice")
    );
    assert_eq!(
        check_on(&on("chat"), "retention_offer", &c, &none, now()),
        None
    );
    assert_eq!(
        check_on(&on("email"), "plan_upgrade", &c, &none, now()),
        None
    );
    // A channel the desk does not know carries no consent.
    assert!(check_on(&on("fax"), "plan_upgrade", &c, &none, now()).is_some());
    // Service needs none, on any channel.
    assert_eq!(check_on(&on("voice"), "escalate", &c, &none, now()), None);
}

#[test]
fn the_group_cap_counts_offers_of_any_action_in_the_group_and_lets_go() {
    let c = customer(true, "UTC");
    // A loyalty discount accepted 10 days ago caps every retention offer.
    let history = History {
        responses: vec![response(
            "retention_loyalty_discount",
            10,
            SuggestionVerdict::Accepted,
        )],
        ..History::default()
    };
    assert_eq!(
        check("retention_offer", &c, &history, now()).as_deref(),
        Some("cap: 1 retention offer(s) in 30 days")
    );
    // Sales is another group: not capped by it.
    assert_eq!(check("plan_upgrade", &c, &history, now()), None);
    // Thirty-one days on, the cap has let go.
    assert_eq!(
        check("retention_offer", &c, &history, now() + Duration::days(21)),
        None
    );
    // Not offered does not count as an offer.
    let not_offered = History {
        responses: vec![response(
            "retention_offer",
            3,
            SuggestionVerdict::NotOffered,
        )],
        ..History::default()
    };
    assert_eq!(check("retention_offer", &c, &not_offered, now()), None);
    // An offer made outside the desk (an offer event on the timeline) counts.
    let mailed = History {
        events: vec![PastEvent {
            at: days_ago(5),
            kind: EventKind::Offer,
            topic: Some("retention".into()),
            outcome: None,
            summary: "20% off for 12 months".into(),
            amount_minor: None,
        }],
        ..History::default()
    };
    assert!(check("retention_offer", &c, &mailed, now()).is_some_and(|r| r.starts_with("cap:")));
}

#[test]
fn two_declines_suppress_an_action_for_sixty_days() {
    let c = customer(true, "UTC");
    // Two declines 20 days apart: within 30 days of each other.
    let history = History {
        responses: vec![
            response("plan_upgrade", 45, SuggestionVerdict::Declined),
            response("plan_upgrade", 40, SuggestionVerdict::Declined),
        ],
        ..History::default()
    };
    let rule = check("plan_upgrade", &c, &history, now());
    assert_eq!(
        rule.as_deref(),
        Some("suppressed: declined 2 times in 30 days (until 2026-12-20)")
    );
    // The day it ends, it is back.
    let later = Utc
        .with_ymd_and_hms(2026, 12, 21, 0, 0, 0)
        .single()
        .unwrap_or_default();
    assert_eq!(check("plan_upgrade", &c, &history, later), None);
    // Declines further apart than the window do not suppress.
    let apart = History {
        responses: vec![
            response("add_on", 80, SuggestionVerdict::Declined),
            response("add_on", 20, SuggestionVerdict::Declined),
        ],
        ..History::default()
    };
    assert_eq!(
        check("add_on", &c, &apart, now() + Duration::days(31)),
        None
    );
    // Another action's declines are its own.
    assert_eq!(check("add_on", &c, &history, now()), None);
}

#[test]
fn shown_three_times_in_a_week_without_acceptance_suppresses_until_accepted_again() {
    let c = customer(true, "UTC");
    let mut history = History {
        shown: vec![
            shown("loyalty_reward", 6),
            shown("loyalty_reward", 3),
            shown("loyalty_reward", 1),
        ],
        ..History::default()
    };
    assert!(check("loyalty_reward", &c, &history, now())
        .is_some_and(|r| r.starts_with("suppressed: shown 3 times in 7 days without acceptance")));
    // Twice is not enough.
    history.shown.remove(0);
    assert_eq!(check("loyalty_reward", &c, &history, now()), None);
}

#[test]
fn acceptance_starts_the_count_of_unanswered_showings_again() {
    // A limited group without a cap, so acceptance does not cap it.
    let catalog = Catalog::parse(
        "nudges.toml",
        r#"
[groups.nudges]
limited = true

[[action]]
code = "nudge"
name = "Nudge"
kind = "care"
opens = "info"
group = "nudges"
when = ["tenure_months >= 1"]
value = "100"
prior = 0.5
"#,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let action = &catalog.actions[0];
    let c = customer(true, "UTC");
    let mut history = History {
        shown: vec![shown("nudge", 6), shown("nudge", 3), shown("nudge", 1)],
        ..History::default()
    };
    assert!(stops(&catalog, action, &c, &voice(), &history, now()).is_some());
    history
        .responses
        .push(response("nudge", 4, SuggestionVerdict::Accepted));
    assert_eq!(stops(&catalog, action, &c, &voice(), &history, now()), None);
}

#[test]
fn quiet_hours_are_the_customers_own() {
    let history = History::default();
    // 15:00 UTC is 07:00 in Los Angeles: before 08:00, quiet.
    let la = customer(true, "America/Los_Angeles");
    assert_eq!(
        check("specialist_callback", &la, &history, now()).as_deref(),
        Some("quiet hours: 21:00-08:00 their time")
    );
    // The same moment is 16:00 in Paris: a callback may be booked.
    assert_eq!(
        check(
            "specialist_callback",
            &customer(true, "Europe/Paris"),
            &history,
            now()
        ),
        None
    );
    // At 22:30 in Paris it is quiet again.
    let late = Utc
        .with_ymd_and_hms(2026, 11, 30, 21, 30, 0)
        .single()
        .unwrap_or_default();
    assert!(check(
        "specialist_callback",
        &customer(true, "Europe/Paris"),
        &history,
        late
    )
    .is_some());
    // Only outbound actions keep quiet hours.
    assert_eq!(check("escalate", &la, &history, now()), None);
    // A zone the server does not know is taken as UTC, not a panic.
    assert_eq!(
        check(
            "specialist_callback",
            &customer(true, "Mars/Olympus"),
            &history,
            now()
        ),
        None
    );
}
