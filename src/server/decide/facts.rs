//! The facts the catalog's conditions, values and reasons are written over:
//! a fixed vocabulary (`FACTS`), each computed from the customer's profile,
//! their recent history and the contact (queue, channel). Pure: the store
//! reads the [`History`], this turns it into [`Facts`].

use crate::domain::{Channel, Customer, FeeKind, Segment};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// What a fact holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactType {
    Number,
    Bool,
    Text,
}

/// A fact's value for one customer; a fact that does not apply (say
/// `days_since_moved` for someone who never moved) has none.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    Number(f64),
    Bool(bool),
    Text(String),
}

/// (name, type, what it means). The order is the facts' ids.
pub const FACTS: &[(&str, FactType, &str)] = &[
    (
        "segment",
        FactType::Text,
        "premier, gold, silver or standard",
    ),
    ("tenure_months", FactType::Number, "months a customer"),
    (
        "churn_risk",
        FactType::Number,
        "chance (0-1) they leave in the coming months",
    ),
    (
        "lifetime_value",
        FactType::Number,
        "lifetime value, minor units",
    ),
    (
        "balance",
        FactType::Number,
        "what they owe now, minor units",
    ),
    (
        "marketing_consent",
        FactType::Bool,
        "agreed to marketing on this contact's channel",
    ),
    (
        "late_fee_outstanding",
        FactType::Number,
        "owed on the newest late payment fee, minor units",
    ),
    (
        "late_fee_pending",
        FactType::Number,
        "late payment fees whose waiver waits for approval",
    ),
    (
        "days_since_late_fee",
        FactType::Number,
        "days since the newest outstanding late payment fee",
    ),
    (
        "overdraft_fee_outstanding",
        FactType::Number,
        "owed on the newest overdraft fee, minor units",
    ),
    (
        "overdraft_fee_pending",
        FactType::Number,
        "overdraft fees whose waiver waits for approval",
    ),
    (
        "late_fees_90d",
        FactType::Number,
        "late payment fees charged in 90 days",
    ),
    (
        "waivers_12m",
        FactType::Number,
        "fee waivers applied in 12 months",
    ),
    (
        "autopay",
        FactType::Bool,
        "paid by direct debit in the last 90 days",
    ),
    ("contacts_7d", FactType::Number, "contacts in 7 days"),
    (
        "unresolved_contacts_7d",
        FactType::Number,
        "contacts in 7 days not resolved",
    ),
    (
        "top_topic_contacts_30d",
        FactType::Number,
        "contacts about the most frequent topic in 30 days",
    ),
    ("top_topic_30d", FactType::Text, "that topic"),
    ("open_complaints", FactType::Number, "complaints still open"),
    ("complaints_90d", FactType::Number, "complaints in 90 days"),
    (
        "open_escalations",
        FactType::Number,
        "escalations still open",
    ),
    ("purchases_90d", FactType::Number, "purchases in 90 days"),
    ("purchases_365d", FactType::Number, "purchases in 365 days"),
    (
        "monthly_spend",
        FactType::Number,
        "purchases and payments per month over a year, minor units",
    ),
    (
        "days_since_moved",
        FactType::Number,
        "days since they moved house",
    ),
    (
        "days_since_birthday",
        FactType::Number,
        "days since their birthday",
    ),
    (
        "days_since_new_baby",
        FactType::Number,
        "days since a child was born to them",
    ),
    (
        "days_since_marriage",
        FactType::Number,
        "days since they married",
    ),
    (
        "days_since_graduation",
        FactType::Number,
        "days since they graduated",
    ),
    (
        "days_since_promotion",
        FactType::Number,
        "days since a promotion at work",
    ),
    (
        "days_since_life_event",
        FactType::Number,
        "days since any life event",
    ),
    (
        "days_since_retention_declined",
        FactType::Number,
        "days since they declined a retention offer",
    ),
    (
        "contacts_since_retention_declined",
        FactType::Number,
        "contacts since that decline (those of the last 90 days)",
    ),
    (
        "offers_declined_after_complaint_90d",
        FactType::Number,
        "offers declined within 30 days after a complaint, in 90 days",
    ),
    (
        "declines_30d",
        FactType::Number,
        "suggestions declined in 30 days",
    ),
    ("queue", FactType::Text, "the queue of this contact"),
    ("channel", FactType::Text, "the channel of this contact"),
    // The account facts of a business customer (`account.rs`); none for a consumer.
    (
        "account_tier",
        FactType::Text,
        "key_account, managed or standard",
    ),
    (
        "account_value",
        FactType::Number,
        "the account's lifetime value, minor units",
    ),
    (
        "overdue_invoices",
        FactType::Number,
        "the account's invoices unpaid past due",
    ),
    (
        "overdue_amount",
        FactType::Number,
        "what those invoices come to, minor units",
    ),
    (
        "days_overdue",
        FactType::Number,
        "days the oldest of them is past due",
    ),
    (
        "payment_delay_trend",
        FactType::Number,
        "days later the last three invoices were paid than the three before",
    ),
    (
        "account_contacts_30d",
        FactType::Number,
        "people at the company who got in touch in 30 days",
    ),
    (
        "account_complaints_90d",
        FactType::Number,
        "complaints across the account in 90 days",
    ),
    (
        "account_technical_90d",
        FactType::Number,
        "technical cases across the account in 90 days",
    ),
    (
        "account_tone_flags_90d",
        FactType::Number,
        "contacts on the account flagged curt or unhappy at wrap-up in 90 days",
    ),
    (
        "account_charge_outstanding",
        FactType::Number,
        "owed on the account's newest late-payment charge, minor units",
    ),
    (
        "account_charge_pending",
        FactType::Number,
        "the account's late-payment charges whose waiver waits for approval",
    ),
    (
        "renewal_in_days",
        FactType::Number,
        "days to the contract's renewal",
    ),
    (
        "kam_available",
        FactType::Bool,
        "the key-account manager is free now",
    ),
];

/// The life events the seed and imports mark with a `life.*` topic, and the
/// fact that counts days since each.
pub const LIFE_EVENTS: &[(&str, &str)] = &[
    ("life.moved", "days_since_moved"),
    ("life.birthday", "days_since_birthday"),
    ("life.new_baby", "days_since_new_baby"),
    ("life.marriage", "days_since_marriage"),
    ("life.graduation", "days_since_graduation"),
    ("life.promotion", "days_since_promotion"),
];

/// A fact by its position in [`FACTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FactId(pub usize);

impl FactId {
    pub fn named(name: &str) -> Option<FactId> {
        FACTS.iter().position(|(n, _, _)| *n == name).map(FactId)
    }

    pub fn name(&self) -> &'static str {
        FACTS[self.0].0
    }

    pub fn kind(&self) -> FactType {
        FACTS[self.0].1
    }
}

/// Every fact's value for one customer and contact.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    values: Vec<Option<FactValue>>,
}

impl Facts {
    pub fn get(&self, id: FactId) -> Option<&FactValue> {
        self.values.get(id.0).and_then(Option::as_ref)
    }

    pub fn number(&self, id: FactId) -> Option<f64> {
        match self.get(id) {
            Some(FactValue::Number(n)) => Some(*n),
            Some(FactValue::Bool(b)) => Some(f64::from(u8::from(*b))),
            _ => None,
        }
    }

    /// The value of the fact called `name` (for tests and the evaluator).
    pub fn by_name(&self, name: &str) -> Option<&FactValue> {
        self.get(FactId::named(name)?)
    }

    fn set(&mut self, name: &str, value: FactValue) {
        if let Some(id) = FactId::named(name) {
            self.values[id.0] = Some(value);
        }
    }

    /// Facts from name and value pairs (tests, and a stored decision's facts).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, FactValue)>) -> Facts {
        let mut facts = Facts {
            values: vec![None; FACTS.len()],
        };
        for (name, value) in pairs {
            facts.set(name, value);
        }
        facts
    }

    /// Every fact that has a value, by name (stored with a decision).
    pub fn pairs(&self) -> Vec<(&'static str, FactValue)> {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.clone().map(|v| (FACTS[i].0, v)))
            .collect()
    }
}

/// One timeline event, as much of it as the facts need.
#[derive(Debug, Clone, PartialEq)]
pub struct PastEvent {
    pub at: DateTime<Utc>,
    pub kind: crate::domain::EventKind,
    pub topic: Option<String>,
    pub outcome: Option<String>,
    pub summary: String,
    pub amount_minor: Option<i64>,
}

/// An answer the customer gave to a suggestion (from the decision log).
#[derive(Debug, Clone, PartialEq)]
pub struct PastResponse {
    pub action: String,
    pub at: DateTime<Utc>,
    pub verdict: crate::domain::SuggestionVerdict,
}

/// A suggestion shown to the customer (from the decision log).
#[derive(Debug, Clone, PartialEq)]
pub struct PastShown {
    pub action: String,
    pub at: DateTime<Utc>,
}

/// What the store reads about a customer's recent past for a decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// Timeline events of the last 365 days, newest first; contacts only of
    /// the last 90.
    pub events: Vec<PastEvent>,
    /// When late payment fees were charged, last 90 days.
    pub late_fees_90d: Vec<DateTime<Utc>>,
    pub open_escalations: i64,
    /// Responses to suggestions, last 90 days.
    pub responses: Vec<PastResponse>,
    /// Suggestions shown, last 30 days.
    pub shown: Vec<PastShown>,
    /// The account of the organisation a business customer is or calls for.
    pub account: Option<super::account::AccountHistory>,
}

/// The contact the decision is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub channel: String,
    pub queue: Option<String>,
}

impl Contact {
    /// Whether `customer` agreed to marketing on this contact's channel (a
    /// channel the desk does not know has no consent).
    pub fn marketing_consent(&self, customer: &Customer) -> bool {
        Channel::parse(&self.channel).is_some_and(|c| customer.marketing_consent_on(c))
    }
}

/// Every fact for `customer` now.
pub fn compute(
    customer: &Customer,
    history: &History,
    contact: &Contact,
    now: DateTime<Utc>,
) -> Facts {
    use crate::domain::EventKind as K;
    let mut f = Facts::from_pairs([]);
    let num = |n: f64| FactValue::Number(n);
    let days = |at: DateTime<Utc>| ((now - at).num_seconds().max(0) as f64 / 86_400.0).floor();
    let within = |at: DateTime<Utc>, d: i64| now - at <= chrono::Duration::days(d);
    let segment = match customer.segment {
        Segment::Premier => "premier",
        Segment::Gold => "gold",
        Segment::Silver => "silver",
        Segment::Standard => "standard",
    };
    f.set("segment", FactValue::Text(segment.to_string()));
    let tenure = (now.date_naive() - customer.customer_since)
        .num_days()
        .max(0) as f64
        / 30.44;
    f.set("tenure_months", num(tenure.floor()));
    f.set("churn_risk", num(customer.churn_risk));
    f.set(
        "lifetime_value",
        num(customer.lifetime_value.minor_units as f64),
    );
    f.set("balance", num(customer.balance.minor_units as f64));
    f.set(
        "marketing_consent",
        FactValue::Bool(contact.marketing_consent(customer)),
    );
    for (kind, owed, pending, since) in [
        (
            FeeKind::LatePayment,
            "late_fee_outstanding",
            "late_fee_pending",
            Some("days_since_late_fee"),
        ),
        (
            FeeKind::Overdraft,
            "overdraft_fee_outstanding",
            "overdraft_fee_pending",
            None,
        ),
    ] {
        let open: Vec<_> = customer
            .outstanding_fees
            .iter()
            .filter(|x| x.kind == kind)
            .collect();
        let newest = open
            .iter()
            .filter(|x| !x.waiver_pending)
            .max_by_key(|x| x.charged_at);
        f.set(
            owed,
            num(newest.map_or(0.0, |x| x.outstanding.minor_units as f64)),
        );
        f.set(
            pending,
            num(open.iter().filter(|x| x.waiver_pending).count() as f64),
        );
        if let (Some(name), Some(fee)) = (since, newest) {
            f.set(name, num(days(fee.charged_at)));
        }
    }
    f.set("late_fees_90d", num(history.late_fees_90d.len() as f64));
    f.set("open_escalations", num(history.open_escalations as f64));
    let events = &history.events;
    let count =
        |keep: &dyn Fn(&PastEvent) -> bool| events.iter().filter(|e| keep(e)).count() as f64;
    f.set(
        "waivers_12m",
        num(count(&|e| {
            e.kind == K::Waiver && e.outcome.as_deref().is_none_or(|o| o == "applied")
        })),
    );
    f.set(
        "autopay",
        FactValue::Bool(events.iter().any(|e| {
            e.kind == K::Payment
                && within(e.at, 90)
                && e.summary.to_lowercase().contains("direct debit")
        })),
    );
    f.set(
        "contacts_7d",
        num(count(&|e| e.kind == K::Contact && within(e.at, 7))),
    );
    f.set(
        "unresolved_contacts_7d",
        num(count(&|e| {
            e.kind == K::Contact
                && within(e.at, 7)
                && e.outcome.as_deref().is_some_and(|o| o != "resolved")
        })),
    );
    let mut topics: HashMap<&str, usize> = HashMap::new();
    for e in events
        .iter()
        .filter(|e| e.kind == K::Contact && within(e.at, 30))
    {
        if let Some(topic) = e.topic.as_deref() {
            *topics.entry(topic).or_default() += 1;
        }
    }
    if let Some((topic, n)) = topics.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
        f.set("top_topic_contacts_30d", num(*n as f64));
        f.set("top_topic_30d", FactValue::Text(topic.to_string()));
    } else {
        f.set("top_topic_contacts_30d", num(0.0));
    }
    f.set(
        "open_complaints",
        num(count(&|e| {
            e.kind == K::Complaint && e.outcome.as_deref() == Some("open")
        })),
    );
    f.set(
        "complaints_90d",
        num(count(&|e| e.kind == K::Complaint && within(e.at, 90))),
    );
    f.set(
        "purchases_90d",
        num(count(&|e| e.kind == K::Purchase && within(e.at, 90))),
    );
    f.set("purchases_365d", num(count(&|e| e.kind == K::Purchase)));
    let spend: i64 = events
        .iter()
        .filter(|e| matches!(e.kind, K::Purchase | K::Payment))
        .filter_map(|e| e.amount_minor)
        .sum();
    f.set("monthly_spend", num((spend as f64 / 12.0).round()));
    let mut last_life: Option<DateTime<Utc>> = None;
    for (topic, fact) in LIFE_EVENTS {
        let newest = events
            .iter()
            .filter(|e| e.kind == K::LifeEvent && e.topic.as_deref() == Some(topic))
            .map(|e| e.at)
            .max();
        if let Some(at) = newest {
            f.set(fact, num(days(at)));
            last_life = last_life.max(Some(at));
        }
    }
    if let Some(at) = last_life {
        f.set("days_since_life_event", num(days(at)));
    }
    retention_decline(&mut f, history, now);
    let complaints: Vec<DateTime<Utc>> = events
        .iter()
        .filter(|e| e.kind == K::Complaint)
        .map(|e| e.at)
        .collect();
    let declined_after = events
        .iter()
        .filter(|e| {
            e.kind == K::Offer && within(e.at, 90) && e.outcome.as_deref() == Some("declined")
        })
        .filter(|e| {
            complaints
                .iter()
                .any(|c| *c <= e.at && e.at - *c <= chrono::Duration::days(30))
        })
        .count();
    f.set(
        "offers_declined_after_complaint_90d",
        num(declined_after as f64),
    );
    let declines = history
        .responses
        .iter()
        .filter(|r| r.verdict == crate::domain::SuggestionVerdict::Declined && within(r.at, 30))
        .count();
    f.set("declines_30d", num(declines as f64));
    f.set("channel", FactValue::Text(contact.channel.clone()));
    if let Some(queue) = &contact.queue {
        f.set("queue", FactValue::Text(queue.clone()));
    }
    if let Some(account) = &history.account {
        account_facts(&mut f, &super::account::signals(account, customer, now));
    }
    f
}

/// The account facts of a business customer.
fn account_facts(f: &mut Facts, s: &super::account::Signals) {
    let num = FactValue::Number;
    f.set("account_tier", FactValue::Text(s.tier.as_str().into()));
    f.set("account_value", num(s.value_minor as f64));
    f.set("overdue_invoices", num(s.overdue_invoices as f64));
    f.set("overdue_amount", num(s.overdue_minor as f64));
    f.set("days_overdue", num(s.days_overdue as f64));
    if let Some(trend) = s.payment_delay_trend {
        f.set("payment_delay_trend", num(trend));
    }
    f.set("account_contacts_30d", num(s.contacts_30d as f64));
    f.set("account_complaints_90d", num(s.complaints_90d as f64));
    f.set("account_technical_90d", num(s.technical_90d as f64));
    f.set("account_tone_flags_90d", num(s.tone_flags_90d as f64));
    f.set("account_charge_outstanding", num(s.charge_minor as f64));
    f.set("account_charge_pending", num(s.charges_pending as f64));
    f.set("renewal_in_days", num(s.renewal_in_days as f64));
    if let Some(free) = s.kam_available {
        f.set("kam_available", FactValue::Bool(free));
    }
}

/// The newest declined retention offer (on the timeline, or a retention
/// suggestion declined at the desk) and the contacts since.
fn retention_decline(f: &mut Facts, history: &History, now: DateTime<Utc>) {
    use crate::domain::EventKind as K;
    let on_timeline = history
        .events
        .iter()
        .filter(|e| e.kind == K::Offer && e.topic.as_deref() == Some("retention"))
        .filter(|e| e.outcome.as_deref() == Some("declined"))
        .map(|e| e.at);
    let at_desk = history
        .responses
        .iter()
        .filter(|r| {
            r.action.starts_with("retention")
                && r.verdict == crate::domain::SuggestionVerdict::Declined
        })
        .map(|r| r.at);
    let Some(declined) = on_timeline.chain(at_desk).max() else {
        return;
    };
    let days = ((now - declined).num_seconds().max(0) as f64 / 86_400.0).floor();
    f.set("days_since_retention_declined", FactValue::Number(days));
    let since = history
        .events
        .iter()
        .filter(|e| e.kind == K::Contact && e.at > declined)
        .count();
    f.set(
        "contacts_since_retention_declined",
        FactValue::Number(since as f64),
    );
}
