//! Demo data: a deterministic generator of customers, their fees and their
//! multi-channel timelines, loaded through the store's bulk insert.
//!
//! - Deterministic: the same seed, on the same UTC day, into a database in the same
//!   state gives the same data. Every time is relative to an anchor, midnight UTC of
//!   today ([`seed`]), so the demo always looks current; [`seed_at`] takes the anchor
//!   explicitly. Each customer draws from its own random stream (seed, id), so batch
//!   sizes never change the data.
//! - Streamed: customers are generated and inserted a batch at a time, so memory
//!   stays flat up to a million customers and more.
//! - The first seed into an empty database begins with the [`fixtures`]: fixed
//!   customers that tests and the demo rely on (a household sharing a phone, fees to
//!   waive, an open complaint, a 2,000-event history, hostile text). Random
//!   customers fill up to the requested count.
//! - Random customers live in the US (USD), the UK (GBP) or the euro area (EUR),
//!   with names, languages, time zones and phone numbers to match. Their phone
//!   numbers and e-mail addresses are derived from the id, so they are unique; the
//!   fixtures use the fictional 555-01xx and Ofcom drama ranges, which random
//!   numbers never use.
//! - Timelines: about 40 events per customer on average (log-normal, with a long
//!   tail capped at [`MAX_EVENTS`]), ordered over the customer's tenure and denser
//!   in recent months. Every fee charged is also a `fee` event on the `billing`
//!   channel, and the balance is never below the fees still owed.

use super::store::{NewCustomer, NewEvent, NewFee, Store, StoreError};
use crate::domain::{Channel, Currency, CustomerId, EventKind, FeeKind, Money, Segment};
use chrono::{Days, NaiveDate, NaiveTime, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Customers seeded when no count is given.
pub const DEFAULT_CUSTOMERS: u64 = 2_000;
/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 1;
/// The most events one customer has.
pub const MAX_EVENTS: usize = 2_000;
/// Random customers whose id is a multiple of this have exactly `MAX_EVENTS` events.
pub const HEAVY_EVERY: i64 = 10_000;

/// A batch is written once it holds this many customers…
const BATCH_CUSTOMERS: usize = 2_000;
/// …or this many events.
const BATCH_EVENTS: usize = 80_000;

/// Median events of a random customer; with `EVENTS_SIGMA` the mean is about 40.
const MEDIAN_EVENTS: f64 = 22.0;
const EVENTS_SIGMA: f64 = 1.1;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedOptions {
    /// Customers to add, fixtures included (all fixtures are added even when this
    /// is smaller).
    pub customers: u64,
    pub seed: u64,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions {
            customers: DEFAULT_CUSTOMERS,
            seed: DEFAULT_SEED,
        }
    }
}

/// What was inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub customers: u64,
    pub events: u64,
    pub fees: u64,
    /// The id of the first customer added.
    pub first_id: CustomerId,
}

/// Adds demo customers, with times relative to midnight UTC today.
pub async fn seed(store: &Store, opts: &SeedOptions) -> Result<SeedReport, StoreError> {
    seed_at(store, opts, Utc::now().date_naive()).await
}

/// Adds demo customers, with times relative to midnight UTC of `anchor`; nothing
/// happens after that instant.
pub async fn seed_at(
    store: &Store,
    opts: &SeedOptions,
    anchor: NaiveDate,
) -> Result<SeedReport, StoreError> {
    let first_id = store.next_customer_id().await?;
    let mut report = SeedReport {
        customers: 0,
        events: 0,
        fees: 0,
        first_id,
    };
    let mut batch = Batch::default();
    let mut next_id = first_id.0;
    let mut random = opts.customers;
    if first_id.0 == 1 {
        // The agents the call simulator plays, once per database.
        store
            .add_simulated_agents(
                SIMULATED_AGENTS,
                crate::domain::Money::new(5_000, crate::domain::Currency::USD),
            )
            .await?;
        fixtures::build(opts.seed, anchor, &mut batch);
        next_id += fixtures::COUNT as i64;
        random = random.saturating_sub(fixtures::COUNT);
    }
    for offset in 0..random {
        let id = CustomerId(next_id + offset as i64);
        random_customer(customer_rng(opts.seed, id), id, anchor, &mut batch);
        if batch.is_full() {
            batch.flush(store, &mut report).await?;
        }
    }
    batch.flush(store, &mut report).await?;
    Ok(report)
}

/// Rows waiting to be written together.
#[derive(Default)]
struct Batch {
    customers: Vec<NewCustomer>,
    fees: Vec<NewFee>,
    events: Vec<NewEvent>,
}

impl Batch {
    fn is_full(&self) -> bool {
        self.customers.len() >= BATCH_CUSTOMERS || self.events.len() >= BATCH_EVENTS
    }

    async fn flush(&mut self, store: &Store, report: &mut SeedReport) -> Result<(), StoreError> {
        if self.customers.is_empty() {
            return Ok(());
        }
        store
            .bulk_insert(&self.customers, &self.fees, &self.events)
            .await?;
        report.customers += self.customers.len() as u64;
        report.fees += self.fees.len() as u64;
        report.events += self.events.len() as u64;
        self.customers.clear();
        self.fees.clear();
        self.events.clear();
        Ok(())
    }
}

/// The random stream of one customer.
fn customer_rng(seed: u64, id: CustomerId) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(id.0 as u64);
    rng
}

// ---------------------------------------------------------------------------
// Building one customer

/// Whose events are being generated, and the span of their tenure.
struct Profile {
    id: CustomerId,
    currency: Currency,
    since_ms: i64,
    anchor_ms: i64,
}

impl Profile {
    fn money(&self, minor_units: i64) -> Money {
        Money::new(minor_units, self.currency)
    }

    /// A bare event; callers fill in topic, detail, agent, outcome and amount.
    fn event(&self, at_ms: i64, channel: Channel, kind: EventKind, summary: String) -> NewEvent {
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

/// A scripted event: (days before the anchor, hour UTC, channel, summary, detail,
/// agent).
type Scripted = (i64, i64, Channel, &'static str, &'static str, &'static str);

/// One customer under construction: their random stream, and the batch their fees
/// and events go to.
struct Builder<'a> {
    rng: ChaCha8Rng,
    profile: Profile,
    batch: &'a mut Batch,
    first_event: usize,
    /// Fees still owed, in minor units.
    owed: i64,
}

impl<'a> Builder<'a> {
    fn new(
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
    fn day_at(&self, days: i64, hour: i64) -> i64 {
        self.profile.anchor_ms - days * DAY_MS + hour * HOUR_MS
    }

    fn push(&mut self, event: NewEvent) {
        self.batch.events.push(event);
    }

    /// Charges a fee: the fee record and its `fee` event on the billing channel.
    fn charge(&mut self, kind: FeeKind, minor_units: i64, at_ms: i64, owed: bool) {
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
    fn history(&mut self, n: usize, from_ms: i64, to_ms: i64) {
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
    fn owed_fees(&mut self) -> usize {
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

    /// Adds scripted events of one kind, topic and outcome.
    fn scripted(
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
    fn finish(self, mut customer: NewCustomer, current_bill: i64) {
        self.batch.events[self.first_event..].sort_by_key(|e| e.at_ms);
        customer.balance = self.profile.money(self.owed + current_bill);
        self.batch.customers.push(customer);
    }
}

/// A profile with plain defaults, for fixtures to override.
fn base_customer(id: CustomerId, name: &str, currency: Currency, since: NaiveDate) -> NewCustomer {
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
        marketing_consent: true,
        balance: Money::zero(currency),
        phones: vec![],
        emails: vec![],
    }
}

/// `AC` and the id in (at least) eight digits: unique, and stable for fixtures.
fn account_number(id: CustomerId) -> String {
    format!("AC{:08}", id.0)
}

// ---------------------------------------------------------------------------
// Random customers

fn random_customer(mut rng: ChaCha8Rng, id: CustomerId, anchor: NaiveDate, batch: &mut Batch) {
    let region = pick_weighted(&mut rng, REGIONS);
    let names = *pick_weighted(&mut rng, region.names);
    let (given, given_latin) = *pick(&mut rng, names.given);
    let (family, family_latin) = *pick(&mut rng, names.family);
    let language = if names.language == region.language || rng.gen_bool(0.4) {
        region.language
    } else {
        names.language
    };
    let time_zone = *pick_weighted(&mut rng, region.time_zones);
    let segment = *pick_weighted(&mut rng, SEGMENTS);
    let since = days_before(anchor, rng.gen_range(30..=15 * 365));
    let phones = random_phones(&mut rng, region, id);
    let emails = random_emails(&mut rng, given_latin, family_latin, id);
    let lifetime_value = Money::new(lifetime_value(&mut rng, segment), region.currency);
    // Mostly low: about one customer in seven is at 0.6 or above.
    let churn_risk = (rng.gen::<f64>().powf(3.5) * 100.0).round() / 100.0;
    let marketing_consent = rng.gen_bool(0.65);
    let events = event_count(&mut rng, id);

    let mut b = Builder::new(rng, id, region.currency, since, anchor, batch);
    let used = b.owed_fees();
    b.history(
        events.saturating_sub(used),
        b.profile.since_ms,
        b.profile.anchor_ms,
    );
    let current_bill = if b.rng.gen_bool(0.6) {
        b.rng.gen_range(0..=25_000)
    } else {
        0
    };
    let customer = NewCustomer {
        id,
        name: names.full_name(given, family),
        account_number: account_number(id),
        segment,
        lifetime_value,
        customer_since: since,
        churn_risk,
        language: language.into(),
        time_zone: time_zone.into(),
        marketing_consent,
        balance: Money::zero(region.currency),
        phones,
        emails,
    };
    b.finish(customer, current_bill);
}

/// How many events a random customer has: log-normal (median 22, mean about 40)
/// with a long tail capped at `MAX_EVENTS`; every `HEAVY_EVERY`-th id has exactly
/// `MAX_EVENTS`.
fn event_count(rng: &mut ChaCha8Rng, id: CustomerId) -> usize {
    if id.0 % HEAVY_EVERY == 0 {
        return MAX_EVENTS;
    }
    let n = (MEDIAN_EVENTS * (EVENTS_SIGMA * standard_normal(rng)).exp()).round();
    (n as usize).clamp(1, MAX_EVENTS)
}

/// A standard normal sample (Box–Muller).
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = 1.0 - rng.gen::<f64>(); // (0, 1]: the logarithm stays finite
    let u2 = rng.gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn lifetime_value(rng: &mut ChaCha8Rng, segment: Segment) -> i64 {
    let range = match segment {
        Segment::Premier => 2_000_000..10_000_000,
        Segment::Gold => 500_000..2_000_000,
        Segment::Silver => 100_000..500_000,
        Segment::Standard => 5_000..100_000,
    };
    rng.gen_range(range) / 100 * 100
}

/// A mobile, and for about a third of customers a landline too.
fn random_phones(rng: &mut ChaCha8Rng, region: &Region, id: CustomerId) -> Vec<String> {
    let mut phones = vec![region.mobile.number(rng, id, MOBILE_SCRAMBLE)];
    if rng.gen_bool(0.3) {
        phones.push(region.landline.number(rng, id, LANDLINE_SCRAMBLE));
    }
    phones
}

/// None, one or two addresses, unique through the id.
fn random_emails(rng: &mut ChaCha8Rng, given: &str, family: &str, id: CustomerId) -> Vec<String> {
    let count = *pick_weighted(rng, &[(0, 8), (1, 72), (2, 20)]);
    let mut emails = Vec::with_capacity(count);
    if count >= 1 {
        emails.push(format!("{given}.{family}{id}@{}", pick(rng, EMAIL_DOMAINS)));
    }
    if count >= 2 {
        emails.push(format!("{given}{id}@{}", pick(rng, EMAIL_DOMAINS)));
    }
    emails
}

/// Where customers live: currency, language, time zones, names and phone numbers.
struct Region {
    currency: Currency,
    language: &'static str,
    time_zones: &'static [(&'static str, u32)],
    names: &'static [(&'static NameSet, u32)],
    mobile: PhonePlan,
    landline: PhonePlan,
}

/// Phone numbers of one kind: a prefix (country code and more) and a fixed number
/// of digits, at least `floor`.
struct PhonePlan {
    prefixes: &'static [&'static str],
    digits: u32,
    floor: u64,
}

impl PhonePlan {
    /// A number that no other id below the plan's range gets; `multiplier` is
    /// one of the `*_SCRAMBLE` constants.
    fn number(&self, rng: &mut ChaCha8Rng, id: CustomerId, multiplier: u64) -> String {
        let prefix = pick(rng, self.prefixes);
        let range = (10_u64.pow(self.digits) - self.floor).max(1);
        let n = self.floor + scramble(id.0 as u64, multiplier, range);
        format!("{prefix}{n:0width$}", width = self.digits as usize)
    }
}

/// Multipliers for `scramble`: odd and not multiples of 5, so coprime with every
/// range a `PhonePlan` has (2^a·5^b), which makes `scramble` one-to-one on
/// `0..range`. Two of them, so a customer's mobile and landline do not end in the
/// same digits.
const MOBILE_SCRAMBLE: u64 = 11_400_714_819_323_198_487;
const LANDLINE_SCRAMBLE: u64 = 14_029_467_366_897_019_727;

/// Spreads consecutive ids over `0..range`.
fn scramble(id: u64, multiplier: u64, range: u64) -> u64 {
    ((id as u128 * multiplier as u128) % range as u128) as u64
}

/// Names of one language: (as written, in Latin letters for e-mail addresses).
struct NameSet {
    language: &'static str,
    given: &'static [(&'static str, &'static str)],
    family: &'static [(&'static str, &'static str)],
    /// Chinese order: family name first, no space.
    family_first: bool,
}

impl NameSet {
    fn full_name(&self, given: &str, family: &str) -> String {
        if self.family_first {
            format!("{family}{given}")
        } else {
            format!("{given} {family}")
        }
    }
}

// ---------------------------------------------------------------------------
// Random events

fn random_event(rng: &mut ChaCha8Rng, p: &Profile, kind: EventKind, at: i64) -> NewEvent {
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

fn life_event(rng: &mut ChaCha8Rng, p: &Profile, at: i64) -> NewEvent {
    let &(summary, detail, channel) = pick(rng, LIFE_EVENTS);
    NewEvent {
        topic: Some("life".into()),
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

fn fee_event(p: &Profile, kind: FeeKind, amount: Money, at: i64) -> NewEvent {
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

fn waiver_event(
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
fn fee_query(rng: &mut ChaCha8Rng, p: &Profile, kind: FeeKind, at: i64) -> NewEvent {
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

fn fee_amount(rng: &mut ChaCha8Rng, kind: FeeKind) -> i64 {
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

// ---------------------------------------------------------------------------
// Small helpers

/// One item of a non-empty slice.
fn pick<'t, T>(rng: &mut ChaCha8Rng, items: &'t [T]) -> &'t T {
    &items[rng.gen_range(0..items.len())]
}

/// One item of a non-empty slice, with chances proportional to the weights.
fn pick_weighted<'t, T>(rng: &mut ChaCha8Rng, items: &'t [(T, u32)]) -> &'t T {
    let total: u32 = items.iter().map(|(_, weight)| weight).sum();
    let mut roll = rng.gen_range(0..total.max(1));
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= weight;
    }
    &items[items.len() - 1].0
}

/// A time between `from_ms` and `to_ms` (whole seconds), more often recent.
fn recent_biased_time(rng: &mut ChaCha8Rng, from_ms: i64, to_ms: i64) -> i64 {
    if to_ms <= from_ms {
        return to_ms;
    }
    let back = (to_ms - from_ms) as f64 * rng.gen::<f64>().powf(1.5);
    let at = to_ms - back as i64;
    (at - at.rem_euclid(1_000)).max(from_ms)
}

fn midnight_ms(date: NaiveDate) -> i64 {
    date.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

fn days_before(anchor: NaiveDate, days: u64) -> NaiveDate {
    anchor.checked_sub_days(Days::new(days)).unwrap_or(anchor)
}

// ---------------------------------------------------------------------------
// Fixed customers

pub mod fixtures {
    //! Fixed customers, added (ids 1 to [`COUNT`], in the order below) at the
    //! start of the first seed into an empty database, so tests and the demo can
    //! rely on them. Times are relative to the seed's anchor (midnight UTC).

    use super::{base_customer, customer_rng, days_before, Batch, Builder, Scripted, MAX_EVENTS};
    use crate::domain::{Channel, Currency, CustomerId, EventKind, FeeKind, Money, Segment};
    use crate::server::store::NewCustomer;
    use chrono::NaiveDate;

    /// How many fixed customers there are.
    pub const COUNT: u64 = 13;

    /// 1. Gold, a customer for over six years, churn risk 0.7, marketing consent; a
    ///    $35.00 late payment fee charged ten days ago, no waiver in the last twelve
    ///    months, and three voice/chat contacts about billing in the last seven
    ///    days: waive the fee, escalate and a retention offer should all fire.
    pub const MARIA_ID: CustomerId = CustomerId(1);
    pub const MARIA_NAME: &str = "Maria Gonzalez";
    pub const MARIA_EMAIL: &str = "maria.gonzalez@example.com";
    pub const MARIA_ACCOUNT: &str = "AC00000001";
    pub const MARIA_LATE_FEE_MINOR: i64 = 3_500;
    /// Maria's and Robert's phone: a lookup finds both.
    pub const GONZALEZ_PHONE: &str = "+14155550134";

    /// 2. Maria's household: the same phone, his own e-mail and account.
    pub const ROBERT_ID: CustomerId = CustomerId(2);
    pub const ROBERT_NAME: &str = "Robert Gonzalez";
    pub const ROBERT_EMAIL: &str = "robert.gonzalez@example.com";
    pub const ROBERT_ACCOUNT: &str = "AC00000002";

    /// 3. Premier, in the UK (GBP), with an open complaint: senior hand-off and
    ///    escalate. The e-mail is stored in mixed case on purpose.
    pub const OLIVER_ID: CustomerId = CustomerId(3);
    pub const OLIVER_NAME: &str = "Oliver Bennett";
    pub const OLIVER_PHONE: &str = "+442079460018";
    pub const OLIVER_EMAIL: &str = "Oliver.Bennett@Example.co.uk";
    pub const OLIVER_ACCOUNT: &str = "AC00000003";

    /// 4. A Chinese name, language `zh`, living in Shanghai; a few events.
    pub const WANG_ID: CustomerId = CustomerId(4);
    pub const WANG_NAME: &str = "王秀英";
    pub const WANG_PHONE: &str = "+14155550188";
    pub const WANG_ACCOUNT: &str = "AC00000004";

    /// 5. A heavy history: exactly `PRIYA_EVENTS` events.
    pub const PRIYA_ID: CustomerId = CustomerId(5);
    pub const PRIYA_NAME: &str = "Priya Raman";
    pub const PRIYA_PHONE: &str = "+14155550177";
    pub const PRIYA_ACCOUNT: &str = "AC00000005";
    pub const PRIYA_EVENTS: usize = MAX_EVENTS;

    /// 6–11. Hostile text, in names and in their notes: a very long name, emoji,
    /// right-to-left text, a right-to-left override, ANSI colours, an OSC title
    /// change, bells and a C1 control.
    pub const LONG_NAME_ID: CustomerId = CustomerId(6);
    pub const LONG_NAME_CHARS: usize = 300;
    pub const LONG_NAME_PHONE: &str = "+14155550101";
    pub const EMOJI_ID: CustomerId = CustomerId(7);
    pub const EMOJI_NAME: &str = "Zoë 🚀 Starr";
    pub const EMOJI_PHONE: &str = "+14155550102";
    pub const ARABIC_ID: CustomerId = CustomerId(8);
    pub const ARABIC_NAME: &str = "محمد العلي";
    pub const ARABIC_PHONE: &str = "+447700900456";
    pub const RLO_ID: CustomerId = CustomerId(9);
    pub const RLO_NAME: &str = "Amir \u{202E}rimA Haddad";
    pub const RLO_PHONE: &str = "+14155550104";
    pub const ANSI_ID: CustomerId = CustomerId(10);
    pub const ANSI_NAME: &str = "\u{1b}[31mRed\u{1b}[0m Alert";
    pub const ANSI_PHONE: &str = "+14155550105";
    pub const OSC_ID: CustomerId = CustomerId(11);
    pub const OSC_NAME: &str = "\u{1b}]0;pwned\u{7}Oscar \u{9b}1mBell\u{7}";
    pub const OSC_PHONE: &str = "+14155550106";

    /// 12. An overdraft fee of $750.00 still owed: above an agent's authority, so a
    ///     waiver needs a supervisor.
    pub const BIG_FEE_ID: CustomerId = CustomerId(12);
    pub const BIG_FEE_NAME: &str = "Dana Whitfield";
    pub const BIG_FEE_PHONE: &str = "+12125550199";
    pub const BIG_FEE_ACCOUNT: &str = "AC00000012";
    pub const BIG_FEE_MINOR: i64 = 75_000;

    /// 13. Churn risk 0.72 but no marketing consent: no retention offer.
    pub const NO_CONSENT_ID: CustomerId = CustomerId(13);
    pub const NO_CONSENT_NAME: &str = "Samuel Okafor";
    pub const NO_CONSENT_PHONE: &str = "+13125550142";
    pub const NO_CONSENT_ACCOUNT: &str = "AC00000013";

    /// Fixture 6's name: exactly `LONG_NAME_CHARS` characters.
    pub fn long_name() -> String {
        const WORDS: &str =
            "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Senior, Duke of Somewhere Rather Long, ";
        WORDS.chars().cycle().take(LONG_NAME_CHARS).collect()
    }

    /// Adds all fixed customers to `batch`, ids 1 to `COUNT`.
    pub(in crate::server::seed) fn build(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
        maria(seed, anchor, batch);
        robert(seed, anchor, batch);
        oliver(seed, anchor, batch);
        wang(seed, anchor, batch);
        priya(seed, anchor, batch);
        hostile(seed, anchor, batch);
        big_fee(seed, anchor, batch);
        no_consent(seed, anchor, batch);
    }

    fn builder<'a>(
        seed: u64,
        id: CustomerId,
        currency: Currency,
        since: NaiveDate,
        anchor: NaiveDate,
        batch: &'a mut Batch,
    ) -> Builder<'a> {
        Builder::new(customer_rng(seed, id), id, currency, since, anchor, batch)
    }

    const MARIA_CONTACTS: &[Scripted] = &[
        (
            5,
            17,
            Channel::Voice,
            "Asked why a late payment fee was charged",
            "Says the payment left her bank on time; callback promised.",
            "Tom Becker",
        ),
        (
            3,
            20,
            Channel::Chat,
            "Chased the late fee query on chat",
            "Still waiting for the callback promised on the phone.",
            "Grace Liu",
        ),
        (
            1,
            16,
            Channel::Voice,
            "Third contact this week about the late fee",
            "Frustrated; mentioned looking at other providers.",
            "Marcus Reed",
        ),
    ];

    fn maria(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
        let since = days_before(anchor, 6 * 365 + 120);
        let mut b = builder(seed, MARIA_ID, Currency::USD, since, anchor, batch);
        // Ordinary years ending 400 days ago: no waiver or open case in the last year.
        b.history(45, b.profile.since_ms, b.day_at(400, 0));
        b.charge(
            FeeKind::LatePayment,
            MARIA_LATE_FEE_MINOR,
            b.day_at(10, 9),
            true,
        );
        b.scripted(
            EventKind::Contact,
            "billing",
            Some("follow_up"),
            MARIA_CONTACTS,
        );
        let customer = NewCustomer {
            segment: Segment::Gold,
            lifetime_value: Money::new(1_850_000, Currency::USD),
            churn_risk: 0.7,
            time_zone: "America/Los_Angeles".into(),
            phones: vec![GONZALEZ_PHONE.into()],
            emails: vec![MARIA_EMAIL.into()],
            ..base_customer(MARIA_ID, MARIA_NAME, Currency::USD, since)
        };
        b.finish(customer, 8_950);
    }

    fn robert(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
        let since = days_before(anchor, 4 * 365 + 30);
        let mut b = builder(seed, ROBERT_ID, Currency::USD, since, anchor, batch);
        b.history(25, b.profile.since_ms, b.day_at(20, 0));
        let customer = NewCustomer {
            segment: Segment::Silver,
            lifetime_value: Money::new(420_000, Currency::USD),
            churn_risk: 0.25,
            time_zone: "America/Los_Angeles".into(),
            phones: vec![GONZALEZ_PHONE.into(), "+16285550111".into()],
            emails: vec![ROBERT_EMAIL.into()],
            ..base_customer(ROBERT_ID, ROBERT_NAME, Currency::USD, since)
        };
        b.finish(customer, 4_200);
    }

    const OLIVER_COMPLAINT: &[Scripted] = &[(
        4,
        10,
        Channel::Email,
        "Formal complaint: engineer missed two appointments",
        "Took two days off work for visits that never happened; wants compensation.",
        "Aisha Khan",
    )];
    const OLIVER_CHASE: &[Scripted] = &[(
        2,
        11,
        Channel::Voice,
        "Chased the complaint about the missed appointments",
        "Asked for a senior manager to call back.",
        "Sam O'Neill",
    )];

    fn oliver(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
        let since = days_before(anchor, 9 * 365 + 200);
        let mut b = builder(seed, OLIVER_ID, Currency::GBP, since, anchor, batch);
        b.history(60, b.profile.since_ms, b.day_at(30, 0));
        b.scripted(
            EventKind::Complaint,
            "technical",
            Some("open"),
            OLIVER_COMPLAINT,
        );
        b.scripted(
            EventKind::Contact,
            "technical",
            Some("follow_up"),
            OLIVER_CHASE,
        );
        let customer = NewCustomer {
            segment: Segment::Premier,
            lifetime_value: Money::new(6_200_000, Currency::GBP),
            churn_risk: 0.35,
            time_zone: "Europe/London".into(),
            phones: vec![OLIVER_PHONE.into(), "+447700900123".into()],
            emails: vec![OLIVER_EMAIL.into()],
            ..base_customer(OLIVER_ID, OLIVER_NAME, Currency::GBP, since)
        };
        b.finish(customer, 6_400);
    }

    const WANG_NOTE: &[Scripted] = &[(
        1,
        2,
        Channel::Chat,
        "希望用中文沟通 (prefers to be served in Mandarin)",
        "客户下个月回美国。Back in the US next month.",
        "Grace Liu",
    )];

    fn wang(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
        let since = days_before(anchor, 3 * 365 + 45);
        let mut b = builder(seed, WANG_ID, Currency::USD, since, anchor, batch);
        b.history(6, b.profile.since_ms, b.day_at(2, 0));
        b.scripted(EventKind::Note, "account", None, WANG_NOTE);
        let customer = NewCustomer {
            segment: Segment::Silver,
            lifetime_value: Money::new(310_000, Currency::USD),
            language: "zh".into(),
            time_zone: "Asia/Shanghai".into(),
            phones: vec![WANG_PHONE.into()],
            emails: vec!["wang.xiuying@example.com".into()],
            ..base_customer(WANG_ID, WANG_NAME, Currency::USD, since)
        };
        b.finish(customer, 0);
    }

    fn priya(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
        let since = days_before(anchor, 12 * 365);
        let mut b = builder(seed, PRIYA_ID, Currency::USD, since, anchor, batch);
        b.history(PRIYA_EVENTS, b.profile.since_ms, b.day_at(1, 0));
        let customer = NewCustomer {
            segment: Segment::Gold,
            lifetime_value: Money::new(1_400_000, Currency::USD),
            time_zone: "America/Los_Angeles".into(),
            phones: vec![PRIYA_PHONE.into()],
            emails: vec!["priya.raman@example.com".into()],
            ..base_customer(PRIYA_ID, PRIYA_NAME, Currency::USD, since)
        };
        b.finish(customer, 12_000);
    }

    /// Notes whose text tries to drive the terminal: colours, a screen clear, a
    /// title change, bells, a C1 CSI, a DCS string, bidi overrides, and an agent
    /// name with an escape sequence.
    const HOSTILE_NOTES: &[Scripted] = &[
        (
            3,
            15,
            Channel::Chat,
            "\u{1b}[31mRed\u{1b}[0m Alert: customer pasted coloured text",
            "\u{1b}[2J\u{1b}[HIf the screen just cleared, escape codes got through.",
            "Grace Liu",
        ),
        (
            2,
            15,
            Channel::Email,
            "Title change \u{1b}]0;pwned\u{7}attempt",
            "Bell\u{7}\u{7}, a C1 CSI \u{9b}31m and a DCS \u{1b}P1$r\u{1b}\\ string.",
            "Tom Becker",
        ),
        (
            1,
            15,
            Channel::Voice,
            "Refund form \u{202E}fdp.exe\u{202C} received",
            "محمد العلي كتب: \u{202E}مرحبا\u{202C} (mixed-direction text)",
            "\u{1b}[7mInverse\u{1b}[27m Agent",
        ),
    ];

    /// A hostile record: who, and where they live.
    struct Hostile<'n> {
        id: CustomerId,
        name: &'n str,
        phone: &'static str,
        currency: Currency,
        language: &'static str,
        time_zone: &'static str,
    }

    fn hostile(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
        let long_name = long_name();
        let us = |id, name, phone| Hostile {
            id,
            name,
            phone,
            currency: Currency::USD,
            language: "en",
            time_zone: "America/Chicago",
        };
        let records = [
            us(LONG_NAME_ID, &long_name, LONG_NAME_PHONE),
            us(EMOJI_ID, EMOJI_NAME, EMOJI_PHONE),
            Hostile {
                id: ARABIC_ID,
                name: ARABIC_NAME,
                phone: ARABIC_PHONE,
                currency: Currency::GBP,
                language: "ar",
                time_zone: "Europe/London",
            },
            us(RLO_ID, RLO_NAME, RLO_PHONE),
            us(ANSI_ID, ANSI_NAME, ANSI_PHONE),
            us(OSC_ID, OSC_NAME, OSC_PHONE),
        ];
        for record in records {
            hostile_customer(seed, anchor, batch, record);
        }
    }

    fn hostile_customer(seed: u64, anchor: NaiveDate, batch: &mut Batch, h: Hostile<'_>) {
        let since = days_before(anchor, 2 * 365);
        let mut b = builder(seed, h.id, h.currency, since, anchor, batch);
        b.history(5, b.profile.since_ms, b.day_at(5, 0));
        b.scripted(EventKind::Note, "account", None, HOSTILE_NOTES);
        let customer = NewCustomer {
            language: h.language.into(),
            time_zone: h.time_zone.into(),
            phones: vec![h.phone.into()],
            ..base_customer(h.id, h.name, h.currency, since)
        };
        b.finish(customer, 0);
    }

    const BIG_FEE_DISPUTE: &[Scripted] = &[(
        1,
        15,
        Channel::Voice,
        "Disputes the overdraft fee",
        "Says the card payment should have been declined, not charged a fee.",
        "Hannah Brooks",
    )];

    fn big_fee(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
        let since = days_before(anchor, 3 * 365 + 10);
        let mut b = builder(seed, BIG_FEE_ID, Currency::USD, since, anchor, batch);
        b.history(15, b.profile.since_ms, b.day_at(30, 0));
        b.charge(FeeKind::Overdraft, BIG_FEE_MINOR, b.day_at(3, 14), true);
        b.scripted(
            EventKind::Contact,
            "billing",
            Some("follow_up"),
            BIG_FEE_DISPUTE,
        );
        let customer = NewCustomer {
            churn_risk: 0.3,
            phones: vec![BIG_FEE_PHONE.into()],
            emails: vec!["dana.whitfield@example.com".into()],
            ..base_customer(BIG_FEE_ID, BIG_FEE_NAME, Currency::USD, since)
        };
        b.finish(customer, 12_000);
    }

    const NO_CONSENT_CALL: &[Scripted] = &[(
        2,
        18,
        Channel::Voice,
        "Asked how to end the contract early",
        "Quoted the early termination charge; customer is comparing providers.",
        "Omar Haddad",
    )];
    const NO_CONSENT_NOTE: &[Scripted] = &[(
        2,
        18,
        Channel::Voice,
        "Opted out of all marketing by phone and e-mail",
        "Do not offer promotions; service calls only.",
        "Omar Haddad",
    )];

    fn no_consent(seed: u64, anchor: NaiveDate, batch: &mut Batch) {
        let since = days_before(anchor, 5 * 365 + 60);
        let mut b = builder(seed, NO_CONSENT_ID, Currency::USD, since, anchor, batch);
        b.history(30, b.profile.since_ms, b.day_at(14, 0));
        b.scripted(
            EventKind::Contact,
            "cancellation",
            Some("follow_up"),
            NO_CONSENT_CALL,
        );
        b.scripted(EventKind::Note, "account", None, NO_CONSENT_NOTE);
        let customer = NewCustomer {
            segment: Segment::Silver,
            lifetime_value: Money::new(380_000, Currency::USD),
            churn_risk: 0.72,
            marketing_consent: false,
            time_zone: "America/Chicago".into(),
            phones: vec![NO_CONSENT_PHONE.into()],
            emails: vec!["samuel.okafor@example.com".into()],
            ..base_customer(NO_CONSENT_ID, NO_CONSENT_NAME, Currency::USD, since)
        };
        b.finish(customer, 7_500);
    }
}

// ---------------------------------------------------------------------------
// Reference tables

const SEGMENTS: &[(Segment, u32)] = &[
    (Segment::Premier, 5),
    (Segment::Gold, 15),
    (Segment::Silver, 30),
    (Segment::Standard, 50),
];

const HISTORY_KINDS: &[(EventKind, u32)] = &[
    (EventKind::Contact, 36),
    (EventKind::Purchase, 17),
    (EventKind::Payment, 22),
    (EventKind::Fee, 4),
    (EventKind::Complaint, 3),
    (EventKind::Escalation, 2),
    (EventKind::Offer, 6),
    (EventKind::LifeEvent, 2),
    (EventKind::Note, 8),
];

const FEE_KINDS: &[(FeeKind, u32)] = &[
    (FeeKind::LatePayment, 60),
    (FeeKind::Overdraft, 15),
    (FeeKind::ReturnedPayment, 15),
    (FeeKind::Service, 10),
];

const CONTACT_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Voice, 45),
    (Channel::Chat, 20),
    (Channel::Email, 18),
    (Channel::Sms, 5),
    (Channel::Store, 6),
    (Channel::Field, 6),
];

/// Outcomes as the interaction log writes them.
const CONTACT_OUTCOMES: &[(&str, u32)] = &[("resolved", 80), ("follow_up", 15), ("transferred", 5)];

const COMPLAINT_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Email, 35),
    (Channel::Voice, 35),
    (Channel::Web, 20),
    (Channel::Store, 10),
];

const ESCALATION_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Voice, 60),
    (Channel::Chat, 25),
    (Channel::Email, 15),
];

const OFFER_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Voice, 35),
    (Channel::Email, 30),
    (Channel::Web, 20),
    (Channel::Sms, 15),
];

const NOTE_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Voice, 50),
    (Channel::Chat, 20),
    (Channel::Store, 15),
    (Channel::Email, 15),
];

const PURCHASE_CHANNELS: &[(Channel, u32)] = &[
    (Channel::Web, 45),
    (Channel::Store, 30),
    (Channel::Order, 25),
];

/// (channel, summary)
const PAYMENTS: &[((Channel, &str), u32)] = &[
    ((Channel::Billing, "Direct debit collected"), 60),
    ((Channel::Web, "Paid online by card"), 28),
    ((Channel::Voice, "Paid by card over the phone"), 7),
    ((Channel::Store, "Paid in store"), 5),
];

/// A contact: (summary, detail when resolved, detail when not).
type ContactText = (&'static str, &'static str, &'static str);

/// What contacts are about.
struct Topic {
    name: &'static str,
    contacts: &'static [ContactText],
    complaints: &'static [&'static str],
    escalations: &'static [&'static str],
}

const BILLING: Topic = Topic {
    name: "billing",
    contacts: &[
        (
            "Asked about a charge on the latest bill",
            "Explained each line of the bill; customer satisfied.",
            "Raised a billing query; callback promised within 48 hours.",
        ),
        (
            "Queried a late payment fee",
            "Explained the due date and how to set up reminders.",
            "Asked the billing team to review the fee.",
        ),
        (
            "Wanted to move the payment date to the 15th",
            "Payment date changed from the next cycle.",
            "The change needs a signed form; sent by e-mail.",
        ),
        (
            "Disputed a double charge",
            "Refund of the duplicate charge confirmed.",
            "Asked the customer to e-mail the bank statement.",
        ),
        (
            "Asked for a copy of last month's invoice",
            "Invoice sent again by e-mail.",
            "Invoice archive unavailable; a copy will follow by post.",
        ),
        (
            "Set up a direct debit",
            "Direct debit set up from the next bill.",
            "Mandate form sent for signature.",
        ),
    ],
    complaints: &[
        "Complaint: charged twice for the same month",
        "Complaint: price went up without notice",
    ],
    escalations: &[
        "Escalated a disputed charge to the billing team",
        "Escalated: refund promised last month never arrived",
    ],
};

const DELIVERY: Topic = Topic {
    name: "delivery",
    contacts: &[
        (
            "Asked where an order is",
            "Tracking shows delivery today; shared the link.",
            "The carrier has lost track of it; investigation opened.",
        ),
        (
            "Reported a parcel left at the wrong address",
            "A neighbour had it; customer collected it.",
            "Opened a claim with the carrier.",
        ),
        (
            "Rescheduled a delivery",
            "New delivery slot booked for Saturday morning.",
            "No slots this week; the carrier will call to arrange one.",
        ),
        (
            "Reported an item damaged on arrival",
            "Replacement sent by next-day courier.",
            "Customer will send photos of the damage.",
        ),
        (
            "Asked to change the delivery address",
            "Address changed before dispatch.",
            "Already dispatched; asked the carrier to redirect it.",
        ),
    ],
    complaints: &[
        "Complaint: third missed delivery",
        "Complaint: courier was rude at the door",
    ],
    escalations: &["Escalated a lost parcel to the logistics team"],
};

const TECHNICAL: Topic = Topic {
    name: "technical",
    contacts: &[
        (
            "Internet connection drops in the evenings",
            "Reset the line remotely; speed back to normal.",
            "Raised a fault with the network team.",
        ),
        (
            "Could not sign in to the app",
            "Reset the password; customer signed in while on the call.",
            "Account locked; the security team will unlock it within a day.",
        ),
        (
            "Router keeps restarting",
            "Updated the router firmware; stable since.",
            "Replacement router ordered.",
        ),
        (
            "Asked for help setting up a new device",
            "Walked through the setup; working by the end of the call.",
            "Booked a technician visit.",
        ),
        (
            "No dial tone on the landline",
            "Fault cleared at the exchange.",
            "Booked an engineer for the line.",
        ),
    ],
    complaints: &[
        "Complaint: engineer did not turn up",
        "Complaint: outage lasted four days",
    ],
    escalations: &[
        "Escalated a repeated fault to tier 2",
        "Escalated: fault not fixed after three visits",
    ],
};

const ACCOUNT: Topic = Topic {
    name: "account",
    contacts: &[
        (
            "Updated the postal address",
            "Address updated and confirmed by e-mail.",
            "Waiting for proof of address.",
        ),
        (
            "Added an authorised user",
            "Identity checked; user added.",
            "Sent the form for the authorised user to sign.",
        ),
        (
            "Asked to reset the online password",
            "Reset link sent; customer signed in.",
            "Identity check failed; customer will call back with ID.",
        ),
        (
            "Changed the marketing preferences",
            "Preferences saved.",
            "Preference centre down; change logged for the back office.",
        ),
        (
            "Asked for a copy of the contract",
            "Contract sent by e-mail.",
            "Archive copy requested; it will follow by post.",
        ),
    ],
    complaints: &["Complaint: personal details were wrong on a letter"],
    escalations: &["Escalated a suspected account takeover to security"],
};

const CANCELLATION: Topic = Topic {
    name: "cancellation",
    contacts: &[
        (
            "Asked how to cancel the contract",
            "Explained the notice period; customer will think about it.",
            "Cancellation request logged; the retention team will call back.",
        ),
        (
            "Said a competitor offers a better price",
            "Customer decided to stay after a plan review.",
            "A price match needs approval; the retention team will call back.",
        ),
        (
            "Asked about the early termination charge",
            "Quoted the charge; customer will stay until the contract ends.",
            "Customer wants the charge in writing; letter requested.",
        ),
    ],
    complaints: &["Complaint: cancellation was not processed"],
    escalations: &["Escalated a cancellation request to the retention team"],
};

const TOPICS: &[(&Topic, u32)] = &[
    (&BILLING, 32),
    (&TECHNICAL, 28),
    (&ACCOUNT, 18),
    (&DELIVERY, 15),
    (&CANCELLATION, 7),
];

/// Field visits, all technical.
const FIELD_VISITS: &[ContactText] = &[
    (
        "Technician visit: replaced the router",
        "New router installed and tested.",
        "Router replaced but the line still drops; second visit booked.",
    ),
    (
        "Engineer installed a new line",
        "Line live and tested at the premises.",
        "Install incomplete: no access to the street cabinet.",
    ),
    (
        "Technician visit: no fault found at the premises",
        "Line tested end to end; no fault found.",
        "The fault comes and goes; monitoring the line for a week.",
    ),
    (
        "Engineer repaired the outside cable",
        "Cable spliced; service restored.",
        "Temporary repair; a permanent fix needs a road permit.",
    ),
];

const ESCALATION_DETAILS: &[&str] = &[
    "Sent to tier 2 with the fault history.",
    "Passed to a supervisor.",
    "Sent to the complaints team.",
];

/// (item, lowest and highest price in whole currency units)
const PURCHASES: &[(&str, i64, i64)] = &[
    ("a wireless router", 89, 149),
    ("a smart speaker", 49, 99),
    ("a laptop", 699, 1_499),
    ("a phone case", 15, 29),
    ("an extended warranty", 49, 129),
    ("a streaming add-on", 9, 15),
    ("a gift card", 25, 100),
    ("a smartphone", 299, 999),
    ("headphones", 39, 249),
    ("a premium plan upgrade", 10, 30),
];

/// (topic, offer)
const OFFERS: &[(&str, &str)] = &[
    ("retention", "20% off the monthly plan for 12 months"),
    ("retention", "a loyalty discount on the next renewal"),
    ("sales", "a free upgrade to the faster broadband tier"),
    ("sales", "three months of the streaming add-on free"),
    ("sales", "a device upgrade at no extra cost"),
    ("sales", "free next-day delivery for a year"),
];

/// (summary, detail, channel)
const LIFE_EVENTS: &[(&str, &str, Channel)] = &[
    (
        "Moved to a new address",
        "Address updated; service moved to the new home.",
        Channel::Web,
    ),
    (
        "Birthday",
        "Birthday greeting sent with a small voucher.",
        Channel::Email,
    ),
    (
        "New child in the household",
        "Added a dependent to the family plan.",
        Channel::Store,
    ),
];

const NOTES: &[&str] = &[
    "Prefers contact by e-mail.",
    "Hard of hearing: speak clearly and offer text relay.",
    "Asked not to be called before 10:00.",
    "Runs a small business; mentions a second account.",
    "Spouse is authorised to discuss the account.",
    "Asked for large-print bills.",
];

const WAIVER_REASONS: &[&str] = &[
    "Goodwill: first late payment in years.",
    "Bank error confirmed.",
    "Customer hardship.",
    "Credit for a service outage.",
];

const AGENTS: &[&str] = &[
    "Aisha Khan",
    "Tom Becker",
    "Lucía Romero",
    "Grace Liu",
    "Marcus Reed",
    "Fatima Zahra",
    "Noah Fischer",
    "Chloé Martin",
    "Sam O'Neill",
    "Priscilla Owusu",
    "Ken Watanabe",
    "Ingrid Larsen",
    "Diego Silva",
    "Hannah Brooks",
    "Omar Haddad",
    "Mia Kowalski",
];

/// Names of the agents the call simulator plays (`sim::calls`), added once per
/// database.
const SIMULATED_AGENTS: &[&str] = &[
    "Ava Brooks",
    "Ben Carter",
    "Chloe Diaz",
    "Dev Patel",
    "Ella Fischer",
    "Finn Walsh",
    "Grace Kim",
    "Hugo Moreau",
    "Isla Novak",
    "Jon Reyes",
    "Kira Sato",
    "Leo Martins",
];

/// Reserved for documentation (RFC 2606).
const EMAIL_DOMAINS: &[&str] = &["example.com", "example.net", "example.org"];

const REGIONS: &[(Region, u32)] = &[
    (
        Region {
            currency: Currency::USD,
            language: "en",
            time_zones: &[
                ("America/New_York", 40),
                ("America/Chicago", 25),
                ("America/Denver", 8),
                ("America/Los_Angeles", 22),
                ("America/Phoenix", 3),
                ("America/Anchorage", 1),
                ("Pacific/Honolulu", 1),
            ],
            names: &[
                (&ENGLISH, 62),
                (&SPANISH, 20),
                (&CHINESE, 8),
                (&ARABIC, 4),
                (&FRENCH, 2),
                (&GERMAN, 2),
                (&POLISH, 2),
            ],
            // Area codes of the fixtures (212, 312, 415, 628) are left out.
            mobile: PhonePlan {
                prefixes: &[
                    "+1206", "+1303", "+1305", "+1404", "+1503", "+1512", "+1617", "+1702",
                    "+1713", "+1718",
                ],
                digits: 7,
                floor: 2_000_000,
            },
            landline: PhonePlan {
                prefixes: &[
                    "+1201", "+1267", "+1310", "+1347", "+1469", "+1615", "+1720", "+1786", "+1917",
                ],
                digits: 7,
                floor: 2_000_000,
            },
        },
        50,
    ),
    (
        Region {
            currency: Currency::GBP,
            language: "en",
            time_zones: &[("Europe/London", 1)],
            names: &[
                (&ENGLISH, 75),
                (&POLISH, 8),
                (&ARABIC, 6),
                (&CHINESE, 4),
                (&PORTUGUESE, 3),
                (&FRENCH, 2),
                (&SPANISH, 2),
            ],
            // Not 020 or 07700 900: the fixtures use those.
            mobile: PhonePlan {
                prefixes: &["+4474", "+4475", "+4478"],
                digits: 8,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+44161", "+44113", "+44117", "+44121"],
                digits: 7,
                floor: 2_000_000,
            },
        },
        15,
    ),
    (
        Region {
            currency: Currency::EUR,
            language: "fr",
            time_zones: &[("Europe/Paris", 1)],
            names: &[
                (&FRENCH, 82),
                (&ARABIC, 10),
                (&PORTUGUESE, 4),
                (&CHINESE, 2),
                (&ENGLISH, 2),
            ],
            mobile: PhonePlan {
                prefixes: &["+336", "+337"],
                digits: 8,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+331", "+334"],
                digits: 8,
                floor: 0,
            },
        },
        9,
    ),
    (
        Region {
            currency: Currency::EUR,
            language: "de",
            time_zones: &[("Europe/Berlin", 1)],
            names: &[
                (&GERMAN, 80),
                (&POLISH, 8),
                (&ARABIC, 6),
                (&ENGLISH, 3),
                (&CHINESE, 3),
            ],
            mobile: PhonePlan {
                prefixes: &["+49151", "+49160", "+49170"],
                digits: 8,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+4930", "+4989", "+4940"],
                digits: 8,
                floor: 0,
            },
        },
        9,
    ),
    (
        Region {
            currency: Currency::EUR,
            language: "es",
            time_zones: &[("Europe/Madrid", 1)],
            names: &[(&SPANISH, 86), (&ARABIC, 6), (&ENGLISH, 4), (&CHINESE, 4)],
            mobile: PhonePlan {
                prefixes: &["+346"],
                digits: 8,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+3491", "+3493"],
                digits: 7,
                floor: 0,
            },
        },
        8,
    ),
    (
        Region {
            currency: Currency::EUR,
            language: "pt",
            time_zones: &[("Europe/Lisbon", 1)],
            names: &[(&PORTUGUESE, 88), (&SPANISH, 6), (&ENGLISH, 6)],
            mobile: PhonePlan {
                prefixes: &["+35191", "+35193", "+35196"],
                digits: 7,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+35121", "+35122"],
                digits: 7,
                floor: 0,
            },
        },
        4,
    ),
    (
        Region {
            currency: Currency::EUR,
            language: "en",
            time_zones: &[("Europe/Dublin", 1)],
            names: &[(&ENGLISH, 85), (&POLISH, 10), (&PORTUGUESE, 5)],
            mobile: PhonePlan {
                prefixes: &["+35383", "+35385", "+35387"],
                digits: 7,
                floor: 0,
            },
            landline: PhonePlan {
                prefixes: &["+3531"],
                digits: 7,
                floor: 0,
            },
        },
        3,
    ),
];

const ENGLISH: NameSet = NameSet {
    language: "en",
    given: &[
        ("James", "james"),
        ("Mary", "mary"),
        ("John", "john"),
        ("Patricia", "patricia"),
        ("Michael", "michael"),
        ("Jennifer", "jennifer"),
        ("David", "david"),
        ("Linda", "linda"),
        ("Sarah", "sarah"),
        ("Emily", "emily"),
        ("Daniel", "daniel"),
        ("Olivia", "olivia"),
        ("Thomas", "thomas"),
        ("Jessica", "jessica"),
        ("Christopher", "christopher"),
        ("Hannah", "hannah"),
        ("Andrew", "andrew"),
        ("Grace", "grace"),
        ("Priya", "priya"),
        ("Arjun", "arjun"),
        ("Kwame", "kwame"),
        ("Aaliyah", "aaliyah"),
        ("Connor", "connor"),
        ("Siobhán", "siobhan"),
        ("Chloe", "chloe"),
        ("Zoë", "zoe"),
    ],
    family: &[
        ("Smith", "smith"),
        ("Johnson", "johnson"),
        ("Williams", "williams"),
        ("Brown", "brown"),
        ("Jones", "jones"),
        ("Miller", "miller"),
        ("Davis", "davis"),
        ("Wilson", "wilson"),
        ("Taylor", "taylor"),
        ("Anderson", "anderson"),
        ("Moore", "moore"),
        ("Clark", "clark"),
        ("Lewis", "lewis"),
        ("O'Brien", "obrien"),
        ("Walker", "walker"),
        ("Hall", "hall"),
        ("Young", "young"),
        ("King", "king"),
        ("Wright", "wright"),
        ("Evans", "evans"),
        ("Hughes", "hughes"),
        ("Patel", "patel"),
        ("Nguyen", "nguyen"),
        ("Kim", "kim"),
        ("Okafor", "okafor"),
        ("Mensah", "mensah"),
        ("Murphy", "murphy"),
        ("Bennett", "bennett"),
    ],
    family_first: false,
};

const SPANISH: NameSet = NameSet {
    language: "es",
    given: &[
        ("José", "jose"),
        ("María", "maria"),
        ("Lucía", "lucia"),
        ("Sofía", "sofia"),
        ("Ángel", "angel"),
        ("Javier", "javier"),
        ("Carmen", "carmen"),
        ("Alejandro", "alejandro"),
        ("Raúl", "raul"),
        ("Inés", "ines"),
        ("Andrés", "andres"),
        ("Mónica", "monica"),
        ("Jesús", "jesus"),
        ("Pilar", "pilar"),
        ("Diego", "diego"),
        ("Elena", "elena"),
    ],
    family: &[
        ("Álvarez", "alvarez"),
        ("Fernández", "fernandez"),
        ("Núñez", "nunez"),
        ("Peña", "pena"),
        ("Muñoz", "munoz"),
        ("García", "garcia"),
        ("Rodríguez", "rodriguez"),
        ("López", "lopez"),
        ("Martínez", "martinez"),
        ("Sánchez", "sanchez"),
        ("Gómez", "gomez"),
        ("Díaz", "diaz"),
        ("Ortega", "ortega"),
        ("Castillo", "castillo"),
        ("Ibáñez", "ibanez"),
        ("Gonzalez", "gonzalez"),
    ],
    family_first: false,
};

const FRENCH: NameSet = NameSet {
    language: "fr",
    given: &[
        ("François", "francois"),
        ("Hélène", "helene"),
        ("Jérôme", "jerome"),
        ("Céline", "celine"),
        ("Gaëlle", "gaelle"),
        ("Noël", "noel"),
        ("Amélie", "amelie"),
        ("Théo", "theo"),
        ("Léa", "lea"),
        ("Louis", "louis"),
        ("Camille", "camille"),
        ("Étienne", "etienne"),
        ("Chloé", "chloe"),
        ("Anaïs", "anais"),
    ],
    family: &[
        ("Dupré", "dupre"),
        ("Lefèvre", "lefevre"),
        ("Moreau", "moreau"),
        ("Girard", "girard"),
        ("Bélanger", "belanger"),
        ("Fournier", "fournier"),
        ("Rousseau", "rousseau"),
        ("Lemaître", "lemaitre"),
        ("Benoît", "benoit"),
        ("Mercier", "mercier"),
        ("Faure", "faure"),
        ("Gauthier", "gauthier"),
        ("Chevalier", "chevalier"),
    ],
    family_first: false,
};

const GERMAN: NameSet = NameSet {
    language: "de",
    given: &[
        ("Jürgen", "juergen"),
        ("Zoë", "zoe"),
        ("Björn", "bjoern"),
        ("Lena", "lena"),
        ("Günther", "guenther"),
        ("Jörg", "joerg"),
        ("Anna", "anna"),
        ("Lukas", "lukas"),
        ("Felix", "felix"),
        ("Sophie", "sophie"),
        ("Käthe", "kaethe"),
        ("Maximilian", "maximilian"),
        ("Mia", "mia"),
        ("Uwe", "uwe"),
        ("Ingrid", "ingrid"),
    ],
    family: &[
        ("Müller", "mueller"),
        ("Schäfer", "schaefer"),
        ("Weiß", "weiss"),
        ("Köhler", "koehler"),
        ("Groß", "gross"),
        ("Schröder", "schroeder"),
        ("Fischer", "fischer"),
        ("Becker", "becker"),
        ("Hoffmann", "hoffmann"),
        ("Wagner", "wagner"),
        ("Schulz", "schulz"),
        ("Krüger", "krueger"),
        ("Vogel", "vogel"),
        ("Zimmermann", "zimmermann"),
        ("Braun", "braun"),
    ],
    family_first: false,
};

const POLISH: NameSet = NameSet {
    language: "pl",
    given: &[
        ("Łukasz", "lukasz"),
        ("Małgorzata", "malgorzata"),
        ("Paweł", "pawel"),
        ("Agnieszka", "agnieszka"),
        ("Zofia", "zofia"),
        ("Krzysztof", "krzysztof"),
        ("Wojciech", "wojciech"),
        ("Katarzyna", "katarzyna"),
        ("Michał", "michal"),
        ("Joanna", "joanna"),
        ("Tomasz", "tomasz"),
        ("Ewa", "ewa"),
    ],
    family: &[
        ("Wójcik", "wojcik"),
        ("Nowak", "nowak"),
        ("Kowalczyk", "kowalczyk"),
        ("Mazur", "mazur"),
        ("Krawczyk", "krawczyk"),
        ("Zając", "zajac"),
        ("Król", "krol"),
        ("Wróbel", "wrobel"),
        ("Pawlak", "pawlak"),
        ("Michalak", "michalak"),
        ("Sikora", "sikora"),
        ("Baran", "baran"),
    ],
    family_first: false,
};

const PORTUGUESE: NameSet = NameSet {
    language: "pt",
    given: &[
        ("João", "joao"),
        ("Inês", "ines"),
        ("Tomás", "tomas"),
        ("Beatriz", "beatriz"),
        ("Gonçalo", "goncalo"),
        ("Mariana", "mariana"),
        ("Duarte", "duarte"),
        ("Leonor", "leonor"),
        ("Rui", "rui"),
        ("Conceição", "conceicao"),
    ],
    family: &[
        ("Gonçalves", "goncalves"),
        ("Araújo", "araujo"),
        ("Magalhães", "magalhaes"),
        ("Simões", "simoes"),
        ("Silva", "silva"),
        ("Santos", "santos"),
        ("Ferreira", "ferreira"),
        ("Pereira", "pereira"),
        ("Costa", "costa"),
        ("Rodrigues", "rodrigues"),
        ("Sousa", "sousa"),
        ("Fonseca", "fonseca"),
    ],
    family_first: false,
};

const CHINESE: NameSet = NameSet {
    language: "zh",
    given: &[
        ("秀英", "xiuying"),
        ("伟", "wei"),
        ("芳", "fang"),
        ("娜", "na"),
        ("敏", "min"),
        ("静", "jing"),
        ("强", "qiang"),
        ("磊", "lei"),
        ("洋", "yang"),
        ("婷", "ting"),
        ("军", "jun"),
        ("杰", "jie"),
        ("丽", "li"),
        ("涛", "tao"),
        ("明", "ming"),
        ("慧", "hui"),
    ],
    family: &[
        ("王", "wang"),
        ("李", "li"),
        ("张", "zhang"),
        ("刘", "liu"),
        ("陈", "chen"),
        ("杨", "yang"),
        ("黄", "huang"),
        ("赵", "zhao"),
        ("周", "zhou"),
        ("吴", "wu"),
        ("徐", "xu"),
        ("孙", "sun"),
    ],
    family_first: true,
};

const ARABIC: NameSet = NameSet {
    language: "ar",
    given: &[
        ("محمد", "mohammed"),
        ("أحمد", "ahmed"),
        ("فاطمة", "fatima"),
        ("عائشة", "aisha"),
        ("يوسف", "youssef"),
        ("مريم", "maryam"),
        ("عمر", "omar"),
        ("ليلى", "layla"),
        ("خالد", "khaled"),
        ("نور", "nour"),
        ("حسن", "hassan"),
        ("سارة", "sara"),
    ],
    family: &[
        ("العلي", "alali"),
        ("الحسن", "alhassan"),
        ("منصور", "mansour"),
        ("حداد", "haddad"),
        ("الخطيب", "alkhatib"),
        ("سعيد", "saeed"),
        ("الشامي", "alshami"),
        ("النجار", "alnajjar"),
        ("عباس", "abbas"),
    ],
    family_first: false,
};

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::domain::text::normalize_email;

    /// A fixed anchor, so a test running across midnight stays deterministic.
    fn anchor() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 15).expect("valid date")
    }

    async fn seeded(customers: u64, seed: u64) -> (tempfile::TempDir, Store, SeedReport) {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/seed.db", dir.path().display());
        let store = Store::open(&url).await.expect("open store");
        let report = seed_at(&store, &SeedOptions { customers, seed }, anchor())
            .await
            .expect("seed");
        (dir, store, report)
    }

    async fn names(store: &Store) -> Vec<String> {
        sqlx::query_scalar("SELECT name FROM customers ORDER BY id")
            .fetch_all(store.pool())
            .await
            .expect("names")
    }

    async fn event_counts(store: &Store) -> Vec<(i64, i64)> {
        sqlx::query_as(
            "SELECT customer_id, COUNT(*) FROM events GROUP BY customer_id ORDER BY customer_id",
        )
        .fetch_all(store.pool())
        .await
        .expect("event counts")
    }

    async fn count(store: &Store, sql: &str, id: CustomerId) -> i64 {
        sqlx::query_scalar(sql)
            .bind(id.0)
            .fetch_one(store.pool())
            .await
            .expect(sql)
    }

    #[tokio::test]
    async fn same_seed_gives_the_same_data() {
        let (_a, first, _) = seeded(300, 7).await;
        let (_b, second, _) = seeded(300, 7).await;
        let (_c, other, _) = seeded(300, 8).await;
        assert_eq!(names(&first).await, names(&second).await);
        assert_eq!(event_counts(&first).await, event_counts(&second).await);
        assert_ne!(names(&first).await, names(&other).await);
    }

    #[tokio::test]
    async fn fixtures_are_there_with_their_promises() {
        let (_dir, store, report) = seeded(300, DEFAULT_SEED).await;
        assert_eq!(report.first_id, CustomerId(1));
        assert_eq!(report.customers, 300);

        let household = store.lookup_phone(GONZALEZ_PHONE).await.expect("lookup");
        let ids: Vec<_> = household.iter().map(|c| c.id).collect();
        assert_eq!(ids, [MARIA_ID, ROBERT_ID]);
        assert_eq!(household[0].account_number, MARIA_ACCOUNT);
        assert_eq!(household[1].account_number, ROBERT_ACCOUNT);

        let maria = store
            .customer(MARIA_ID)
            .await
            .expect("read")
            .expect("maria");
        assert_eq!(maria.name, MARIA_NAME);
        assert_eq!(maria.emails, [MARIA_EMAIL]);
        assert_eq!(maria.segment, Segment::Gold);
        assert!(maria.churn_risk >= 0.7 && maria.marketing_consent);
        assert!(maria.customer_since <= days_before(anchor(), 6 * 365));
        let [fee] = maria.outstanding_fees.as_slice() else {
            panic!("Maria owes one fee: {:?}", maria.outstanding_fees);
        };
        assert_eq!(fee.kind, FeeKind::LatePayment);
        assert_eq!(
            fee.outstanding,
            Money::new(MARIA_LATE_FEE_MINOR, Currency::USD)
        );
        assert!(maria.balance.minor_units >= MARIA_LATE_FEE_MINOR);
        let year_ago = midnight_ms(anchor()) - 365 * DAY_MS;
        let week_ago = midnight_ms(anchor()) - 6 * DAY_MS;
        let waivers =
            "SELECT COUNT(*) FROM events WHERE customer_id = $1 AND kind = 'waiver' AND at_ms > $2";
        let billing_calls =
            "SELECT COUNT(*) FROM events WHERE customer_id = $1 AND kind = 'contact' \
             AND topic = 'billing' AND channel IN ('voice', 'chat') AND at_ms > $2";
        for (sql, since, expected) in [(waivers, year_ago, 0), (billing_calls, week_ago, 3)] {
            let n: i64 = sqlx::query_scalar(sql)
                .bind(MARIA_ID.0)
                .bind(since)
                .fetch_one(store.pool())
                .await
                .expect(sql);
            assert_eq!(n, expected, "{sql}");
        }

        let oliver = store
            .lookup_email(&normalize_email(OLIVER_EMAIL))
            .await
            .expect("lookup");
        assert_eq!(oliver.len(), 1);
        assert_eq!(oliver[0].id, OLIVER_ID);
        assert_eq!(oliver[0].segment, Segment::Premier);
        let open_complaints = "SELECT COUNT(*) FROM events WHERE customer_id = $1 \
             AND kind = 'complaint' AND outcome = 'open'";
        assert_eq!(count(&store, open_complaints, OLIVER_ID).await, 1);

        let wang = store.customer(WANG_ID).await.expect("read").expect("wang");
        assert_eq!(
            (wang.name.as_str(), wang.language.as_str()),
            (WANG_NAME, "zh")
        );
        let long = store
            .customer(LONG_NAME_ID)
            .await
            .expect("read")
            .expect("long");
        assert_eq!(long.name.chars().count(), LONG_NAME_CHARS);
        assert!(!long.name.ends_with(' '));

        let big = store.lookup_phone(BIG_FEE_PHONE).await.expect("lookup");
        let big = store
            .customer(big[0].id)
            .await
            .expect("read")
            .expect("big fee");
        assert_eq!(
            big.outstanding_fees[0].outstanding.minor_units,
            BIG_FEE_MINOR
        );
        assert_eq!(big.outstanding_fees[0].kind, FeeKind::Overdraft);

        let no_consent = store.lookup_phone(NO_CONSENT_PHONE).await.expect("lookup");
        let no_consent = store
            .customer(no_consent[0].id)
            .await
            .expect("read")
            .expect("no consent");
        assert!(no_consent.churn_risk >= 0.6 && !no_consent.marketing_consent);
    }

    #[tokio::test]
    async fn timelines_average_about_forty_events() {
        let (_dir, store, report) = seeded(300, DEFAULT_SEED).await;
        let average = report.events as f64 / report.customers as f64;
        assert!((25.0..=60.0).contains(&average), "average {average}");
        let all = "SELECT COUNT(*) FROM events WHERE customer_id = $1";
        assert_eq!(count(&store, all, PRIYA_ID).await, PRIYA_EVENTS as i64);
        let counts = event_counts(&store).await;
        assert_eq!(counts.len(), 300, "every customer has events");
        assert!(counts.iter().all(|&(_, n)| n as usize <= MAX_EVENTS));
    }

    #[tokio::test]
    async fn fees_are_events_and_balances_cover_them() {
        let (_dir, store, report) = seeded(300, DEFAULT_SEED).await;
        let fee_events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE kind = 'fee'")
            .fetch_one(store.pool())
            .await
            .expect("fee events");
        assert_eq!(fee_events as u64, report.fees);
        let short: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM customers c WHERE balance_minor < \
             (SELECT COALESCE(SUM(outstanding_minor), 0) FROM fees f WHERE f.customer_id = c.id)",
        )
        .fetch_one(store.pool())
        .await
        .expect("balances");
        assert_eq!(short, 0);
        let future: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE at_ms > $1")
            .bind(midnight_ms(anchor()))
            .fetch_one(store.pool())
            .await
            .expect("future events");
        assert_eq!(future, 0);
        let owing: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT customer_id) FROM fees WHERE outstanding_minor > 0",
        )
        .fetch_one(store.pool())
        .await
        .expect("owing");
        assert!(owing > 20, "{owing} customers owe fees");
    }

    #[tokio::test]
    async fn fixtures_come_only_with_the_first_seed() {
        let (_dir, store, report) = seeded(5, 1).await;
        assert_eq!(report.customers, fixtures::COUNT);
        let more = seed_at(
            &store,
            &SeedOptions {
                customers: 20,
                seed: 1,
            },
            anchor(),
        )
        .await
        .expect("second seed");
        assert_eq!(more.first_id, CustomerId(fixtures::COUNT as i64 + 1));
        assert_eq!(more.customers, 20);
        let household = store.lookup_phone(GONZALEZ_PHONE).await.expect("lookup");
        assert_eq!(household.len(), 2);
    }

    #[test]
    fn generated_phones_and_emails_are_unique() {
        let mut batch = Batch::default();
        for id in 100..5_100 {
            let id = CustomerId(id);
            random_customer(customer_rng(3, id), id, anchor(), &mut batch);
        }
        let mut phones: Vec<_> = batch.customers.iter().flat_map(|c| &c.phones).collect();
        let mut emails: Vec<_> = batch.customers.iter().flat_map(|c| &c.emails).collect();
        let (n_phones, n_emails) = (phones.len(), emails.len());
        phones.sort();
        phones.dedup();
        emails.sort();
        emails.dedup();
        assert_eq!((phones.len(), emails.len()), (n_phones, n_emails));
        assert!(phones
            .iter()
            .all(|p| p.starts_with('+') && (11..=16).contains(&p.len())));
    }

    /// Seeds `SEED_CUSTOMERS` (default 100,000) customers into a temporary SQLite
    /// file and prints the time taken. Run with
    /// `cargo test --release --lib seed -- --ignored --nocapture`.
    #[tokio::test]
    #[ignore]
    async fn seed_timing() {
        let customers = std::env::var("SEED_CUSTOMERS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(100_000);
        let started = std::time::Instant::now();
        let (_dir, _store, report) = seeded(customers, DEFAULT_SEED).await;
        println!(
            "seeded {} customers, {} events, {} fees in {:.1?}",
            report.customers,
            report.events,
            report.fees,
            started.elapsed()
        );
    }
}
