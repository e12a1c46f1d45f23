//! The agent's read path, in process, on a 100,000-customer SQLite database:
//! lookup by phone, profile, first timeline page, and the decision (the
//! history and learned evidence it reads, Thompson sampling, the evidence in
//! words), per customer: one read after another, and as the desk asks
//! (the lookup, then profile, timeline page and suggestions at once, the
//! suggestions reading the profile again as their route does).
//! Then a business pop: a contact of an account with 10 contacts and
//! 20,000 events (added once), to their organisation, its account, the whole
//! account's first page and the decision.
//! Reports p50 and p99. Run: `cargo bench --bench read_path`
//! (BENCH_CUSTOMERS=20000 for a quicker run; BENCH_DB=sqlite://PATH to reuse a
//! seeded file).

use std::time::{Duration, Instant};
use switchboard::domain::AgentId;
use switchboard::server::decide::catalog::Catalog;
use switchboard::server::decide::facts::Contact;
use switchboard::server::seed::{seed, SeedOptions};
use switchboard::server::store::{Store, TimelineFilter};
use switchboard::server::suggest::suggest;

const SAMPLES: usize = 2_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let customers: u64 = std::env::var("BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let dir = tempfile::tempdir()?;
        let url = match std::env::var("BENCH_DB") {
            Ok(url) => url,
            Err(_) => format!("sqlite://{}", dir.path().join("bench.db").display()),
        };
        let store = Store::open(&url).await?;
        if store.next_customer_id().await?.0 == 1 {
            let started = Instant::now();
            let report = seed(
                &store,
                &SeedOptions {
                    customers,
                    seed: 42,
                },
            )
            .await?;
            println!(
                "seeded {} customers, {} events in {:.1}s",
                report.customers,
                report.events,
                started.elapsed().as_secs_f64()
            );
        }
        let total = store.next_customer_id().await?.0 - 1;
        // Sample customers spread over the whole table, by their phone number.
        let step = (total as usize / SAMPLES).max(1);
        let ids: Vec<_> = (0..SAMPLES)
            .map(|i| switchboard::domain::CustomerId(1 + ((i * step) as i64 % total)))
            .collect();
        let mut phones = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(c) = store.customer(*id).await? {
                if let Some(p) = c.phones.first() {
                    phones.push(p.clone());
                }
            }
        }
        let catalog = Catalog::load(None)?;
        let decay = store
            .prepare_models(catalog.settings.half_life_days)
            .await?;
        let contact = Contact {
            channel: "voice".into(),
            queue: None,
        };
        let mut times = Vec::with_capacity(phones.len());
        let mut as_the_desk_asks = Vec::with_capacity(phones.len());
        // The decision alone (history, evidence, ranking), to tell it from the rest.
        let mut deciding = Vec::with_capacity(phones.len());
        let filter = TimelineFilter {
            before: None,
            limit: 50,
            channel: None,
            kind: None,
        };
        for phone in &phones {
            let started = Instant::now();
            let customer = popped(&store, phone).await?;
            let id = customer.id;
            let (page, _) = store.timeline(id, &filter).await?;
            let decision_started = Instant::now();
            let made = suggest(
                &store,
                &catalog,
                &decay,
                &customer,
                AgentId(1),
                &contact,
                false,
            )
            .await?;
            deciding.push(decision_started.elapsed());
            let suggestions = made.answer;
            std::hint::black_box((page, suggestions));
            times.push(started.elapsed());
        }
        for phone in &phones {
            let started = Instant::now();
            let found = store.lookup_phone(phone).await?;
            let id = found
                .first()
                .map(|c| c.id)
                .ok_or_else(|| anyhow::anyhow!("no match"))?;
            let decided = async {
                let customer = store
                    .customer(id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("gone"))?;
                let agent = AgentId(1);
                Ok::<_, anyhow::Error>(
                    suggest(&store, &catalog, &decay, &customer, agent, &contact, false).await?,
                )
            };
            let profile = async { Ok::<_, anyhow::Error>(store.customer(id).await?) };
            let page = async { Ok::<_, anyhow::Error>(store.timeline(id, &filter).await?) };
            std::hint::black_box(tokio::try_join!(profile, page, decided)?);
            as_the_desk_asks.push(started.elapsed());
        }
        for (what, times) in [
            ("read path, one read after another", &mut times),
            (
                "read path as the desk asks (the last three at once)",
                &mut as_the_desk_asks,
            ),
            ("  of which the decision", &mut deciding),
        ] {
            let label = format!("{what} over {} customers of {total}", times.len());
            report(&label, times);
        }
        business_pop(&store, &catalog, &decay, &contact).await
    })
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "{what}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(times, 0.50).as_secs_f64() * 1e3,
        percentile(times, 0.99).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |t| t.as_secs_f64() * 1e3),
    );
}

/// The profile of the customer a number finds: what a pop reads first.
async fn popped(store: &Store, phone: &str) -> anyhow::Result<switchboard::domain::Customer> {
    let found = store.lookup_phone(phone).await?;
    let id = found
        .first()
        .map(|c| c.id)
        .ok_or_else(|| anyhow::anyhow!("no customer has {phone}"))?;
    store
        .customer(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("customer {id} is gone"))
}

/// Contacts and events of the benchmark's own account.
const ACCOUNT_CONTACTS: i64 = 10;
const ACCOUNT_EVENTS: i64 = 20_000;

/// A business pop: a contact's number, their profile with the organisations
/// they act for, the organisation's account, the first page of the whole
/// account's timeline and the decision (account signals included), for an
/// account of 10 contacts and 20,000 events added to the database once.
async fn business_pop(
    store: &Store,
    catalog: &Catalog,
    decay: &switchboard::server::decide::learn::posterior::Decay,
    contact: &Contact,
) -> anyhow::Result<()> {
    use switchboard::domain::{
        Channel, ContactRole, Currency, CustomerId, EventKind, Money, Segment, Tier,
    };
    use switchboard::server::store::{NewCustomer, NewEvent, NewInvoice, NewOrganisation};
    const ACCOUNT: &str = "BENCH-ACCOUNT";
    let phone = |i: i64| format!("+1555019{i:04}");
    let existing = store.lookup_account(ACCOUNT).await?;
    let org = match existing.first() {
        Some(found) => found.id,
        None => {
            let org = store.next_customer_id().await?;
            let today = chrono::Utc::now().date_naive();
            let usd = |minor| Money::new(minor, Currency::USD);
            let party = |id: i64, name: String, account: String, phones: Vec<String>| NewCustomer {
                id: CustomerId(id),
                name,
                account_number: account,
                segment: Segment::Premier,
                lifetime_value: usd(500_000_000),
                customer_since: today - chrono::Duration::days(3_000),
                churn_risk: 0.2,
                language: "en".into(),
                time_zone: "America/Chicago".into(),
                marketing_channels: vec![Channel::Email],
                balance: usd(0),
                phones,
                emails: vec![],
            };
            let mut parties = vec![party(
                org.0,
                "Bench Account Co.".into(),
                ACCOUNT.into(),
                vec![],
            )];
            for i in 1..=ACCOUNT_CONTACTS {
                parties.push(party(
                    org.0 + i,
                    format!("Contact {i}"),
                    format!("BENCH-C{i}"),
                    vec![phone(i)],
                ));
            }
            // Five years of events, spread over the contacts and the account.
            let now_ms = chrono::Utc::now().timestamp_millis();
            let events: Vec<NewEvent> = (0..ACCOUNT_EVENTS)
                .map(|n| NewEvent {
                    customer_id: CustomerId(org.0 + n % (ACCOUNT_CONTACTS + 1)),
                    at_ms: now_ms - n * 7_884_000,
                    channel: Channel::Voice,
                    kind: if n % 9 == 0 {
                        EventKind::Complaint
                    } else {
                        EventKind::Contact
                    },
                    topic: Some(
                        if n % 5 == 0 {
                            "technical.fault"
                        } else {
                            "orders.status"
                        }
                        .into(),
                    ),
                    summary: format!("Account event {n}"),
                    detail: None,
                    agent: None,
                    outcome: None,
                    amount: None,
                })
                .collect();
            store.bulk_insert(&parties, &[], &[]).await?;
            for chunk in events.chunks(5_000) {
                store.bulk_insert(&[], &[], chunk).await?;
            }
            let invoices = (0..12)
                .map(|m| NewInvoice {
                    number: format!("B-{m}"),
                    issued_on: today - chrono::Duration::days(40 + 30 * m),
                    due_on: today - chrono::Duration::days(10 + 30 * m),
                    paid_on: (m > 1).then(|| today - chrono::Duration::days(30 * m)),
                    amount: usd(10_000_000),
                    late_charge: None,
                })
                .collect();
            store
                .add_organisation(&NewOrganisation {
                    id: org,
                    industry: "Bench".into(),
                    size_band: "1000+".into(),
                    address: "Bench St".into(),
                    tier: Tier::KeyAccount,
                    key_account_manager: None,
                    annual_revenue: usd(120_000_000),
                    margin_bp: 1_500,
                    payment_terms_days: 30,
                    credit_limit: usd(20_000_000),
                    renewal_on: today + chrono::Duration::days(60),
                    contacts: (1..=ACCOUNT_CONTACTS)
                        .map(|i| (CustomerId(org.0 + i), ContactRole::Purchaser, None))
                        .collect(),
                    invoices,
                    orders: vec![],
                    rebates: vec![],
                })
                .await?;
            org
        }
    };
    let filter = TimelineFilter {
        before: None,
        limit: 50,
        channel: None,
        kind: None,
    };
    let mut times = Vec::new();
    for n in 0..1_000 {
        let started = Instant::now();
        let customer = popped(store, &phone(1 + n % ACCOUNT_CONTACTS)).await?;
        let account = customer.acts_for.first().map(|a| a.organisation_id);
        anyhow::ensure!(account == Some(org), "the contact acts for the account");
        let (organisation, page, made) = tokio::try_join!(
            store.organisation(org),
            store.account_timeline(org, &filter),
            suggest(store, catalog, decay, &customer, AgentId(1), contact, false)
        )?;
        std::hint::black_box((organisation, page, made.answer));
        times.push(started.elapsed());
    }
    report(
        &format!(
            "business pop ({ACCOUNT_CONTACTS} contacts, {ACCOUNT_EVENTS} account events; the account, its timeline and the decision at once)"
        ),
        &mut times,
    );
    Ok(())
}
