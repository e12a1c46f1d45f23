//! Builders for the decision service's unit tests: a customer, a fixed
//! "now", and past events, responses and showings so many days before it.

use super::facts::{PastEvent, PastResponse, PastShown};
use crate::domain::{
    Channel, Currency, Customer, CustomerId, EventKind, Money, Segment, SuggestionVerdict,
};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

/// A gold customer since 2015 with churn risk 0.6, in `zone`, who agreed to
/// marketing on every contact channel (`consent`) or on none.
pub fn customer(consent: bool, zone: &str) -> Customer {
    let usd = |m| Money::new(m, Currency::USD);
    Customer {
        id: CustomerId(1),
        name: "Ana Silva".into(),
        phones: vec![],
        emails: vec![],
        account_number: "AC1".into(),
        segment: Segment::Gold,
        lifetime_value: usd(1_000_000),
        customer_since: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default(),
        churn_risk: 0.6,
        language: "en".into(),
        time_zone: zone.into(),
        marketing_channels: match consent {
            true => Channel::CONTACT.to_vec(),
            false => vec![],
        },
        balance: usd(0),
        kind: crate::domain::PartyKind::Person,
        acts_for: vec![],
        outstanding_fees: vec![],
    }
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 15, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn days_ago(d: i64) -> DateTime<Utc> {
    now() - Duration::days(d)
}

/// A timeline event `days` ago.
pub fn event(kind: EventKind, topic: &str, outcome: Option<&str>, days: i64) -> PastEvent {
    PastEvent {
        at: days_ago(days),
        kind,
        topic: Some(topic.into()),
        outcome: outcome.map(str::to_string),
        summary: format!("{} about {topic}", kind.as_str()),
        amount_minor: None,
    }
}

pub fn response(action: &str, days: i64, verdict: SuggestionVerdict) -> PastResponse {
    PastResponse {
        action: action.into(),
        at: days_ago(days),
        verdict,
    }
}

pub fn shown(action: &str, days: i64) -> PastShown {
    PastShown {
        action: action.into(),
        at: days_ago(days),
    }
}
