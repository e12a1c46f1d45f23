//! One customer under construction: their random stream, their profile, and
//! the batch their fees and events go to; the plain profile fixed customers
//! start from.

use super::batch::Batch;
use super::draw::{midnight_ms, pick_weighted, recent_biased_time, DAY_MS, HOUR_MS};
use super::events::{
    fee_amount, fee_event, fee_query, life_event, random_event, waiver_event, Profile,
};
use super::tables::{FEE_KINDS, HISTORY_KINDS};
use crate::domain::{Channel, Currency, CustomerId, EventKind, FeeKind, Money, Segment};
use crate::server::store::{NewCustomer, NewEvent, NewFee};
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A scripted event: (days before the anchor, hour UTC, channel, summary, detail,
/// agent).
pub(super) type Scripted = (i64, i64, Channel, &'static str, &'static str, &'static str);

/// One customer under construction: their random stream, and the batch their fees
/// and events go to.
pub(super) struct Builder<'a> {
    pub(super) rng: ChaCha8Rng,
    pub(super) profile: Profile,
    batch: &'a mut Batch,
    first_event: usize,
    /// Fees still owed, in minor units.
    owed: i64,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        rng: ChaCha8Rng,
        id: CustomerId,
        currency: Currency,
        since: NaiveDate,
        anchor: NaiveDate,
        batch: &'a mut Batch,
    ) -> Builder<'a> {
        let first_event = batch.events.len();
        Builder {
            rng,
            profile: Profile {
                id,
                currency,
                since_ms: midnight_ms(since),
                anchor_ms: midnight_ms(anchor),
            },
            batch,
            first_event,
            owed: 0,
        }
    }

    /// `hour`:00 UTC, `days` days before the anchor.
    pub(super) fn day_at(&self, days: i64, hour: i64) -> i64 {
        self.profile.anchor_ms - days * DAY_MS + hour * HOUR_MS
    }

    pub(super) fn push(&mut self, event: NewEvent) {
        self.batch.events.push(event);
    }

    /// Charges a fee: the fee record and its `fee` event on the billing channel.
    pub(super) fn charge(&mut self, kind: FeeKind, minor_units: i64, at_ms: i64, owed: bool) {
        let amount = self.profile.money(minor_units);
        let outstanding = if owed { minor_units } else { 0 };
        self.owed += outstanding;
        self.batch.fees.push(NewFee {
            customer_id: self.profile.id,
            kind,
            charged_at_ms: at_ms,
            amount,
            outstanding: self.profile.money(outstanding),
        });
        let event = fee_event(&self.profile, kind, amount, at_ms);
        self.push(event);
    }

    /// Exactly `n` random events between `from_ms` and `to_ms`, denser towards
    /// `to_ms`. Fees among them are settled: paid, or waived soon after.
    pub(super) fn history(&mut self, n: usize, from_ms: i64, to_ms: i64) {
        let mut left = n;
        while left > 0 {
            let at = recent_biased_time(&mut self.rng, from_ms, to_ms);
            let kind = *pick_weighted(&mut self.rng, HISTORY_KINDS);
            if kind == EventKind::Fee {
                left -= self.settled_fee(at, to_ms, left >= 2);
            } else {
                let event = random_event(&mut self.rng, &self.profile, kind, at);
                self.push(event);
                left -= 1;
            }
        }
    }

    /// A fee that was paid or, when there is `room` for a second event, sometimes
    /// waived. Returns the number of events added.
    fn settled_fee(&mut self, at_ms: i64, to_ms: i64, room: bool) -> usize {
        let kind = *pick_weighted(&mut self.rng, FEE_KINDS);
        let minor_units = fee_amount(&mut self.rng, kind);
        self.charge(kind, minor_units, at_ms, false);
        if !(room && self.rng.gen_bool(0.25)) {
            return 1;
        }
        let waived_at = (at_ms + self.rng.gen_range(HOUR_MS..3 * DAY_MS)).min(to_ms);
        let amount = self.profile.money(minor_units);
        let event = waiver_event(&mut self.rng, &self.profile, kind, amount, waived_at);
        self.push(event);
        2
    }

    /// Recent fees still owed (about one customer in six), each sometimes followed
    /// by a contact about it. Returns the number of events added.
    pub(super) fn owed_fees(&mut self) -> usize {
        if !self.rng.gen_bool(0.18) {
            return 0;
        }
        let fees = if self.rng.gen_bool(0.25) { 2 } else { 1 };
        let mut added = 0;
        for _ in 0..fees {
            let kind = *pick_weighted(&mut self.rng, FEE_KINDS);
            let minor_units = fee_amount(&mut self.rng, kind);
            let ago = self.rng.gen_range(DAY_MS..45 * DAY_MS);
            let at = (self.profile.anchor_ms - ago).max(self.profile.since_ms);
            self.charge(kind, minor_units, at, true);
            added += 1;
            if self.rng.gen_bool(0.4) {
                let asked_at =
                    (at + self.rng.gen_range(HOUR_MS..5 * DAY_MS)).min(self.profile.anchor_ms);
                let event = fee_query(&mut self.rng, &self.profile, kind, asked_at);
                self.push(event);
                added += 1;
            }
        }
        added
    }

    /// A life event in the last 60 days for about one customer in eight: the
    /// moment for the congratulations, the move and the family actions of the
    /// catalog. Returns the number of events added.
    pub(super) fn recent_life_event(&mut self) -> usize {
        if !self.rng.gen_bool(0.12) {
            return 0;
        }
        let ago = self.rng.gen_range(HOUR_MS..60 * DAY_MS);
        let at = (self.profile.anchor_ms - ago).max(self.profile.since_ms);
        let event = life_event(&mut self.rng, &self.profile, at);
        self.push(event);
        1
    }

    /// Adds scripted events of one kind, topic and outcome.
    pub(super) fn scripted(
        &mut self,
        kind: EventKind,
        topic: &str,
        outcome: Option<&str>,
        script: &[Scripted],
    ) {
        for &(days, hour, channel, summary, detail, agent) in script {
            let at = self.day_at(days, hour);
            let event = NewEvent {
                topic: Some(topic.into()),
                detail: Some(detail.into()),
                agent: Some(agent.into()),
                outcome: outcome.map(str::to_string),
                ..self.profile.event(at, channel, kind, summary.into())
            };
            self.push(event);
        }
    }

    /// Ends the customer: orders their events by time, sets the balance to the
    /// fees still owed plus `current_bill`, and adds them to the batch.
    pub(super) fn finish(self, mut customer: NewCustomer, current_bill: i64) {
        self.batch.events[self.first_event..].sort_by_key(|e| e.at_ms);
        customer.balance = self.profile.money(self.owed + current_bill);
        self.batch.customers.push(customer);
    }
}

/// A profile with plain defaults, for fixtures to override.
pub(super) fn base_customer(
    id: CustomerId,
    name: &str,
    currency: Currency,
    since: NaiveDate,
) -> NewCustomer {
    NewCustomer {
        id,
        name: name.into(),
        account_number: account_number(id),
        segment: Segment::Standard,
        lifetime_value: Money::new(150_000, currency),
        customer_since: since,
        churn_risk: 0.2,
        language: "en".into(),
        time_zone: "America/New_York".into(),
        marketing_channels: Channel::CONTACT.to_vec(),
        balance: Money::zero(currency),
        phones: vec![],
        emails: vec![],
    }
}

/// `AC` and the id in (at least) eight digits: unique, and stable for fixtures.
pub(super) fn account_number(id: CustomerId) -> String {
    format!("AC{:08}", id.0)
}
