//! Random timeline events of one customer: contacts, purchases, payments,
//! complaints, escalations, offers, life events and notes, and the fee, waiver
//! and fee-query events that go with a fee.

use super::draw::{pick, pick_weighted, DAY_MS};
use super::tables::{
    AGENTS, COMPLAINT_CHANNELS, CONTACT_CHANNELS, CONTACT_OUTCOMES, ESCALATION_CHANNELS,
    ESCALATION_DETAILS, FIELD_VISITS, LIFE_EVENTS, NOTES, NOTE_CHANNELS, OFFERS, OFFER_CHANNELS,
    PAYMENTS, PURCHASES, PURCHASE_CHANNELS, TECHNICAL, TOPICS, WAIVER_REASONS,
};
use crate::domain::{Channel, Currency, CustomerId, EventKind, FeeKind, Money};
use crate::server::store::NewEvent;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Whose events are being generated, and the span of their tenure.
pub(super) struct Profile {
    pub(super) id: CustomerId,
    pub(super) currency: Currency,
    pub(super) since_ms: i64,
    pub(super) anchor_ms: i64,
}

impl Profile {
    pub(super) fn money(&self, minor_units: i64) -> Money {
        Money::new(minor_units, self.currency)
    }

    /// A bare event; callers fill in topic, detail, agent, outcome and amount.
    pub(super) fn event(
        &self,
        at_ms: i64,
        channel: Channel,
        kind: EventKind,
        summary: String,
    ) -> NewEvent {
        NewEvent {
            customer_id: self.id,
            at_ms,
            channel,
            kind,
            topic: None,
            summary,
            detail: None,
            agent: None,
            outcome: None,
            amount: None,
        }
    }

    fn is_recent(&self, at_ms: i64, days: i64) -> bool {
        self.anchor_ms - at_ms <= days * DAY_MS
    }
}

pub(super) fn random_event(
    rng: &mut ChaCha8Rng,
    p: &Profile,
    kind: EventKind,
    at: i64,
) -> NewEvent {
    match kind {
        EventKind::Contact => contact(rng, p, at),
        EventKind::Purchase => purchase(rng, p, at),
        EventKind::Payment => payment(rng, p, at),
        EventKind::Complaint => complaint(rng, p, at),
        EventKind::Escalation => escalation(rng, p, at),
        EventKind::Offer => offer(rng, p, at),
        EventKind::LifeEvent => life_event(rng, p, at),
        // Notes, and the kinds made with their fee records (fees, waivers).
        _ => note(rng, p, at),
    }
}

fn contact(rng: &mut ChaCha8Rng, p: &Profile, at: i64) -> NewEvent {
    let channel = *pick_weighted(rng, CONTACT_CHANNELS);
    let (topic, &(summary, resolved, unresolved)) = if channel == Channel::Field {
        (TECHNICAL.name, pick(rng, FIELD_VISITS))
    } else {
        let topic = *pick_weighted(rng, TOPICS);
        (topic.name, pick(rng, topic.contacts))
    };
    let outcome = *pick_weighted(rng, CONTACT_OUTCOMES);
    let detail = if outcome == "resolved" {
        resolved
    } else {
        unresolved
    };
    NewEvent {
        topic: Some(topic.into()),
        detail: Some(detail.into()),
        agent: Some(agent(rng)),
        outcome: Some(outcome.into()),
        ..p.event(at, channel, EventKind::Contact, summary.into())
    }
}

fn purchase(rng: &mut ChaCha8Rng, p: &Profile, at: i64) -> NewEvent {
    let channel = *pick_weighted(rng, PURCHASE_CHANNELS);
    let &(item, low, high) = pick(rng, PURCHASES);
    let price = rng.gen_range(low..=high) * 100 - 1;
    let (summary, order_prefix) = match channel {
        Channel::Store => (format!("Bought {item} in store"), 'S'),
        Channel::Order => (format!("Ordered {item} by phone"), 'P'),
        _ => (format!("Bought {item} online"), 'W'),
    };
    let agent = (channel != Channel::Web).then(|| agent(rng));
    NewEvent {
        topic: Some("sales".into()),
        detail: Some(format!(
            "Order {order_prefix}{:07}",
            rng.gen_range(0..10_000_000)
        )),
        agent,
        amount: Some(p.money(price)),
        ..p.event(at, channel, EventKind::Purchase, summary)
    }
}

fn payment(rng: &mut ChaCha8Rng, p: &Profile, at: i64) -> NewEvent {
    let &(channel, summary) = pick_weighted(rng, PAYMENTS);
    let agent = matches!(channel, Channel::Voice | Channel::Store).then(|| agent(rng));
    NewEvent {
        topic: Some("billing".into()),
        agent,
        amount: Some(p.money(rng.gen_range(1_500..25_000))),
        ..p.event(at, channel, EventKind::Payment, summary.into())
    }
}

fn complaint(rng: &mut ChaCha8Rng, p: &Profile, at: i64) -> NewEvent {
    let channel = *pick_weighted(rng, COMPLAINT_CHANNELS);
    let topic = *pick_weighted(rng, TOPICS);
    let open = p.is_recent(at, 60) && rng.gen_bool(0.5);
    let (outcome, detail) = if open {
        (
            "open",
            "Acknowledged; investigating, reply due within five working days.",
        )
    } else {
        (
            "resolved",
            "Apologised and credited the account; customer accepted.",
        )
    };
    NewEvent {
        topic: Some(topic.name.into()),
        detail: Some(detail.into()),
        agent: Some(agent(rng)),
        outcome: Some(outcome.into()),
        ..p.event(
            at,
            channel,
            EventKind::Complaint,
            pick(rng, topic.complaints).to_string(),
        )
    }
}

fn escalation(rng: &mut ChaCha8Rng, p: &Profile, at: i64) -> NewEvent {
    let channel = *pick_weighted(rng, ESCALATION_CHANNELS);
    let topic = *pick_weighted(rng, TOPICS);
    let open = p.is_recent(at, 30) && rng.gen_bool(0.4);
    NewEvent {
        topic: Some(topic.name.into()),
        detail: Some(pick(rng, ESCALATION_DETAILS).to_string()),
        agent: Some(agent(rng)),
        outcome: Some(if open { "open" } else { "closed" }.into()),
        ..p.event(
            at,
            channel,
            EventKind::Escalation,
            pick(rng, topic.escalations).to_string(),
        )
    }
}

fn offer(rng: &mut ChaCha8Rng, p: &Profile, at: i64) -> NewEvent {
    let channel = *pick_weighted(rng, OFFER_CHANNELS);
    let &(topic, offer) = pick(rng, OFFERS);
    let accepted = rng.gen_bool(0.3);
    let agent = (channel == Channel::Voice).then(|| agent(rng));
    NewEvent {
        topic: Some(topic.into()),
        agent,
        outcome: Some(if accepted { "accepted" } else { "declined" }.into()),
        ..p.event(at, channel, EventKind::Offer, format!("Offered: {offer}"))
    }
}

pub(super) fn life_event(rng: &mut ChaCha8Rng, p: &Profile, at: i64) -> NewEvent {
    let &(topic, summary, detail, channel) = pick(rng, LIFE_EVENTS);
    NewEvent {
        topic: Some(topic.into()),
        detail: Some(detail.into()),
        ..p.event(at, channel, EventKind::LifeEvent, summary.into())
    }
}

fn note(rng: &mut ChaCha8Rng, p: &Profile, at: i64) -> NewEvent {
    let channel = *pick_weighted(rng, NOTE_CHANNELS);
    NewEvent {
        topic: Some("account".into()),
        agent: Some(agent(rng)),
        ..p.event(at, channel, EventKind::Note, pick(rng, NOTES).to_string())
    }
}

pub(super) fn fee_event(p: &Profile, kind: FeeKind, amount: Money, at: i64) -> NewEvent {
    let detail = match kind {
        FeeKind::LatePayment => "The monthly payment arrived after the due date.",
        FeeKind::Overdraft => "The account went below zero after a card payment.",
        FeeKind::ReturnedPayment => "The bank returned a direct debit unpaid.",
        FeeKind::Service => "Charge for a paper statement and manual payment handling.",
    };
    NewEvent {
        topic: Some("billing".into()),
        detail: Some(detail.into()),
        amount: Some(amount),
        ..p.event(
            at,
            Channel::Billing,
            EventKind::Fee,
            format!("{} charged", kind.label()),
        )
    }
}

pub(super) fn waiver_event(
    rng: &mut ChaCha8Rng,
    p: &Profile,
    kind: FeeKind,
    amount: Money,
    at: i64,
) -> NewEvent {
    NewEvent {
        topic: Some("billing".into()),
        detail: Some(pick(rng, WAIVER_REASONS).to_string()),
        agent: Some(agent(rng)),
        outcome: Some("applied".into()),
        amount: Some(amount),
        ..p.event(
            at,
            Channel::Billing,
            EventKind::Waiver,
            format!("{} waived", kind.label()),
        )
    }
}

/// A contact about a fee just charged.
pub(super) fn fee_query(rng: &mut ChaCha8Rng, p: &Profile, kind: FeeKind, at: i64) -> NewEvent {
    let channel = *pick(rng, &[Channel::Voice, Channel::Chat]);
    let outcome = *pick(rng, &["resolved", "follow_up"]);
    let summary = format!("Asked about the {}", kind.label().to_lowercase());
    NewEvent {
        topic: Some("billing".into()),
        detail: Some("Explained when it was charged and how to avoid it next time.".into()),
        agent: Some(agent(rng)),
        outcome: Some(outcome.into()),
        ..p.event(at, channel, EventKind::Contact, summary)
    }
}

pub(super) fn fee_amount(rng: &mut ChaCha8Rng, kind: FeeKind) -> i64 {
    let amounts: &[i64] = match kind {
        FeeKind::LatePayment => &[2_500, 2_900, 3_500, 3_900],
        FeeKind::Overdraft => &[1_500, 2_500, 3_500],
        FeeKind::ReturnedPayment => &[2_000, 2_500, 3_000],
        FeeKind::Service => &[500, 800, 1_200, 1_500],
    };
    *pick(rng, amounts)
}

fn agent(rng: &mut ChaCha8Rng) -> String {
    pick(rng, AGENTS).to_string()
}
