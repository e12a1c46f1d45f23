//! Business customers through a real server, on SQLite and PostgreSQL: a
//! caller's number resolves to the contact and the organisations they act
//! for (the one chosen last first), an organisation's account reads whole,
//! and the account's timeline merges every contact's events, newest first,
//! paging without skipping or repeating; a key account's late charge is
//! within an agent's authority and shows in it once waived; each account
//! signal opens its action.

mod common;

use common::decisions::{eligible, explained};
use common::{key, TestDb, TestServer};
use std::collections::HashSet;
use switchboard::api::*;
use switchboard::domain::*;
use switchboard::server::seed::business::*;
use switchboard::server::store::Store;

/// A server whose database also holds the business world (six accounts).
fn business_server(db: TestDb) -> TestServer {
    common::run_ok(&[
        "seed",
        "--db",
        &db.url,
        "--customers",
        "20",
        "--seed",
        "5",
        "--organisations",
        "6",
    ]);
    TestServer::start(db)
}

async fn one_by_phone(c: &switchboard::api::Client, phone: &str) -> CustomerSummary {
    let found = c
        .lookup(&LookupQuery {
            phone: Some(phone.into()),
            ..Default::default()
        })
        .await
        .expect("lookup");
    assert_eq!(found.matches.len(), 1, "{phone}: {:?}", found.matches);
    found.matches[0].clone()
}

/// Helen Marsh's profile: Harbor's finance director.
async fn helen(c: &switchboard::api::Client) -> Customer {
    let found = one_by_phone(c, HELEN_PHONE).await;
    c.customer(found.id).await.expect("helen")
}

#[tokio::test]
async fn a_callers_number_finds_the_person_and_every_organisation_they_act_for() {
    for db in TestDb::all() {
        let label = db.label;
        let url = db.url.clone();
        let srv = business_server(db);
        let c = srv.agent();
        let helen = one_by_phone(&c, HELEN_PHONE).await;
        assert_eq!(helen.name, HELEN_NAME, "{label}");
        let profile = c.customer(helen.id).await.expect("helen");
        assert_eq!(profile.kind, PartyKind::Person, "{label}");
        assert_eq!(profile.acts_for.len(), 1, "{label}");
        let at = &profile.acts_for[0];
        assert_eq!(
            (at.organisation.as_str(), at.role, at.tier),
            (HARBOR_NAME, ContactRole::Finance, Tier::KeyAccount),
            "{label}"
        );
        let manager = at
            .key_account_manager
            .as_ref()
            .expect("a key account has a manager");
        assert!(
            manager.state.is_some(),
            "{label}: the server says if they are free"
        );

        // Sam acts for two: alphabetically first until one is chosen.
        let sam = one_by_phone(&c, SAM_PHONE).await;
        let names = |p: &Customer| -> Vec<String> {
            p.acts_for.iter().map(|a| a.organisation.clone()).collect()
        };
        let before = c.customer(sam.id).await.expect("sam");
        assert_eq!(names(&before), [HARBOR_NAME, LAKESIDE_NAME], "{label}");
        let lakeside = before.acts_for[1].organisation_id;
        let store = Store::open(&url).await.expect("store");
        assert!(store
            .choose_organisation(sam.id, lakeside)
            .await
            .expect("choose"));
        assert!(
            !store
                .choose_organisation(helen.id, lakeside)
                .await
                .expect("choose"),
            "{label}: Helen does not act for Lakeside"
        );
        store.close().await;
        let after = c.customer(sam.id).await.expect("sam");
        assert_eq!(
            names(&after),
            [LAKESIDE_NAME, HARBOR_NAME],
            "{label}: last chosen first"
        );

        // The account number finds the organisation itself.
        let found = c
            .lookup(&LookupQuery {
                account: Some(HARBOR_ACCOUNT.to_lowercase()),
                ..Default::default()
            })
            .await
            .expect("lookup");
        assert_eq!(found.matches.len(), 1, "{label}");
        let harbor = c.customer(found.matches[0].id).await.expect("harbor");
        assert_eq!(harbor.kind, PartyKind::Organisation, "{label}");
    }
}

#[tokio::test]
async fn an_organisations_account_reads_whole() {
    for db in TestDb::all() {
        let label = db.label;
        let srv = business_server(db);
        let c = srv.agent();
        let helen = helen(&c).await;
        let harbor_id = helen.acts_for[0].organisation_id;
        let harbor = c.organisation(harbor_id).await.expect("harbor");
        assert_eq!(harbor.name, HARBOR_NAME, "{label}");
        assert_eq!(harbor.tier, Tier::KeyAccount, "{label}");
        assert!(harbor.key_account_manager.is_some(), "{label}");
        let roles: HashSet<ContactRole> = harbor.contacts.iter().map(|c| c.role).collect();
        assert_eq!(roles.len(), 5, "{label}: every role: {:?}", harbor.contacts);
        let today = chrono::Utc::now().date_naive();
        let overdue: Vec<&Invoice> = harbor
            .invoices
            .iter()
            .filter(|i| i.is_overdue(today))
            .collect();
        assert_eq!(overdue.len(), 2, "{label}: {:?}", harbor.invoices);
        assert!(overdue.iter().all(|i| i.days_late(today).unwrap_or(0) > 0));
        // Paid later and later: each of the last paid invoices later than the one before.
        let mut paid: Vec<&Invoice> = harbor
            .invoices
            .iter()
            .filter(|i| i.paid_on.is_some())
            .collect();
        paid.sort_by_key(|i| i.due_on);
        let lateness: Vec<i64> = paid
            .iter()
            .map(|i| i.days_late(today).unwrap_or(0))
            .collect();
        assert!(
            lateness.windows(2).rev().take(4).all(|w| w[1] > w[0]),
            "{label}: slipping: {lateness:?}"
        );
        assert!(
            harbor
                .orders
                .iter()
                .any(|o| o.status == OrderStatus::Delayed),
            "{label}"
        );
        assert_eq!(harbor.rebates.len(), 1, "{label}");
        // The late charge is one of the account's fees.
        let charge = overdue
            .iter()
            .find_map(|i| i.late_fee)
            .expect("the overdue invoice carries the charge");
        let profile = c.customer(harbor_id).await.expect("harbor profile");
        let fee = profile
            .outstanding_fees
            .iter()
            .find(|f| f.id == charge)
            .expect("the charge is owed");
        assert_eq!(
            fee.outstanding.minor_units, HARBOR_LATE_CHARGE_MINOR,
            "{label}"
        );

        // A person is not an organisation.
        let err = c
            .organisation(helen.id)
            .await
            .expect_err("not an organisation");
        assert!(
            err.to_string().contains("no organisation"),
            "{label}: {err}"
        );
    }
}

#[tokio::test]
async fn the_account_timeline_merges_every_contact_and_pages_without_gaps() {
    for db in TestDb::all() {
        let label = db.label;
        let srv = business_server(db);
        let c = srv.agent();
        let helen = helen(&c).await;
        let harbor = helen.acts_for[0].organisation_id;
        let all = c
            .account_timeline(
                harbor,
                &TimelineQuery {
                    limit: Some(500),
                    ..Default::default()
                },
            )
            .await
            .expect("whole account");
        assert!(all.next_before.is_none(), "{label}: one page holds it");
        let people: HashSet<CustomerId> = all.events.iter().map(|e| e.customer_id).collect();
        assert!(
            people.len() >= 5,
            "{label}: the account and its contacts: {people:?}"
        );
        let this_week: Vec<&str> = all
            .events
            .iter()
            .filter(|e| e.at > chrono::Utc::now() - chrono::Duration::days(7))
            .map(|e| e.summary.as_str())
            .collect();
        assert!(
            this_week.iter().any(|s| s.contains("Conveyor controller"))
                && this_week.iter().any(|s| s.contains("Chasing order")),
            "{label}: the engineer and the purchaser both called this week: {this_week:?}"
        );
        // Pages of 4: the same events, in the same order, none twice.
        let mut paged = Vec::new();
        let mut before = None;
        loop {
            let page = c
                .account_timeline(
                    harbor,
                    &TimelineQuery {
                        limit: Some(4),
                        before: before.clone(),
                        ..Default::default()
                    },
                )
                .await
                .expect("page");
            paged.extend(page.events.iter().map(|e| e.id));
            match page.next_before {
                Some(next) => before = Some(next),
                None => break,
            }
        }
        let whole: Vec<EventId> = all.events.iter().map(|e| e.id).collect();
        assert_eq!(paged, whole, "{label}");
        assert!(
            all.events.windows(2).all(|w| w[0].at >= w[1].at),
            "{label}: newest first"
        );

        // The agent ($50 limit) waives the $450 late charge at once: a key
        // account's tier gives them ten times their limit. The account's
        // timeline says so.
        let profile = c.customer(harbor).await.expect("harbor");
        let fee = profile.outstanding_fees[0].clone();
        let done = c
            .waive_fees(
                &key(),
                &NewFeeWaiver {
                    customer_id: harbor,
                    fees: vec![WaiverItem {
                        fee_id: fee.id,
                        amount: fee.outstanding,
                    }],
                    reason_code: "goodwill".into(),
                    note: "Our delivery was late, not their payment".into(),
                },
            )
            .await
            .expect("waive");
        assert_eq!(
            (done.body.status, done.body.message.as_str()),
            (WaiverStatus::Applied, "Waived $450.00."),
            "{label}"
        );
        let newest = c
            .account_timeline(
                harbor,
                &TimelineQuery {
                    limit: Some(1),
                    ..Default::default()
                },
            )
            .await
            .expect("newest");
        assert_eq!(
            newest.events[0].kind,
            EventKind::Waiver,
            "{label}: {:?}",
            newest.events
        );

        // Not an organisation: 404, naming the id.
        let err = c
            .account_timeline(helen.id, &TimelineQuery::default())
            .await
            .expect_err("not an organisation");
        assert!(
            err.to_string().contains("no organisation"),
            "{label}: {err}"
        );
    }
}

/// Each account signal of Harbor opens its action for its contacts; a
/// consumer and a managed account without those signals get none of them;
/// handing to the manager waits until they are free.
#[tokio::test]
async fn each_account_signal_opens_its_action() {
    const ACCOUNT_ACTIONS: [&str; 5] = [
        "technical_lead",
        "executive_call",
        "warn_overdue_invoices",
        "account_payment_plan",
        "start_renewal",
    ];
    for db in TestDb::all() {
        let label = db.label;
        let url = db.url.clone();
        let srv = business_server(db);
        let c = srv.agent();
        let helen = one_by_phone(&c, HELEN_PHONE).await;
        let d = explained(&c, helen.id).await;
        for action in ACCOUNT_ACTIONS {
            assert!(
                eligible(&d, action),
                "{label}: {action} for Harbor: {:?}",
                d.not_shown
            );
        }
        // The manager is offline: not handed to them.
        assert!(!eligible(&d, "route_to_kam"), "{label}");
        let profile = c.customer(helen.id).await.expect("helen");
        let manager = profile.acts_for[0]
            .key_account_manager
            .as_ref()
            .expect("manager")
            .agent_id;
        let system = switchboard::api::Client::new(
            &srv.base,
            &common::add_agent(&url, "Test ACD", "system", "0"),
        )
        .expect("client");
        system
            .set_agent_state(
                manager,
                &NewAgentState {
                    state: AgentState::Available,
                    reason: None,
                },
            )
            .await
            .expect("manager available");
        let d = explained(&c, helen.id).await;
        assert!(eligible(&d, "route_to_kam"), "{label}: {:?}", d.not_shown);
        let handed = d
            .suggestions
            .iter()
            .find(|s| s.action.as_str() == "route_to_kam");
        if let Some(s) = handed {
            assert!(
                s.reasons.iter().any(|r| r.contains("manager is free")),
                "{label}: {s:?}"
            );
        }

        // Sam, calling for Lakeside: no technical cases, renewal far off.
        let sam = one_by_phone(&c, SAM_PHONE).await;
        let lakeside = c.customer(sam.id).await.expect("sam").acts_for[1].organisation_id;
        let store = Store::open(&url).await.expect("store");
        store
            .choose_organisation(sam.id, lakeside)
            .await
            .expect("choose");
        store.close().await;
        let d = explained(&c, sam.id).await;
        for action in [
            "technical_lead",
            "executive_call",
            "start_renewal",
            "route_to_kam",
        ] {
            assert!(!eligible(&d, action), "{label}: {action} for Lakeside");
        }
        // A consumer: none of the account actions.
        let maria = explained(&c, switchboard::server::seed::fixtures::MARIA_ID).await;
        for action in ACCOUNT_ACTIONS.iter().chain(&["route_to_kam"]) {
            assert!(
                !eligible(&maria, action),
                "{label}: {action} for a consumer"
            );
        }
    }
}
