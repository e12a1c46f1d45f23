//! Unknown callers written down, against a real `switchboard serve` on
//! SQLite and PostgreSQL: a new customer found by their number and name
//! afterwards, exactly once under a replayed key; a record of the number
//! alone that a contact is logged against; a number added to a known
//! customer, shared with a household; and bad input refused by name.

mod common;

use common::{key, TestDb, TestServer};
use switchboard::api::*;
use switchboard::domain::*;

fn servers() -> Vec<TestServer> {
    TestDb::all().into_iter().map(TestServer::start).collect()
}

fn record(name: Option<&str>, phone: &str) -> NewCustomerRecord {
    NewCustomerRecord {
        name: name.map(str::to_string),
        phone: phone.into(),
        email: None,
        language: None,
        time_zone: None,
    }
}

async fn created(c: &Client, k: &str, r: NewCustomerRecord) -> (Customer, Written<WriteAnswer>) {
    let written = c.write(k, &Write::NewCustomer(r)).await.expect("created");
    match &written.body {
        WriteAnswer::Customer(customer) => (customer.clone(), written),
        other => panic!("{other:?}"),
    }
}

async fn by_phone(c: &Client, phone: &str) -> Vec<CustomerSummary> {
    c.lookup(&LookupQuery {
        phone: Some(phone.into()),
        email: None,
        account: None,
    })
    .await
    .expect("lookup")
    .matches
}

fn refused(answer: Result<Written<WriteAnswer>, ClientError>, status: u16, field: &str) {
    match answer {
        Err(ClientError::Api { status: s, body }) => {
            assert_eq!(
                (s.as_u16(), body.field.as_deref()),
                (status, Some(field)),
                "{body:?}"
            );
        }
        other => panic!("expected {status} on {field}, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_callers_become_customers_numbers_and_households() {
    for srv in servers() {
        let desk = srv.agent();
        // A new customer from a national number, found by it and by name.
        let k = key();
        let nia = NewCustomerRecord {
            name: Some("Nia Okafor".into()),
            phone: "(415) 555-0999".into(),
            email: Some("Nia.Okafor@Example.com".into()),
            language: Some("pt-BR".into()),
            time_zone: Some("America/Sao_Paulo".into()),
        };
        let (made, first) = created(&desk, &k, nia.clone()).await;
        assert_eq!(first.status.as_u16(), 201);
        assert_eq!(made.phones, ["+14155550999"]);
        assert_eq!(made.emails, ["nia.okafor@example.com"]);
        assert_eq!(
            (made.language.as_str(), made.time_zone.as_str()),
            ("pt-BR", "America/Sao_Paulo")
        );
        assert_eq!(made.segment, Segment::Standard);
        // The same key again: the same answer, and no second customer.
        let (again, replay) = created(&desk, &k, nia).await;
        assert!(replay.replayed);
        assert_eq!(again.id, made.id);
        let found = by_phone(&desk, "+1 415 555 0999").await;
        assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [made.id]);
        let named = desk.search("nia okafor", 5).await.expect("search");
        assert!(
            named.hits.iter().any(|r| r.customer.id == made.id),
            "{named:?}"
        );
        let profile = desk.customer(made.id).await.expect("profile");
        assert_eq!(profile.name, "Nia Okafor");

        // The number alone: a record a contact is logged against.
        let (number, _) = created(&desk, &key(), record(None, "+1 212 555 0177")).await;
        assert_eq!(number.name, "Caller +12125550177");
        let logged = desk
            .write(
                &key(),
                &Write::Interaction(NewInteraction {
                    customer_id: number.id,
                    channel: Channel::Voice,
                    disposition_code: "billing.late_fee".into(),
                    outcome: InteractionOutcome::Resolved,
                    tags: vec![],
                    notes: "Would not give a name".into(),
                    suggestion_outcomes: vec![],
                    follow_up_at: None,
                    acting_for: None,
                    tone_flagged: false,
                }),
            )
            .await
            .expect("logged");
        assert_eq!(logged.status.as_u16(), 201);
        let later = by_phone(&desk, "212-555-0177").await;
        assert_eq!(later.iter().map(|c| c.id).collect::<Vec<_>>(), [number.id]);
        let timeline = desk
            .timeline(number.id, &TimelineQuery::default())
            .await
            .expect("timeline");
        assert!(
            timeline
                .events
                .iter()
                .any(|e| e.detail.as_deref() == Some("Would not give a name")
                    || e.summary.contains("Would not give a name")),
            "{timeline:?}"
        );

        // Dana rang from that number: it is added to her too; a lookup by it
        // now offers both, and the audit says it is shared.
        let dana = CustomerId(12);
        let add = |id: CustomerId, phone: &str| {
            Write::AddPhone(PhoneWrite {
                customer_id: id,
                phone: NewPhone {
                    phone: phone.into(),
                },
            })
        };
        let written = desk
            .write(&key(), &add(dana, "+12125550177"))
            .await
            .expect("added");
        let WriteAnswer::Customer(with) = written.body else {
            panic!("a customer");
        };
        assert!(with.phones.contains(&"+12125550177".to_string()));
        let both = by_phone(&desk, "+12125550177").await;
        assert_eq!(both.len(), 2, "{both:?}");
        // Added again: no second copy.
        desk.write(&key(), &add(dana, "+1 (212) 555-0177"))
            .await
            .expect("again");
        let profile = desk.customer(dana).await.expect("Dana");
        assert_eq!(
            profile
                .phones
                .iter()
                .filter(|p| *p == "+12125550177")
                .count(),
            1
        );
        let audit = srv
            .supervisor()
            .audit(&AuditQuery {
                customer_id: Some(dana),
                limit: Some(10),
                kind: None,
            })
            .await
            .expect("audit")
            .entries;
        assert!(
            audit.iter().any(|e| e.action == "add_phone"
                && e.detail.contains("also the number of Caller +12125550177")),
            "{audit:?}"
        );

        // Bad input, refused by name; nothing is created.
        refused(
            desk.write(&key(), &Write::NewCustomer(record(None, "+1 555")))
                .await,
            422,
            "phone",
        );
        let mut bad = record(Some("Ann"), "+14155550111");
        bad.email = Some("nope".into());
        refused(
            desk.write(&key(), &Write::NewCustomer(bad.clone())).await,
            422,
            "email",
        );
        bad.email = None;
        bad.time_zone = Some("Mars/Base".into());
        refused(
            desk.write(&key(), &Write::NewCustomer(bad.clone())).await,
            422,
            "time_zone",
        );
        bad.time_zone = None;
        bad.language = Some("English".into());
        refused(
            desk.write(&key(), &Write::NewCustomer(bad.clone())).await,
            400,
            "language",
        );
        refused(
            desk.write(
                &key(),
                &Write::NewCustomer(record(Some(" "), "+14155550111")),
            )
            .await,
            400,
            "name",
        );
        refused(
            desk.write(&key(), &add(CustomerId(9_999_999), "+14155550111"))
                .await,
            404,
            "customer_id",
        );
        assert!(by_phone(&desk, "+14155550111").await.is_empty());
    }
}
