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

/// Logs a contact of `contact` calling for `organisation` (the chooser's
/// pick), its tone flagged or not.
async fn log_for(
    c: &switchboard::api::Client,
    contact: CustomerId,
    organisation: CustomerId,
    tone_flagged: bool,
) -> Result<InteractionCreated, switchboard::api::ClientError> {
    let mut log = NewInteraction::resolved(contact, "billing.late_fee", vec![]);
    log.acting_for = Some(organisation);
    log.tone_flagged = tone_flagged;
    c.log_interaction(&key(), &log).await.map(|w| w.body)
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

        // Sam acts for two: the older account first until he calls for one.
        let sam = one_by_phone(&c, SAM_PHONE).await;
        let names = |p: &Customer| -> Vec<String> {
            p.acts_for.iter().map(|a| a.organisation.clone()).collect()
        };
        let before = c.customer(sam.id).await.expect("sam");
        assert_eq!(names(&before), [HARBOR_NAME, LAKESIDE_NAME], "{label}");
        let lakeside = before.acts_for[1].organisation_id;
        let logged = log_for(&c, sam.id, lakeside, false).await.expect("log");
        assert_eq!(
            logged.organisation_id,
            Some(lakeside),
            "{label}: logged against the account he called for"
        );
        let after = c.customer(sam.id).await.expect("sam");
        assert_eq!(
            names(&after),
            [LAKESIDE_NAME, HARBOR_NAME],
            "{label}: last chosen first"
        );
        // The whole account shows the contact; the other does not.
        let on = |org: CustomerId| {
            let c = &c;
            async move {
                c.account_timeline(org, &TimelineQuery::default())
                    .await
                    .expect("account timeline")
                    .events
                    .iter()
                    .any(|e| e.customer_id == sam.id && e.kind == EventKind::Contact)
            }
        };
        assert!(on(lakeside).await, "{label}");
        assert!(!on(before.acts_for[0].organisation_id).await, "{label}");
        // Helen holds no role at Lakeside: refused, naming the field, and
        // nothing written.
        let err = log_for(&c, helen.id, lakeside, false)
            .await
            .expect_err("no role there");
        assert!(
            err.to_string().contains("holds no role at organisation"),
            "{label}: {err}"
        );
        let lakeside_events = c
            .account_timeline(lakeside, &TimelineQuery::default())
            .await
            .expect("account timeline")
            .events;
        assert!(
            lakeside_events.iter().all(|e| e.customer_id != helen.id),
            "{label}"
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
                    state: switchboard::domain::SettableState::Available,
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

        // The account's late charge is Helen's to ask about: the waiver is
        // offered from her screen, naming Harbor's charge.
        let harbor = c.customer(helen.id).await.expect("helen").acts_for[0].clone();
        assert!(
            eligible(&d, "waive_invoice_charge"),
            "{label}: {:?}",
            d.not_shown
        );
        if let Some(s) = d
            .suggestions
            .iter()
            .find(|s| s.action.as_str() == "waive_invoice_charge")
        {
            assert_eq!(
                s.parameters.get("account_id"),
                Some(&harbor.organisation_id.to_string()),
                "{label}"
            );
            assert_eq!(
                s.parameters.get("fee_id"),
                Some(&harbor.charges[0].id.to_string()),
                "{label}"
            );
        }
        // Two contacts flagged curt: the manager hears the account sounds
        // unhappy. Unflagged contacts do not count.
        assert!(!eligible(&d, "kam_tone_alert"), "{label}");
        log_for(&c, helen.id, harbor.organisation_id, true)
            .await
            .expect("log");
        log_for(&c, helen.id, harbor.organisation_id, false)
            .await
            .expect("log");
        assert!(
            !eligible(&explained(&c, helen.id).await, "kam_tone_alert"),
            "{label}: one flag"
        );
        log_for(&c, helen.id, harbor.organisation_id, true)
            .await
            .expect("log");
        let d = explained(&c, helen.id).await;
        assert!(eligible(&d, "kam_tone_alert"), "{label}: {:?}", d.not_shown);

        // Sam, calling for Lakeside: no technical cases, renewal far off.
        let sam = one_by_phone(&c, SAM_PHONE).await;
        let lakeside = c.customer(sam.id).await.expect("sam").acts_for[1].organisation_id;
        log_for(&c, sam.id, lakeside, false).await.expect("log");
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
        let more = ["route_to_kam", "waive_invoice_charge", "kam_tone_alert"];
        for action in ACCOUNT_ACTIONS.iter().chain(&more) {
            assert!(
                !eligible(&maria, action),
                "{label}: {action} for a consumer"
            );
        }
    }
}

/// A key account's contact waiting on a queue is a figure of its own on the
/// queue board (a consumer's call is not), and leaves it once answered.
#[tokio::test]
async fn key_account_callers_waiting_are_counted_apart() {
    for db in TestDb::all() {
        let label = db.label;
        let url = db.url.clone();
        let srv = business_server(db);
        let acd = switchboard::api::Client::new(
            &srv.base,
            &common::add_agent(&url, "Test ACD", "system", "0"),
        )
        .expect("client");
        let now = chrono::Utc::now();
        let offered = |call: &str, caller: &str| NewCallEvent {
            call_id: call.into(),
            kind: CallEventKind::Offered,
            queue: "premier".into(),
            caller: Some(caller.into()),
            agent_id: None,
            occurred_at: now,
            seq: 0,
        };
        let consumer = switchboard::server::seed::fixtures::PRIYA_PHONE;
        let helen = acd
            .post_call(&offered("ka-1", HELEN_PHONE))
            .await
            .expect("helen calls")
            .body;
        let priya = acd
            .post_call(&offered("c-1", consumer))
            .await
            .expect("priya calls")
            .body;
        // The ACD is told whom to offer the key account's call to first.
        let manager = srv
            .agent()
            .customer(helen.customer_id.expect("matched"))
            .await
            .expect("helen")
            .acts_for[0]
            .key_account_manager
            .as_ref()
            .map(|m| m.agent_id);
        assert!(manager.is_some(), "{label}");
        assert_eq!(helen.key_account_manager, manager, "{label}");
        assert_eq!(priya.key_account_manager, None, "{label}");
        let premier = |board: QueueBoard| {
            board
                .queues
                .into_iter()
                .find(|q| q.queue.code == "premier")
                .expect("premier queue")
        };
        let q = premier(srv.supervisor().queues().await.expect("board"));
        assert_eq!((q.waiting, q.key_account_waiting), (2, 1), "{label}");

        let agent = srv.agent().me().await.expect("me").id;
        acd.post_call(&NewCallEvent {
            kind: CallEventKind::Answered,
            agent_id: Some(agent),
            ..offered("ka-1", HELEN_PHONE)
        })
        .await
        .expect("answered");
        let q = premier(srv.supervisor().queues().await.expect("board"));
        assert_eq!((q.waiting, q.key_account_waiting), (1, 0), "{label}");
    }
}

/// The finance director calls about the late charge: the desk shows her
/// role and the account's overdue invoices, the agent ($50 limit) waives
/// Harbor's $450 charge from her screen within the key account's
/// authority, and the whole-account timeline shows it.
#[tokio::test]
async fn a_finance_director_has_the_accounts_late_charge_waived_from_the_desk() {
    const ESC: &str = "\u{1b}";
    const CTRL_S: &str = "\u{13}";
    const TAB: &str = "\t";
    let srv = business_server(TestDb::sqlite());
    let mut d = common::pty::Desk::agent_popping(&srv, HELEN_PHONE);
    d.wait_for("Finance at Harbor Industrial Supply");
    d.wait_for("Key account");
    d.wait_for_codes();

    d.send("o");
    d.wait_for("Overdue invoices (2)");
    d.wait_for("late-payment charge");
    d.send(ESC);
    d.wait_gone("Overdue invoices");

    d.send("w");
    d.wait_for("Waive fees · Harbor Industrial Supply");
    d.wait_for("(key account)");
    d.wait_for("within it");
    d.send(TAB);
    d.type_text("goodwill");
    d.send(CTRL_S);
    d.wait_for("This will be sent");
    d.wait_for("to Harbor Industrial");
    d.send("\r");
    d.wait_for("Waived $450.00");

    d.send("a");
    d.wait_for("Fee waiver of $450.00 applied");
    let c = srv.agent();
    let harbor = helen(&c).await.acts_for[0].clone();
    assert!(harbor.charges.is_empty(), "{:?}", harbor.charges);
    let audit = srv
        .supervisor()
        .audit(&AuditQuery {
            customer_id: Some(harbor.organisation_id),
            ..Default::default()
        })
        .await
        .expect("audit");
    assert!(
        audit.entries.iter().any(|e| e.action == "fee_waiver"),
        "{:?}",
        audit.entries
    );
}
