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

mod batch;
mod builder;
pub mod business;
mod draw;
mod events;
pub mod fixtures;
mod generate;
mod tables;

pub use batch::SeedReport;
pub use generate::{HEAVY_EVERY, MAX_EVENTS};

use crate::domain::{Currency, CustomerId, Money};
use crate::server::store::{Store, StoreError};
use batch::Batch;
use chrono::{NaiveDate, Utc};
use draw::customer_rng;
use generate::random_customer;
use tables::SIMULATED_AGENTS;

/// Customers seeded when no count is given.
pub const DEFAULT_CUSTOMERS: u64 = 2_000;
/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 1;

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
            .add_simulated_agents(&simulated_agents(), Money::new(5_000, Currency::USD))
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
    store.refresh_search_statistics().await?;
    Ok(report)
}

/// The simulated agents with their skills parsed.
fn simulated_agents() -> Vec<(&'static str, Vec<crate::domain::Skill>)> {
    SIMULATED_AGENTS
        .iter()
        .map(|(name, skills)| {
            (
                *name,
                crate::domain::parse_skills(skills).unwrap_or_default(),
            )
        })
        .collect()
}

/// Adds the industrial-supplier world ([`business`]) after the customers
/// already there: the two fixed accounts and up to `organisations` − 2
/// random ones, their contacts, invoices, orders and rebates. Once per
/// database: when organisations exist already, nothing is added. Returns
/// how many organisations were added.
pub async fn seed_business(
    store: &Store,
    seed: u64,
    organisations: u64,
    anchor: NaiveDate,
) -> Result<u64, StoreError> {
    if store.organisation_count().await? > 0 {
        return Ok(0);
    }
    let managers: Vec<_> = store
        .floor_agents()
        .await?
        .into_iter()
        .filter(|a| a.simulated)
        .take(5)
        .map(|a| a.agent.id)
        .collect();
    let first = store.next_customer_id().await?;
    let mut batch = Batch::default();
    let world = business::build(
        seed,
        first.0,
        organisations.clamp(2, business::ORGANISATIONS) - 2,
        anchor,
        &managers,
        &mut batch,
    );
    let mut report = SeedReport {
        customers: 0,
        events: 0,
        fees: 0,
        first_id: first,
    };
    batch.flush(store, &mut report).await?;
    for org in &world.organisations {
        store.add_organisation(org).await?;
    }
    store.refresh_search_statistics().await?;
    Ok(world.organisations.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::draw::{days_before, midnight_ms, DAY_MS};
    use super::fixtures::*;
    use super::*;
    use crate::domain::text::normalize_email;
    use crate::domain::{FeeKind, Segment};

    #[test]
    fn every_simulated_agents_skills_name_real_queues() {
        let queues = crate::server::store::default_refdata().queues;
        for (name, text) in SIMULATED_AGENTS {
            let skills = crate::domain::parse_skills(text).expect(name);
            assert!(
                skills
                    .iter()
                    .all(|s| queues.iter().any(|q| q.code == s.queue)),
                "{name}: {text}"
            );
        }
        // Every queue has a specialist (proficiency 3).
        for q in &queues {
            let best = simulated_agents()
                .iter()
                .flat_map(|(_, skills)| skills.iter().filter(|s| s.queue == q.code))
                .map(|s| s.proficiency)
                .max();
            assert_eq!(best, Some(3), "{}", q.code);
        }
    }

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
        assert!(
            maria.churn_risk >= 0.7 && maria.marketing_consent_on(crate::domain::Channel::Voice)
        );
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
        assert!(no_consent.churn_risk >= 0.6 && no_consent.marketing_channels.is_empty());
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
