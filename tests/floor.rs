//! The live floor over the API, against a real `switchboard serve`: call events
//! and the queue figures they add up to (worked by hand below), duplicates and
//! out-of-order events, agent states and wrap-up, who may do what, the event
//! stream with resume, and the approval flow.

mod common;

use chrono::{DateTime, Duration, Timelike, Utc};
use common::{key, TestDb, TestServer};
use futures::{Stream, StreamExt};
use switchboard::api::*;
use switchboard::domain::*;

fn servers() -> Vec<TestServer> {
    TestDb::all().into_iter().map(TestServer::start).collect()
}

/// A client with a fresh `system` token (an ACD).
fn acd(srv: &TestServer) -> Client {
    let token = common::add_agent(&srv.db.url, "Test ACD", "system", "0");
    Client::new(&srv.base, &token).expect("client")
}

fn event(
    call: &str,
    kind: CallEventKind,
    at: DateTime<Utc>,
    agent: Option<AgentId>,
    caller: Option<&str>,
) -> NewCallEvent {
    NewCallEvent {
        call_id: call.into(),
        kind,
        queue: "billing".into(),
        caller: caller.map(str::to_string),
        agent_id: agent,
        occurred_at: at,
        seq: 0,
    }
}

async fn billing(c: &Client) -> QueueStats {
    c.queues()
        .await
        .expect("queues")
        .queues
        .into_iter()
        .find(|q| q.queue.code == "billing")
        .expect("billing queue")
}

async fn status_of(c: &Client, agent: AgentId) -> AgentStatus {
    c.agent_board()
        .await
        .expect("board")
        .agents
        .into_iter()
        .find(|a| a.agent_id == agent)
        .expect("agent on the board")
}

fn interaction(customer: CustomerId) -> NewInteraction {
    NewInteraction {
        customer_id: customer,
        channel: Channel::Voice,
        disposition_code: "billing.late_fee".into(),
        outcome: InteractionOutcome::Resolved,
        tags: vec![],
        notes: "explained the fee".into(),
        suggestion_outcomes: vec![],
        follow_up_at: None,
        acting_for: None,
        tone_flagged: false,
    }
}

#[tokio::test]
async fn scripted_calls_give_the_figures_worked_by_hand() {
    for srv in servers() {
        let acd = acd(&srv);
        let boss = srv.supervisor();
        let alex = srv.agent().me().await.expect("me").id;
        // A seeded simulated agent takes the other calls.
        let sim = boss.agent_board().await.expect("board").agents[0].agent_id;
        let t0 = Utc::now() - Duration::minutes(20);
        let s = |secs: i64| t0 + Duration::seconds(secs);
        // Billing's target is 80% within 30 s.
        let script = [
            // c1: waits 10 s, talks 120 s (Alex).
            event(
                "c1",
                CallEventKind::Offered,
                s(0),
                None,
                Some("+44 20 7946 0018"),
            ),
            event("c1", CallEventKind::Answered, s(10), Some(alex), None),
            event("c1", CallEventKind::Ended, s(130), Some(alex), None),
            // c2: waits 40 s (late), talks 100 s.
            event(
                "c2",
                CallEventKind::Offered,
                s(60),
                None,
                Some("not a number"),
            ),
            event("c2", CallEventKind::Answered, s(100), Some(sim), None),
            event("c2", CallEventKind::Ended, s(200), Some(sim), None),
            // c3: hangs up after 5 s (a short abandon).
            event("c3", CallEventKind::Offered, s(120), None, None),
            event("c3", CallEventKind::Abandoned, s(125), None, None),
            // c4: hangs up after 40 s (after the target).
            event("c4", CallEventKind::Offered, s(180), None, None),
            event("c4", CallEventKind::Abandoned, s(220), None, None),
            // c5: still waiting, since 50 s ago.
            event(
                "c5",
                CallEventKind::Offered,
                Utc::now() - Duration::seconds(50),
                None,
                None,
            ),
        ];
        let mut first = Vec::new();
        for e in &script {
            let w = acd.post_call(e).await.expect("call event");
            assert_eq!(w.status.as_u16(), 200);
            assert!(!w.replayed);
            first.push(w.body);
        }
        assert_eq!(first[0].caller.as_deref(), Some("+442079460018"));
        assert!(first[0].customer_id.is_some(), "Oliver Bennett's number");
        assert_eq!(first[3].caller.as_deref(), Some("not a number"));
        assert_eq!(first[3].customer_id, None);

        let q = billing(&boss).await;
        let w = &q.last_30_min;
        // Offered c1–c5; answered c1, c2; abandoned c3, c4.
        assert_eq!(
            (w.offered, w.answered, w.abandoned),
            (5, 2, 2),
            "{}",
            srv.db.label
        );
        // Within 30 s: c1. Abandoned after 30 s: c4. SL = 1 / (2 + 1) = 33.3%.
        assert_eq!((w.answered_within, w.abandoned_after), (1, 1));
        assert!((w.service_level_pct.expect("sl") - 100.0 / 3.0).abs() < 1e-9);
        // ASA = (10 + 40) / 2 = 25 s; abandon rate = 2 / 5 = 40%.
        assert_eq!(w.asa_s, Some(25.0));
        assert_eq!(w.abandon_rate_pct, Some(40.0));
        // Nobody has finished wrap-up yet, so no AHT.
        assert_eq!(w.aht_s, None);
        assert_eq!(q.waiting, 1);
        let longest = q.longest_wait_s.expect("a wait");
        assert!((49.0..70.0).contains(&longest), "{longest}");
        if Utc::now().hour() > 0 {
            assert_eq!(q.today.offered, 5, "everything was today");
        }
        assert_eq!(q.per_minute.offered.len(), 30);
        assert_eq!(q.per_minute.offered.iter().sum::<u32>(), 5);

        // Every event again, some with other times: accepted, nothing changes.
        for (i, e) in script.iter().enumerate() {
            let mut again = e.clone();
            again.occurred_at += Duration::seconds(3);
            let w = acd.post_call(&again).await.expect("duplicate");
            assert_eq!(w.status.as_u16(), 200);
            assert!(w.replayed, "duplicate {i} is marked");
            assert_eq!(w.body, first[i], "duplicate {i} answers the stored event");
        }
        assert_eq!(billing(&boss).await.last_30_min, q.last_30_min);

        // Out of order: c6 ends before its answer is reported.
        acd.post_call(&event("c6", CallEventKind::Offered, s(300), None, None))
            .await
            .expect("c6 offered");
        acd.post_call(&event("c6", CallEventKind::Ended, s(400), Some(sim), None))
            .await
            .expect("c6 ended");
        let mid = billing(&boss).await;
        // Not waiting, not (yet) answered: offered 6, answered 2, waiting 1.
        assert_eq!(
            (
                mid.last_30_min.offered,
                mid.last_30_min.answered,
                mid.waiting
            ),
            (6, 2, 1)
        );
        acd.post_call(&event(
            "c6",
            CallEventKind::Answered,
            s(310),
            Some(sim),
            None,
        ))
        .await
        .expect("c6 answered");
        let after = billing(&boss).await.last_30_min;
        // c6 waited 10 s: within. SL = 2 / (3 + 1) = 50%; ASA = (10 + 40 + 10) / 3 = 20 s.
        assert_eq!(
            (after.offered, after.answered, after.answered_within),
            (6, 3, 2)
        );
        assert_eq!(after.service_level_pct, Some(50.0));
        assert_eq!(after.asa_s, Some(20.0));

        // Alex ended c1 and is in wrap-up; logging the interaction ends it,
        // and c1's handle time (120 s talk + a moment of wrap-up) is the AHT.
        let board = status_of(&boss, alex).await;
        assert_eq!(board.state, AgentState::WrapUp);
        assert_eq!(board.call_id.as_deref(), Some("c1"));
        assert_eq!(board.customer_id, first[0].customer_id);
        srv.agent()
            .log_interaction(
                &key(),
                &interaction(first[0].customer_id.expect("customer")),
            )
            .await
            .expect("logged");
        assert_eq!(status_of(&boss, alex).await.state, AgentState::Available);
        let aht = billing(&boss).await.last_30_min.aht_s.expect("aht");
        assert!((120.0..125.0).contains(&aht), "{aht}");
    }
}

#[tokio::test]
async fn agent_states_follow_the_desk_and_the_calls() {
    for srv in servers() {
        let acd = acd(&srv);
        let boss = srv.supervisor();
        let desk = srv.agent();
        let alex = desk.me().await.expect("me").id;
        assert_eq!(status_of(&boss, alex).await.state, AgentState::Offline);
        let lunch = desk
            .set_state(&NewAgentState {
                state: SettableState::NotReady,
                reason: Some("lunch".into()),
            })
            .await
            .expect("not ready");
        assert_eq!(
            (lunch.state, lunch.reason.as_deref()),
            (AgentState::NotReady, Some("lunch"))
        );
        let refdata = desk.refdata().await.expect("refdata");
        let reasons: Vec<_> = refdata
            .not_ready_reasons
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(
            reasons,
            ["break", "lunch", "training", "meeting", "coaching"]
        );
        for (state, reason, field) in [
            (SettableState::NotReady, Some("nap"), "reason"),
            (SettableState::NotReady, None, "reason"),
            (SettableState::Available, Some("lunch"), "reason"),
        ] {
            let e = desk
                .set_state(&NewAgentState {
                    state,
                    reason: reason.map(str::to_string),
                })
                .await
                .expect_err("refused");
            match e {
                ClientError::Api { status, body } => {
                    assert_eq!((status.as_u16(), body.field.as_deref()), (422, Some(field)));
                }
                other => panic!("{other}"),
            }
        }
        desk.set_state(&NewAgentState {
            state: SettableState::Available,
            reason: None,
        })
        .await
        .expect("available");
        let now = Utc::now();
        acd.post_call(&event(
            "s1",
            CallEventKind::Offered,
            now,
            Some(alex),
            Some("+14155550134"),
        ))
        .await
        .expect("offered");
        assert_eq!(status_of(&boss, alex).await.state, AgentState::Available);
        acd.post_call(&event("s1", CallEventKind::Answered, now, Some(alex), None))
            .await
            .expect("answered");
        let on = status_of(&boss, alex).await;
        assert_eq!(on.state, AgentState::OnContact);
        assert_eq!(
            (on.queue.as_deref(), on.call_id.as_deref()),
            (Some("billing"), Some("s1"))
        );
        assert_eq!(
            on.customer_id, None,
            "a household number matches two customers"
        );
        // `ended` without an agent still ends the agent's call.
        acd.post_call(&event("s1", CallEventKind::Ended, now, None, None))
            .await
            .expect("ended");
        assert_eq!(status_of(&boss, alex).await.state, AgentState::WrapUp);
        let board = boss.queues().await.expect("queues");
        assert_eq!(board.agents.wrap_up, 1);
        let agents = boss.agent_board().await.expect("board");
        assert_eq!(agents.wrap_up_limit_s, 120, "the server's default");
        // A number that is one customer's: the board names them.
        acd.post_call(&event(
            "s2",
            CallEventKind::Offered,
            now,
            Some(alex),
            Some("+12125550199"),
        ))
        .await
        .expect("offered");
        acd.post_call(&event("s2", CallEventKind::Answered, now, Some(alex), None))
            .await
            .expect("answered");
        let on = status_of(&boss, alex).await;
        assert_eq!(on.state, AgentState::OnContact);
        assert_eq!(on.customer_name.as_deref(), Some("Dana Whitfield"));
        assert!(on.customer_id.is_some());
    }
}

#[tokio::test]
async fn agents_may_not_report_calls_or_see_the_boards() {
    let srv = TestServer::start(TestDb::sqlite());
    let desk = srv.agent();
    let forbidden = |r: Result<(), ClientError>| match r {
        Err(ClientError::Api { status, body }) => {
            assert_eq!((status.as_u16(), body.code), (403, ErrorCode::Forbidden))
        }
        other => panic!("{other:?}"),
    };
    let e = event("x", CallEventKind::Offered, Utc::now(), None, None);
    forbidden(desk.post_call(&e).await.map(|_| ()));
    forbidden(desk.queues().await.map(|_| ()));
    forbidden(desk.agent_board().await.map(|_| ()));
    forbidden(desk.approvals().await.map(|_| ()));
    forbidden(
        desk.staffing("billing", &StaffingQuery::default())
            .await
            .map(|_| ()),
    );
    let decision = NewDecision {
        decision: Decision::Approve,
        note: String::new(),
    };
    forbidden(
        desk.decide(&key(), ApprovalKind::FeeWaiver, 1, &decision)
            .await
            .map(|_| ()),
    );
    // Supervisors may report calls (a manual correction); the ACD too.
    let w = srv.supervisor().post_call(&e).await.expect("supervisor");
    assert_eq!(w.status.as_u16(), 200);
}

#[tokio::test]
async fn staffing_matches_the_published_erlang_c_example() {
    let srv = TestServer::start(TestDb::sqlite());
    let boss = srv.supervisor();
    // Call Centre Helper's worked example: 100 calls / 30 min, AHT 180 s, 80/20.
    let query = StaffingQuery {
        calls_per_interval: Some(100.0),
        interval_s: Some(1800),
        aht_s: Some(180.0),
        target_pct: Some(80.0),
        target_s: Some(20),
        agents: Some(14),
        patience_s: None,
    };
    let s = boss.staffing("billing", &query).await.expect("staffing");
    assert_eq!(s.agents_needed, Some(14));
    assert_eq!(s.erlang_a, None, "no patience given and none known yet");
    assert!((s.traffic_erlangs - 10.0).abs() < 1e-9);
    assert!((s.predicted_service_level_pct - 88.84).abs() < 0.05);
    assert!((s.predicted_asa_s.expect("asa") - 7.84).abs() < 0.05);
    // Defaults from the queue: no calls yet, so no agents needed.
    let live = boss
        .staffing("billing", &StaffingQuery::default())
        .await
        .expect("live");
    assert_eq!(
        (live.agents_needed, live.target_pct, live.target_s),
        (Some(0), 80.0, 30)
    );
    // Too few agents: an answer, not an error.
    let short = boss
        .staffing(
            "billing",
            &StaffingQuery {
                agents: Some(9),
                ..query
            },
        )
        .await
        .expect("short");
    assert_eq!(
        (short.predicted_service_level_pct, short.predicted_asa_s),
        (0.0, None)
    );
    // Callers who hang up after a minute on average: Erlang A answers for
    // 9 agents too, and needs fewer than Erlang C's 14.
    let impatient = boss
        .staffing(
            "billing",
            &StaffingQuery {
                agents: Some(9),
                patience_s: Some(60.0),
                ..query
            },
        )
        .await
        .expect("erlang a");
    let a = impatient
        .erlang_a
        .clone()
        .expect("erlang a with a patience");
    assert!(a.agents_needed.is_some_and(|n| n < 14), "{a:?}");
    assert!(
        a.predicted_abandon_pct > 5.0 && a.predicted_service_level_pct > 50.0,
        "{a:?}"
    );
    assert_eq!(impatient.advised_agents(), a.agents_needed);
    let bad = boss
        .staffing(
            "billing",
            &StaffingQuery {
                patience_s: Some(0.0),
                ..query
            },
        )
        .await;
    assert!(
        matches!(&bad, Err(e) if e.to_string().contains("patience_s")),
        "{bad:?}"
    );
    let board = boss.queues().await.expect("queues");
    assert_eq!(board.queues.len(), 5);
    assert!(board.queues.iter().all(|q| q.staffing.interval_s == 1800));
}

/// The next event, or a panic after `secs` seconds.
/// Dana Whitfield (the fixture the `+12125550199` line finds) and her
/// outstanding fee above `above` minor units.
async fn dana_and_a_fee_above(desk: &Client, above: i64) -> (Customer, Fee) {
    let found = desk
        .lookup(&LookupQuery {
            phone: Some("+12125550199".into()),
            ..Default::default()
        })
        .await
        .expect("lookup");
    let customer = desk.customer(found.matches[0].id).await.expect("customer");
    let fee = customer
        .outstanding_fees
        .iter()
        .find(|f| f.outstanding.minor_units > above)
        .unwrap_or_else(|| panic!("a fee above {above}"))
        .clone();
    (customer, fee)
}

/// Asserts `answer` is a 422 refusal whose message contains `says`.
fn refused_saying<T: std::fmt::Debug>(answer: Result<T, ClientError>, says: &str) {
    match answer {
        Err(ClientError::Api { status, body }) => {
            assert_eq!(status.as_u16(), 422, "{}", body.message);
            assert!(body.message.contains(says), "{}", body.message);
        }
        other => panic!("expected a refusal saying {says:?}: {other:?}"),
    }
}

async fn next<S>(stream: &mut S, secs: u64) -> (u64, FloorEvent)
where
    S: Stream<Item = Result<(u64, FloorEvent), ClientError>> + Unpin,
{
    tokio::time::timeout(std::time::Duration::from_secs(secs), stream.next())
        .await
        .expect("an event in time")
        .expect("the stream is open")
        .expect("a well-formed event")
}

/// Reads agent-state events until `count` arrived; returns their reasons and
/// the last id seen, checking ids only grow.
async fn reasons<S>(stream: &mut S, count: usize, mut last: u64) -> (Vec<String>, u64)
where
    S: Stream<Item = Result<(u64, FloorEvent), ClientError>> + Unpin,
{
    let mut got = Vec::new();
    while got.len() < count {
        let (id, event) = next(stream, 10).await;
        assert!(id > last, "ids grow: {id} after {last}");
        last = id;
        if let FloorEvent::AgentState(s) = event {
            got.push(s.reason.unwrap_or_default());
        }
    }
    (got, last)
}

#[tokio::test]
async fn the_event_stream_resumes_without_loss_or_duplication() {
    for srv in servers() {
        let boss = srv.supervisor();
        let desk = srv.agent();
        let mut pops = Box::pin(desk.events(None).await.expect("agent stream"));
        let mut stream = Box::pin(boss.events(None).await.expect("stream"));
        let cycle = ["break", "lunch", "training", "meeting", "coaching"];
        let set = |i: usize| NewAgentState {
            state: SettableState::NotReady,
            reason: Some(cycle[i % cycle.len()].to_string()),
        };
        for i in 0..5 {
            desk.set_state(&set(i)).await.expect("state");
        }
        let (seen, last) = reasons(&mut stream, 5, 0).await;
        assert_eq!(seen, cycle);
        drop(stream);
        // While disconnected: 7 more changes.
        for i in 5..12 {
            desk.set_state(&set(i)).await.expect("state");
        }
        let mut resumed = Box::pin(boss.events(Some(last)).await.expect("resume"));
        let (again, _) = reasons(&mut resumed, 7, last).await;
        let expected: Vec<_> = (5..12)
            .map(|i| cycle[i % cycle.len()].to_string())
            .collect();
        assert_eq!(
            again, expected,
            "none missed, none repeated ({})",
            srv.db.label
        );

        // The agent's own stream carries the pop and its own state, not the
        // supervisors' events.
        let acd = acd(&srv);
        let alex = desk.me().await.expect("me").id;
        let offered = event(
            "p1",
            CallEventKind::Offered,
            Utc::now(),
            Some(alex),
            Some("020 7946 0018"),
        );
        acd.post_call(&NewCallEvent {
            caller: Some("+44 20 7946 0018".into()),
            ..offered
        })
        .await
        .expect("offered");
        // Its own state changes come too (the desk shows them), nothing else.
        loop {
            match next(&mut pops, 10).await.1 {
                FloorEvent::ContactOffered(pop) => {
                    assert_eq!(pop.call_id, "p1");
                    assert!(pop.customer_id.is_some());
                    break;
                }
                FloorEvent::AgentState(own) if own.agent_id == alex => {}
                other => panic!("the agent saw {other:?}"),
            }
        }
        // An id from before the ring (or another run) asks the client to resync.
        let mut stale = Box::pin(boss.events(Some(1_000_000)).await.expect("stale"));
        assert!(matches!(
            next(&mut stale, 10).await.1,
            FloorEvent::Resync(_)
        ));
    }
}

/// A waiver of several fees above the agent's limit is one approval with
/// its fees listed, and approving it waives every fee at once; a second
/// decision is refused. On SQLite and PostgreSQL.
#[tokio::test]
async fn a_request_for_several_fees_is_one_approval_decided_as_a_whole() {
    for srv in servers() {
        let desk = srv.agent();
        let boss = srv.supervisor();
        let mut customer = None;
        for id in 1..=60 {
            let c = desk.customer(CustomerId(id)).await.expect("customer");
            let total: i64 = c
                .outstanding_fees
                .iter()
                .take(2)
                .map(|f| f.outstanding.minor_units)
                .sum();
            if c.outstanding_fees.len() >= 2 && total > 5_000 {
                customer = Some(c);
                break;
            }
        }
        let customer = customer.expect("a customer owing two fees above $50 in all");
        let fees: Vec<WaiverItem> = customer.outstanding_fees[..2]
            .iter()
            .map(|f| WaiverItem {
                fee_id: f.id,
                amount: f.outstanding,
            })
            .collect();
        let total = Money::sum(fees.iter().map(|f| f.amount)).expect("one currency");
        let asked = desk
            .waive_fees(
                &key(),
                &NewFeeWaiver {
                    customer_id: customer.id,
                    fees: fees.clone(),
                    reason_code: "goodwill".into(),
                    note: "both fees, one request".into(),
                },
            )
            .await
            .expect("asked");
        assert_eq!(asked.body.status, WaiverStatus::PendingApproval);
        let request = asked.body.waivers[0].id.0;
        let mine: Vec<Approval> = boss
            .approvals()
            .await
            .expect("approvals")
            .approvals
            .into_iter()
            .filter(|a| a.kind == ApprovalKind::FeeWaiver && a.customer_id == customer.id)
            .collect();
        assert_eq!(mine.len(), 1, "one approval for the request: {mine:?}");
        assert_eq!(mine[0].id, request);
        assert_eq!(mine[0].amount, Some(total));
        assert_eq!(mine[0].fees, fees);
        let approve = NewDecision {
            decision: Decision::Approve,
            note: "both".into(),
        };
        // Approved by a supervisor whose own limit is in the fees' currency
        // (Sam's is in dollars: never compared across currencies).
        let currency = total.currency;
        if currency != Currency::USD {
            refused_saying(
                boss.decide(&key(), ApprovalKind::FeeWaiver, request, &approve)
                    .await,
                &format!("a supervisor with a limit in {currency}"),
            );
        }
        let token = common::add_agent_in(
            &srv.db.url,
            "Eva Lind",
            "supervisor",
            "5000",
            currency.as_str(),
        );
        let eva = Client::new(&srv.base, &token).expect("client");
        let decided = eva
            .decide(&key(), ApprovalKind::FeeWaiver, request, &approve)
            .await
            .expect("approved");
        assert_eq!(decided.status.as_u16(), 200);
        assert!(
            decided.body.message.contains("(2 fees)"),
            "{}",
            decided.body.message
        );
        let after = desk.customer(customer.id).await.expect("customer");
        for f in &fees {
            assert!(
                after.outstanding_fees.iter().all(|o| o.id != f.fee_id),
                "fee {} waived",
                f.fee_id
            );
        }
        assert_eq!(
            after.balance.minor_units,
            customer.balance.minor_units - total.minor_units
        );
        assert!(boss
            .approvals()
            .await
            .expect("approvals")
            .approvals
            .iter()
            .all(|a| a.customer_id != customer.id || a.kind != ApprovalKind::FeeWaiver));
        let deny = NewDecision {
            decision: Decision::Deny,
            note: "changed my mind".into(),
        };
        refused_saying(
            boss.decide(&key(), ApprovalKind::FeeWaiver, request, &deny)
                .await,
            "already approved",
        );
    }
}

#[tokio::test]
async fn a_waiver_over_the_limit_is_approved_and_the_agent_hears_of_it() {
    for srv in servers() {
        let desk = srv.agent();
        let boss = srv.supervisor();
        let mut events = Box::pin(desk.events(None).await.expect("stream"));
        let mut boss_events = Box::pin(boss.events(None).await.expect("stream"));
        let (customer, fee) = dana_and_a_fee_above(&desk, 5000).await;
        let asked = desk
            .waive_fees(
                &key(),
                &NewFeeWaiver {
                    customer_id: customer.id,
                    fees: vec![WaiverItem {
                        fee_id: fee.id,
                        amount: fee.outstanding,
                    }],
                    reason_code: "goodwill".into(),
                    note: "long-standing customer".into(),
                },
            )
            .await
            .expect("asked");
        assert_eq!(asked.body.status, WaiverStatus::PendingApproval);
        let waiver = asked.body.waivers[0].id.0;
        let pending = boss.approvals().await.expect("approvals").approvals;
        let item = pending
            .iter()
            .find(|a| a.kind == ApprovalKind::FeeWaiver && a.id == waiver)
            .expect("listed");
        assert_eq!(item.customer_id, customer.id);
        assert_eq!(item.customer_name, customer.name);
        assert_eq!(item.agent_name, "Alex Agent");
        assert_eq!(item.amount, Some(fee.outstanding));
        assert_eq!(item.note, "long-standing customer");
        // The customer's context, for weighing the decision.
        let context = item.context.clone();
        assert_eq!(context.segment, customer.segment);
        assert_eq!(context.lifetime_value, customer.lifetime_value);
        assert_eq!(context.customer_since, customer.customer_since);
        assert_eq!(context.churn_risk, customer.churn_risk);
        loop {
            if let (_, FloorEvent::ApprovalRequested(a)) = next(&mut boss_events, 10).await {
                assert_eq!(a.id, waiver);
                break;
            }
        }
        let decision = NewDecision {
            decision: Decision::Approve,
            note: "fine this once".into(),
        };
        let approve_key = key();
        let decided = boss
            .decide(&approve_key, ApprovalKind::FeeWaiver, waiver, &decision)
            .await
            .expect("approved");
        assert_eq!(decided.status.as_u16(), 200);
        let (_, event) = next(&mut events, 10).await;
        match event {
            FloorEvent::ApprovalDecided(d) => {
                assert_eq!((d.id, d.decision), (waiver, Decision::Approve));
                assert_eq!(d.note, "fine this once");
            }
            other => panic!("{other:?}"),
        }
        let after = desk.customer(customer.id).await.expect("customer");
        assert!(
            after.outstanding_fees.iter().all(|f| f.id != fee.id),
            "fee waived"
        );
        assert_eq!(
            after.balance.minor_units,
            customer.balance.minor_units - fee.outstanding.minor_units
        );
        // The same request again replays; a second decision is refused.
        let replay = boss
            .decide(&approve_key, ApprovalKind::FeeWaiver, waiver, &decision)
            .await
            .expect("replay");
        assert!(replay.replayed);
        let deny = NewDecision {
            decision: Decision::Deny,
            note: String::new(),
        };
        refused_saying(
            boss.decide(&key(), ApprovalKind::FeeWaiver, waiver, &deny)
                .await,
            "already approved by Sam",
        );
        assert!(boss
            .approvals()
            .await
            .expect("approvals")
            .approvals
            .iter()
            .all(|a| a.id != waiver || a.kind != ApprovalKind::FeeWaiver));
        // The approved waiver now counts in the customer's context.
        let refdata = desk.refdata().await.expect("refdata");
        let escalated = desk
            .escalate(
                &key(),
                &NewEscalation {
                    customer_id: customer.id,
                    channel: Channel::Voice,
                    target_code: refdata.escalation_targets[0].code.clone(),
                    priority: Priority::High,
                    reason_code: refdata.escalation_reasons[0].code.clone(),
                    summary: "asks for a manager".into(),
                },
            )
            .await
            .expect("escalated");
        let pending = boss.approvals().await.expect("approvals").approvals;
        let item = pending
            .iter()
            .find(|a| a.kind == ApprovalKind::Escalation && a.id == escalated.body.id.0)
            .expect("the escalation waits");
        assert_eq!(
            item.context.waivers_last_year,
            context.waivers_last_year + 1
        );
    }
}

/// Authority adds up: fifteen $50 waivers no longer beat a $50 limit. The
/// agent waives $30 of a $750 fee; the next $30 of it, for the same
/// customer within 30 days, goes to a supervisor and says why. On SQLite and
/// PostgreSQL.
#[tokio::test]
async fn splitting_a_waiver_goes_to_a_supervisor() {
    for srv in servers() {
        let desk = srv.agent();
        let (customer, fee) = dana_and_a_fee_above(&desk, 6_000).await;
        let part = |note: &str| NewFeeWaiver {
            customer_id: customer.id,
            fees: vec![WaiverItem {
                fee_id: fee.id,
                amount: Money::new(3_000, fee.outstanding.currency),
            }],
            reason_code: "goodwill".into(),
            note: note.into(),
        };
        let first = desk
            .waive_fees(&key(), &part("first part"))
            .await
            .expect("first");
        assert_eq!(first.body.status, WaiverStatus::Applied);
        let second = desk
            .waive_fees(&key(), &part("second part"))
            .await
            .expect("second");
        assert_eq!(second.status.as_u16(), 202);
        assert_eq!(second.body.status, WaiverStatus::PendingApproval);
        assert!(
            second
                .body
                .message
                .contains("with the $30.00 you waived for this customer in the last 30 days"),
            "{}",
            second.body.message
        );
    }
}

/// Many small waivers in an hour go to a supervisor however small: with
/// `--waivers-per-hour 1`, the second waits.
#[tokio::test]
async fn the_second_waiver_in_an_hour_waits_when_one_is_the_most() {
    let srv = TestServer::start_with(TestDb::sqlite(), &["--waivers-per-hour", "1"]);
    let desk = srv.agent();
    let mut fees = Vec::new();
    for id in 1..=60 {
        let c = desk.customer(CustomerId(id)).await.expect("customer");
        if c.balance.currency != Currency::USD {
            continue;
        }
        fees.extend(c.outstanding_fees.iter().map(|f| (c.id, f.id)));
    }
    assert!(fees.len() >= 2, "two dollar fees to waive");
    let small = |(customer, fee): (CustomerId, FeeId)| NewFeeWaiver {
        customer_id: customer,
        fees: vec![WaiverItem {
            fee_id: fee,
            amount: Money::new(100, Currency::USD),
        }],
        reason_code: "goodwill".into(),
        note: String::new(),
    };
    let first = desk
        .waive_fees(&key(), &small(fees[0]))
        .await
        .expect("first");
    assert_eq!(first.body.status, WaiverStatus::Applied);
    let last = fees[fees.len() - 1];
    let second = desk.waive_fees(&key(), &small(last)).await.expect("second");
    assert_eq!(second.body.status, WaiverStatus::PendingApproval);
    assert!(
        second.body.message.contains("1 waivers in the last hour"),
        "{}",
        second.body.message
    );
}

/// Four eyes: a supervisor who asked for something never decides it,
/// approving or denying, an escalation or a waiver; another supervisor
/// does. On SQLite and PostgreSQL.
#[tokio::test]
async fn the_one_who_asked_never_decides() {
    for srv in servers() {
        let boss = srv.supervisor();
        let refdata = boss.refdata().await.expect("refdata");
        let escalated = boss
            .escalate(
                &key(),
                &NewEscalation {
                    customer_id: CustomerId(1),
                    channel: Channel::Voice,
                    target_code: refdata.escalation_targets[0].code.clone(),
                    priority: Priority::High,
                    reason_code: refdata.escalation_reasons[0].code.clone(),
                    summary: "escalated by the supervisor on the call".into(),
                },
            )
            .await
            .expect("escalated");
        let id = escalated.body.id.0;
        for decision in [Decision::Approve, Decision::Deny] {
            let asked = NewDecision {
                decision,
                note: "my own".into(),
            };
            refused_saying(
                boss.decide(&key(), ApprovalKind::Escalation, id, &asked)
                    .await,
                "(four eyes)",
            );
        }
        let other = common::add_agent(&srv.db.url, "Eva Lind", "supervisor", "5000");
        let eva = Client::new(&srv.base, &other).expect("client");
        let approve = NewDecision {
            decision: Decision::Approve,
            note: "handled".into(),
        };
        let decided = eva
            .decide(&key(), ApprovalKind::Escalation, id, &approve)
            .await
            .expect("another supervisor decides");
        assert_eq!(decided.status.as_u16(), 200);
    }
}

#[tokio::test]
async fn the_simulator_keeps_a_floor_busy() {
    use switchboard::sim::calls::{self as simulator, SimOptions};
    let srv = TestServer::start(TestDb::sqlite());
    let callers = srv.sim_callers().await;
    assert!(callers.len() >= 50, "{} numbers", callers.len());
    let options = SimOptions {
        speed: 200.0,
        seed: 5,
        agents: None,
        warm_up: false,
        start_hour: None,
        callers,
    };
    // What is tested: how busy 4 s of simulation (about 13 minutes of floor
    // at speed 200) keeps the floor; the run's length is the test's own.
    let stop = tokio::time::sleep(std::time::Duration::from_secs(4));
    simulator::run(acd(&srv), options, stop)
        .await
        .expect("simulator");
    let board = srv.supervisor().queues().await.expect("queues");
    let offered: u32 = board.queues.iter().map(|q| q.today.offered).sum();
    let answered: u32 = board.queues.iter().map(|q| q.today.answered).sum();
    assert!(offered >= 5, "{offered} calls offered");
    assert!(answered >= 1, "{answered} calls answered");
    let agents = srv.supervisor().agent_board().await.expect("board").agents;
    let simulated = agents.iter().filter(|a| a.simulated).count();
    assert_eq!(simulated, 12);
    assert!(agents
        .iter()
        .filter(|a| a.simulated)
        .all(|a| a.state != AgentState::Offline));
    let matched = agents.iter().filter(|a| a.customer_id.is_some()).count();
    let busy = agents
        .iter()
        .filter(|a| a.state == AgentState::OnContact)
        .count();
    assert!(
        busy == 0 || matched > 0,
        "callers are mostly seeded customers"
    );
}

#[tokio::test]
async fn a_warm_up_plays_the_last_half_hour_so_the_boards_start_with_figures() {
    use switchboard::sim::calls::{self as simulator, SimOptions};
    let srv = TestServer::start(TestDb::sqlite());
    // The half hour before 11:00, near the morning peak: about 80 calls.
    let options = SimOptions {
        speed: 1.0,
        seed: 7,
        agents: None,
        warm_up: true,
        start_hour: Some(11.0),
        callers: vec![],
    };
    // The warm-up runs before the live loop, which then stops at once.
    simulator::run(acd(&srv), options, async {})
        .await
        .expect("simulator");
    let board = srv.supervisor().queues().await.expect("queues");
    let offered: u32 = board.queues.iter().map(|q| q.last_30_min.offered).sum();
    let answered: u32 = board.queues.iter().map(|q| q.last_30_min.answered).sum();
    assert!(offered >= 40, "{offered} calls in the last 30 minutes");
    assert!(answered >= 1, "{answered} answered");
    let minutes = (0..30)
        .filter(|m| board.queues.iter().any(|q| q.per_minute.offered[*m] > 0))
        .count();
    assert!(minutes >= 3, "spread over the half hour: {minutes} minutes");
    // (The last 30 minutes, not today: today may have begun a minute ago.)
    assert!(
        board.queues.iter().any(|q| q.last_30_min.aht_s.is_some()),
        "finished calls give an AHT"
    );
    assert!(
        board.queues.iter().any(|q| q.last_30_min.asa_s.is_some()),
        "answered calls give an ASA"
    );
}
