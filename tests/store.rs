//! The store layer, one set of tests run against SQLite and PostgreSQL.

mod common;

use chrono::{NaiveDate, Utc};
use common::TestDb;
use switchboard::api::{NewFeeWaiver, WaiverItem, Write};
use switchboard::domain::*;
use switchboard::server::store::*;

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn customer(id: i64, name: &str, phone: &str, email: &str) -> NewCustomer {
    NewCustomer {
        id: CustomerId(id),
        name: name.into(),
        account_number: format!("T{id:08}"),
        segment: Segment::Silver,
        lifetime_value: usd(100_000),
        customer_since: NaiveDate::from_ymd_opt(2015, 3, 1).expect("date"),
        churn_risk: 0.1,
        language: "en".into(),
        time_zone: "America/New_York".into(),
        marketing_channels: Channel::CONTACT.to_vec(),
        balance: usd(5_000),
        phones: vec![phone.into()],
        emails: vec![email.into()],
    }
}

fn event(customer: i64, at_ms: i64, summary: &str) -> NewEvent {
    NewEvent {
        customer_id: CustomerId(customer),
        at_ms,
        channel: Channel::Chat,
        kind: EventKind::Contact,
        topic: Some("billing".into()),
        summary: summary.into(),
        detail: None,
        agent: None,
        outcome: None,
        amount: None,
    }
}

async fn open(db: &TestDb) -> Store {
    Store::open(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", db.label))
}

#[tokio::test]
async fn pages_never_skip_or_repeat_events_that_share_a_timestamp() {
    for db in TestDb::all() {
        let store = open(&db).await;
        let base = Utc::now().timestamp_millis() - 1_000_000;
        let mut events: Vec<NewEvent> = (0..25)
            .map(|i| event(1, base, &format!("tie {i}")))
            .collect();
        events.extend((0..10).map(|i| event(1, base + 1 + i, "later")));
        events.extend((0..10).map(|i| event(1, base - 1 - i, "earlier")));
        store
            .bulk_insert(
                &[customer(
                    1,
                    "Ada Lovelace",
                    "+15555550100",
                    "ada@example.com",
                )],
                &[],
                &events,
            )
            .await
            .expect("insert");
        let mut seen = Vec::new();
        let mut before = None;
        loop {
            let filter = TimelineFilter {
                before,
                limit: 4,
                channel: None,
                kind: None,
            };
            let (page, next) = store.timeline(CustomerId(1), &filter).await.expect("page");
            seen.extend(page.iter().map(|e| (e.at.timestamp_millis(), e.id.0)));
            match next {
                Some(c) => before = Some(c),
                None => break,
            }
        }
        assert_eq!(seen.len(), 45, "{}", db.label);
        assert!(
            seen.windows(2).all(|w| w[0] > w[1]),
            "{}: strictly newest first",
            db.label
        );
        assert_eq!(
            Cursor::decode(&Cursor { at_ms: 5, id: 9 }.encode()),
            Some(Cursor { at_ms: 5, id: 9 })
        );
        assert_eq!(Cursor::decode("5"), None);
    }
}

#[tokio::test]
async fn lookups_and_name_search_use_normalised_forms() {
    for db in TestDb::all() {
        let store = open(&db).await;
        store
            .bulk_insert(
                &[
                    customer(
                        1,
                        "José Álvarez",
                        "+14155550100",
                        "Jose.Alvarez@Example.com",
                    ),
                    customer(2, "Josephine Alder", "+14155550101", "jo@example.com"),
                    customer(3, "李伟", "+8613800138000", "li@example.cn"),
                ],
                &[],
                &[],
            )
            .await
            .expect("insert");
        let found = store
            .lookup_email("jose.alvarez@example.com")
            .await
            .expect("email");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "José Álvarez");
        assert_eq!(
            store.lookup_phone("+8613800138000").await.expect("phone")[0].name,
            "李伟"
        );
        assert_eq!(
            store.lookup_account("T00000002").await.expect("acct")[0].id,
            CustomerId(2)
        );
        let names: Vec<_> = store
            .search_names("jose alv", 10)
            .await
            .expect("search")
            .into_iter()
            .map(|h| h.customer.name)
            .collect();
        assert_eq!(names, ["José Álvarez"], "{}", db.label);
        let names: Vec<_> = store
            .search_names("jo", 10)
            .await
            .expect("search")
            .into_iter()
            .map(|h| h.customer.name)
            .collect();
        assert_eq!(names.len(), 2, "{}: {names:?}", db.label);
        assert!(store
            .search_names("zzz", 10)
            .await
            .expect("search")
            .is_empty());
    }
}

#[tokio::test]
async fn idempotency_claims_move_from_fresh_to_replay() {
    for db in TestDb::all() {
        let store = open(&db).await;
        let (agent, _) = store
            .add_agent("A", Role::Agent, usd(1000))
            .await
            .expect("agent");
        let Claim::Fresh { token } = store.claim_key(agent.id, "k1", "h1").await.expect("claim")
        else {
            panic!("a new key is fresh");
        };
        assert_eq!(
            store.claim_key(agent.id, "k1", "h1").await.expect("claim"),
            Claim::InFlight
        );
        assert_eq!(
            store.claim_key(agent.id, "k1", "h2").await.expect("claim"),
            Claim::Mismatch
        );
        // Releasing another claim's token does nothing; releasing ours frees the key.
        store
            .release_key(agent.id, "k1", token + 1)
            .await
            .expect("release");
        assert_eq!(
            store.claim_key(agent.id, "k1", "h1").await.expect("claim"),
            Claim::InFlight
        );
        store
            .release_key(agent.id, "k1", token)
            .await
            .expect("release");
        assert!(matches!(
            store.claim_key(agent.id, "k1", "h2").await.expect("claim"),
            Claim::Fresh { .. }
        ));
        // Keys belong to one agent: another agent's same key is independent.
        let (other, _) = store
            .add_agent("B", Role::Agent, usd(1000))
            .await
            .expect("agent");
        assert!(matches!(
            store.claim_key(other.id, "k1", "h1").await.expect("claim"),
            Claim::Fresh { .. }
        ));
        assert_eq!(store.purge_old_keys().await.expect("purge"), 0);
    }
}

#[tokio::test]
async fn concurrent_waivers_of_one_fee_never_waive_it_twice() {
    for db in TestDb::all() {
        let store = open(&db).await;
        let fee = NewFee {
            customer_id: CustomerId(1),
            kind: FeeKind::LatePayment,
            charged_at_ms: Utc::now().timestamp_millis(),
            amount: usd(2_500),
            outstanding: usd(2_500),
        };
        store
            .bulk_insert(
                &[customer(1, "Grace Hopper", "+15555550101", "g@example.com")],
                &[fee],
                &[],
            )
            .await
            .expect("insert");
        let fee_id = store.outstanding_fees(CustomerId(1)).await.expect("fees")[0].id;
        let (agent, _) = store
            .add_agent("A", Role::Agent, usd(10_000))
            .await
            .expect("agent");
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (store, agent) = (store.clone(), agent.clone());
                tokio::spawn(async move {
                    let key = format!("key-{i}");
                    let Claim::Fresh { token } =
                        store.claim_key(agent.id, &key, "h").await.expect("claim")
                    else {
                        panic!("a fresh key");
                    };
                    let request = Write::FeeWaiver(NewFeeWaiver {
                        customer_id: CustomerId(1),
                        fees: vec![WaiverItem {
                            fee_id,
                            amount: usd(2_500),
                        }],
                        reason_code: "goodwill".into(),
                        note: String::new(),
                    });
                    let render = |_: &WriteOutcome| StoredResponse {
                        status: 200,
                        body: "{}".into(),
                    };
                    store
                        .write(&agent, &key, token, &request, render)
                        .await
                        .expect("write")
                        .0
                })
            })
            .collect();
        let mut applied = 0;
        for t in tasks {
            match t.await.expect("task") {
                WriteOutcome::WaiverDecided(d) if d.status == WaiverStatus::Applied => applied += 1,
                WriteOutcome::Refused { .. } => {}
                other => panic!("{}: unexpected {other:?}", db.label),
            }
        }
        assert_eq!(applied, 1, "{}", db.label);
        let after = store
            .customer(CustomerId(1))
            .await
            .expect("read")
            .expect("customer");
        assert_eq!(
            after.balance,
            usd(2_500),
            "{}: waived exactly once",
            db.label
        );
        assert!(after.outstanding_fees.is_empty());
    }
}

#[tokio::test]
async fn opening_twice_keeps_the_schema_and_reference_data() {
    for db in TestDb::all() {
        let first = open(&db).await;
        let refdata = first.refdata().await.expect("refdata");
        first.close().await;
        let second = open(&db).await;
        assert_eq!(
            second.refdata().await.expect("refdata"),
            refdata,
            "{}",
            db.label
        );
        assert!(refdata
            .queues
            .iter()
            .any(|q| q.code == "billing" && q.target_pct == 80));
    }
}

fn waiver_of(fees: &[(FeeId, i64)]) -> Write {
    Write::FeeWaiver(NewFeeWaiver {
        customer_id: CustomerId(1),
        fees: fees
            .iter()
            .map(|(fee_id, m)| WaiverItem {
                fee_id: *fee_id,
                amount: usd(*m),
            })
            .collect(),
        reason_code: "goodwill".into(),
        note: String::new(),
    })
}

fn render(_: &WriteOutcome) -> StoredResponse {
    StoredResponse {
        status: 200,
        body: "{}".into(),
    }
}

#[tokio::test]
async fn a_refused_waiver_of_several_fees_changes_none_of_them() {
    for db in TestDb::all() {
        let store = open(&db).await;
        let fee = |m| NewFee {
            customer_id: CustomerId(1),
            kind: FeeKind::Service,
            charged_at_ms: Utc::now().timestamp_millis(),
            amount: usd(m),
            outstanding: usd(m),
        };
        store
            .bulk_insert(
                &[customer(1, "Ida", "+15555550102", "i@example.com")],
                &[fee(1000), fee(2000)],
                &[],
            )
            .await
            .expect("insert");
        let fees = store.outstanding_fees(CustomerId(1)).await.expect("fees");
        let (agent, _) = store
            .add_agent("A", Role::Agent, usd(10_000))
            .await
            .expect("agent");
        // The second fee asks for more than is owed: the first must not be waived either.
        let Claim::Fresh { token } = store.claim_key(agent.id, "k", "h").await.expect("claim")
        else {
            panic!()
        };
        let request = waiver_of(&[(fees[0].id, 1000), (fees[1].id, 2001)]);
        let (outcome, _) = store
            .write(&agent, "k", token, &request, render)
            .await
            .expect("write");
        assert!(
            matches!(outcome, WriteOutcome::Refused { .. }),
            "{}: {outcome:?}",
            db.label
        );
        let after = store
            .customer(CustomerId(1))
            .await
            .expect("read")
            .expect("customer");
        assert_eq!(
            after.outstanding_fees.len(),
            2,
            "{}: nothing waived",
            db.label
        );
        assert_eq!(after.balance, usd(5_000));
        let audit = store
            .audit_log(Some(CustomerId(1)), 10)
            .await
            .expect("audit");
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].outcome, "refused");
    }
}

#[tokio::test]
async fn a_request_whose_claim_was_taken_over_cannot_also_complete() {
    for db in TestDb::all() {
        let store = open(&db).await;
        store
            .bulk_insert(
                &[customer(1, "Jo", "+15555550103", "j@example.com")],
                &[],
                &[],
            )
            .await
            .expect("insert");
        let (agent, _) = store
            .add_agent("A", Role::Agent, usd(10_000))
            .await
            .expect("agent");
        let Claim::Fresh { token } = store.claim_key(agent.id, "k", "h").await.expect("claim")
        else {
            panic!()
        };
        let request = Write::Escalation(switchboard::api::NewEscalation {
            customer_id: CustomerId(1),
            channel: Channel::Voice,
            target_code: "tier2".into(),
            priority: Priority::High,
            reason_code: "complaint".into(),
            summary: "s".into(),
        });
        // A token that is not the claim's (as after a takeover) is refused and
        // the write rolls back.
        let lost = store.write(&agent, "k", token - 1, &request, render).await;
        assert!(
            matches!(lost, Err(StoreError::ClaimLost)),
            "{}: {lost:?}",
            db.label
        );
        assert!(store
            .audit_log(Some(CustomerId(1)), 10)
            .await
            .expect("audit")
            .is_empty());
        store
            .write(&agent, "k", token, &request, render)
            .await
            .expect("the claim's own write");
        assert_eq!(
            store
                .audit_log(Some(CustomerId(1)), 10)
                .await
                .expect("audit")
                .len(),
            1
        );
    }
}

/// A token with an expiry is refused once it has passed, by the store's
/// clock; a rotated token starts without the old one's expiry.
#[tokio::test]
async fn an_expired_token_is_refused_and_a_rotated_one_starts_without_expiry() {
    use switchboard::server::clock::Clock;
    for db in TestDb::all() {
        let clock = Clock::manual(Utc::now());
        let store = open(&db).await.on_clock(clock.clone());
        let (agent, token) = store
            .add_agent("A", Role::Agent, usd(1000))
            .await
            .expect("agent");
        let tomorrow = store.now() + chrono::Duration::days(1);
        assert!(store
            .expire_token(agent.id, Some(tomorrow), "test")
            .await
            .expect("expiry"));
        assert!(store.agent_by_token(&token).await.expect("read").is_some());
        clock.advance(2 * 86_400_000);
        assert!(
            store.agent_by_token(&token).await.expect("read").is_none(),
            "{}: an expired token",
            db.label
        );
        let Some(Some(new)) = store
            .change_access(agent.id, AccessChange::Rotate, "test")
            .await
            .expect("rotate")
        else {
            panic!("rotated");
        };
        assert!(store.agent_by_token(&new).await.expect("read").is_some());
    }
}
