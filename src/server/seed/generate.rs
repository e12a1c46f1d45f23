//! Random customers: where they live, their names, phones and e-mail
//! addresses (unique through the id), their value, and a timeline of about 40
//! events (log-normal, capped at [`MAX_EVENTS`]) with some fees still owed.

use super::batch::Batch;
use super::builder::{account_number, Builder};
use super::draw::{days_before, pick, pick_weighted, standard_normal};
use super::tables::{NameSet, PhonePlan, Region, EMAIL_DOMAINS, REGIONS, SEGMENTS};
use crate::domain::{Channel, CustomerId, Money, Segment};
use crate::server::store::NewCustomer;
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The most events one customer has.
pub const MAX_EVENTS: usize = 2_000;
/// Random customers whose id is a multiple of this have exactly `MAX_EVENTS` events.
pub const HEAVY_EVERY: i64 = 10_000;

/// Median events of a random customer; with `EVENTS_SIGMA` the mean is about 40.
const MEDIAN_EVENTS: f64 = 22.0;
const EVENTS_SIGMA: f64 = 1.1;

pub(super) fn random_customer(
    mut rng: ChaCha8Rng,
    id: CustomerId,
    anchor: NaiveDate,
    batch: &mut Batch,
) {
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
    let used = b.owed_fees() + b.recent_life_event();
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
        name: full_name(names, given, family),
        account_number: account_number(id),
        segment,
        lifetime_value,
        customer_since: since,
        churn_risk,
        language: language.into(),
        time_zone: time_zone.into(),
        marketing_channels: consented_channels(id, marketing_consent),
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

fn lifetime_value(rng: &mut ChaCha8Rng, segment: Segment) -> i64 {
    let range = match segment {
        Segment::Premier => 2_000_000..10_000_000,
        Segment::Gold => 500_000..2_000_000,
        Segment::Silver => 100_000..500_000,
        Segment::Standard => 5_000..100_000,
    };
    rng.gen_range(range) / 100 * 100
}

/// A name in the order of its language.
pub(super) fn full_name(names: &NameSet, given: &str, family: &str) -> String {
    if names.family_first {
        format!("{family}{given}")
    } else {
        format!("{given} {family}")
    }
}

/// A mobile, and for about a third of customers a landline too.
pub(super) fn random_phones(rng: &mut ChaCha8Rng, region: &Region, id: CustomerId) -> Vec<String> {
    let mut phones = vec![phone_number(&region.mobile, rng, id, MOBILE_SCRAMBLE)];
    if rng.gen_bool(0.3) {
        phones.push(phone_number(&region.landline, rng, id, LANDLINE_SCRAMBLE));
    }
    phones
}

/// None, one or two addresses, unique through the id.
pub(super) fn random_emails(
    rng: &mut ChaCha8Rng,
    given: &str,
    family: &str,
    id: CustomerId,
) -> Vec<String> {
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

/// A number of `plan` that no other id below the plan's range gets;
/// `multiplier` is one of the `*_SCRAMBLE` constants.
fn phone_number(plan: &PhonePlan, rng: &mut ChaCha8Rng, id: CustomerId, multiplier: u64) -> String {
    let prefix = pick(rng, plan.prefixes);
    let range = (10_u64.pow(plan.digits) - plan.floor).max(1);
    let n = plan.floor + scramble(id.0 as u64, multiplier, range);
    format!("{prefix}{n:0width$}", width = plan.digits as usize)
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

/// The channels a customer agreed to marketing on: every contact channel
/// for most who agreed, but one in five of them declined marketing calls and
/// one in seven text messages (by id, so the random draws stay as they were).
fn consented_channels(id: CustomerId, agreed: bool) -> Vec<Channel> {
    if !agreed {
        return vec![];
    }
    Channel::CONTACT
        .iter()
        .copied()
        .filter(|c| match c {
            Channel::Voice => id.0 % 5 != 0,
            Channel::Sms => id.0 % 7 != 0,
            _ => true,
        })
        .collect()
}
