//! The /v1 API through the project's own client, against a real `switchboard
//! serve` on loopback, on SQLite and (when enabled) PostgreSQL.

mod common;

use common::{key, TestDb, TestServer};
use std::collections::HashSet;
use switchboard::api::*;
use switchboard::domain::*;

fn servers() -> Vec<TestServer> {
    TestDb::all().into_iter().map(TestServer::start).collect()
}

async fn lookup_phone(c: &Client, phone: &str) -> LookupResult {
    c.lookup(&LookupQuery {
        phone: Some(phone.into()),
        ..Default::default()
    })
    .await
    .unwrap_or_else(|e| panic!("lookup {phone}: {e}"))
}

async fn customer_by_phone(c: &Client, phone: &str) -> Customer {
    let found = lookup_phone(c, phone).await;
    let id = found.matches.first().expect("a match").id;
    c.customer(id).await.expect("customer")
}

#[tokio::test]
async fn differently_written_phones_emails_and_accounts_find_the_same_customers() {
    for srv in servers() {
        let c = srv.agent();
        let mut households = Vec::new();
        for written in [
            "+1 (415) 555-0134",
            "415.555.0134",
            "(415) 555 0134",
            "0014155550134",
        ] {
            let found = lookup_phone(&c, written).await;
            assert_eq!(found.normalized, "+14155550134", "{}", srv.db.label);
            let mut names: Vec<_> = found.matches.iter().map(|m| m.name.clone()).collect();
            names.sort();
            households.push(names);
        }
        assert_eq!(
            households[0],
            ["Maria Gonzalez", "Robert Gonzalez"],
            "{}",
            srv.db.label
        );
        assert!(households.iter().all(|h| h == &households[0]));
        for written in [
            "0044 20 7946 0018",
            "+44 (0)20 7946 0018",
            "011 44 20 7946 0018",
        ] {
            let found = lookup_phone(&c, written).await;
            assert_eq!(found.matches.len(), 1, "{written}");
            assert_eq!(found.matches[0].name, "Oliver Bennett");
        }
        let by_email = c
            .lookup(&LookupQuery {
                email: Some(" OLIVER.bennett @example.CO.UK ".into()),
                ..Default::default()
            })
            .await
            .expect("email lookup");
        assert_eq!(by_email.matches[0].name, "Oliver Bennett");
        let by_account = c
            .lookup(&LookupQuery {
                account: Some("ac-00000001".into()),
                ..Default::default()
            })
            .await
            .expect("account lookup");
        assert_eq!(by_account.matches[0].name, "Maria Gonzalez");
        let nobody = lookup_phone(&c, "+1 999 555 0000").await;
        assert!(nobody.matches.is_empty());
    }
}

#[tokio::test]
async fn search_ranks_exact_identity_matches_first_then_names() {
    for srv in servers() {
        let c = srv.agent();
        let hits = c.search("415 555 0134", 10).await.expect("search").hits;
        assert!(hits.len() >= 2);
        assert!(hits[..2]
            .iter()
            .all(|h| h.exact && h.matched_on == MatchedOn::Phone));
        let hits = c.search("maria gonz", 10).await.expect("search").hits;
        assert_eq!(hits[0].customer.name, "Maria Gonzalez");
        assert_eq!(hits[0].matched_on, MatchedOn::Name);
        let hits = c.search("AC00000001", 10).await.expect("search").hits;
        assert!(hits[0].exact && hits[0].customer.name == "Maria Gonzalez");
        let hits = c.search("王秀英", 10).await.expect("search").hits;
        assert_eq!(hits[0].customer.name, "王秀英", "{}", srv.db.label);
        let hits = c
            .search("oliver.bennett@example.co.uk", 10)
            .await
            .expect("search")
            .hits;
        assert_eq!(hits[0].matched_on, MatchedOn::Email);
    }
}

/// Pages through a timeline and returns every event id, checking order.
async fn page_all(c: &Client, id: CustomerId, limit: u32, channel: Option<Channel>) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut before = None;
    let mut last: Option<(i64, i64)> = None;
    loop {
        let page = c
            .timeline(
                id,
                &TimelineQuery {
                    before: before.clone(),
                    limit: Some(limit),
                    channel,
                    kind: None,
                },
            )
            .await
            .expect("page");
        for e in &page.events {
            let pos = (e.at.timestamp_millis(), e.id.0);
            assert!(
                last.is_none_or(|l| pos < l),
                "not newest first: {pos:?} after {last:?}"
            );
            last = Some(pos);
            if let Some(ch) = channel {
                assert_eq!(e.channel, ch);
            }
            seen.push(e.id.0);
        }
        match page.next_before {
            Some(next) => before = Some(next),
            None => return seen,
        }
    }
}

#[tokio::test]
async fn timeline_paging_visits_every_event_exactly_once() {
    for srv in servers() {
        let c = srv.agent();
        let heavy = c.search("Priya Raman", 1).await.expect("search").hits[0]
            .customer
            .id;
        let all = page_all(&c, heavy, 37, None).await;
        assert_eq!(all.len(), 2000, "{}", srv.db.label);
        assert_eq!(
            all.iter().collect::<HashSet<_>>().len(),
            all.len(),
            "repeated event"
        );
        // Every channel's pages together are exactly the whole timeline.
        let mut by_channel = Vec::new();
        for ch in Channel::ALL {
            by_channel.extend(page_all(&c, heavy, 113, Some(*ch)).await);
        }
        by_channel.sort_unstable();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        assert_eq!(by_channel, sorted);
    }
}

fn interaction(customer: CustomerId, notes: &str) -> NewInteraction {
    NewInteraction {
        customer_id: customer,
        channel: Channel::Voice,
        disposition_code: "billing.late_fee".into(),
        outcome: InteractionOutcome::Resolved,
        tags: vec!["fees".into()],
        notes: notes.into(),
        suggestion_outcomes: vec![SuggestionOutcome {
            action: ActionCode::new("waive_late_fee"),
            verdict: SuggestionVerdict::Declined,
            decision_id: None,
        }],
        follow_up_at: None,
        acting_for: None,
        tone_flagged: false,
    }
}

async fn audit_count(srv: &TestServer, customer: CustomerId, action: &str) -> usize {
    srv.supervisor()
        .audit(&AuditQuery {
            customer_id: Some(customer),
            limit: Some(500),
            kind: None,
        })
        .await
        .expect("audit")
        .entries
        .iter()
        .filter(|e| e.action == action)
        .count()
}

/// Posts a JSON body with an idempotency key; returns status, body and whether
/// the response was a replay.
async fn post_raw(
    srv: &TestServer,
    path: &str,
    key: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value, bool) {
    let response = srv
        .raw()
        .post(srv.url(path))
        .bearer_auth(&srv.agent_token)
        .header(IDEMPOTENCY_KEY, key)
        .json(body)
        .send()
        .await
        .expect("send");
    let status = response.status().as_u16();
    let replayed = response.headers().contains_key(IDEMPOTENT_REPLAYED);
    (status, response.json().await.expect("json"), replayed)
}

/// One valid body for each write, and the audit action it records.
async fn the_three_writes(
    srv: &TestServer,
) -> Vec<(&'static str, &'static str, serde_json::Value)> {
    let c = srv.agent();
    let maria = customer_by_phone(&c, "+14155550134").await;
    let late = maria
        .outstanding_fees
        .iter()
        .find(|f| f.kind == FeeKind::LatePayment)
        .expect("late fee");
    vec![
        (
            "/v1/interactions",
            "interaction",
            json(&interaction(maria.id, "explained the fee")),
        ),
        (
            "/v1/escalations",
            "escalation",
            json(&NewEscalation {
                customer_id: maria.id,
                channel: Channel::Voice,
                target_code: "tier2".into(),
                priority: Priority::High,
                reason_code: "repeat_contact".into(),
                summary: "third call this week".into(),
            }),
        ),
        (
            "/v1/fee-waivers",
            "fee_waiver",
            json(&waiver(maria.id, late.id, late.outstanding)),
        ),
    ]
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("serialise")
}

#[tokio::test]
async fn every_write_replays_its_stored_response_and_refuses_an_altered_body() {
    for srv in servers() {
        let maria = customer_by_phone(&srv.agent(), "+14155550134").await.id;
        for (path, action, body) in the_three_writes(&srv).await {
            let k = key();
            let (status, first, replayed) = post_raw(&srv, path, &k, &body).await;
            assert!(
                (200..300).contains(&status) && !replayed,
                "{path}: {status} {first}"
            );
            let (again_status, again, replayed) = post_raw(&srv, path, &k, &body).await;
            assert_eq!(
                (again_status, &again, replayed),
                (status, &first, true),
                "{path}"
            );
            assert_eq!(
                audit_count(&srv, maria, action).await,
                1,
                "{}: {path}",
                srv.db.label
            );
            let mut altered = body.clone();
            altered["customer_id"] = serde_json::json!(maria.0 + 1);
            let (status, error, _) = post_raw(&srv, path, &k, &altered).await;
            assert_eq!(status, 422, "{path}");
            assert_eq!(error["code"], "key_reused");
            assert_eq!(audit_count(&srv, maria, action).await, 1, "{path}");
        }
        // The logged interaction is on the timeline once, as the agent wrote it.
        let page = srv
            .agent()
            .timeline(maria, &TimelineQuery::default())
            .await
            .expect("timeline");
        let logged: Vec<_> = page
            .events
            .iter()
            .filter(|e| e.detail.as_deref() == Some("explained the fee"))
            .collect();
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].summary, "Billing › Late fee explained");
        assert_eq!(logged[0].agent.as_deref(), Some("Alex Agent"));
    }
}

#[tokio::test]
async fn twenty_identical_concurrent_requests_make_one_record() {
    for srv in servers() {
        let maria = customer_by_phone(&srv.agent(), "+14155550134").await.id;
        let srv = std::sync::Arc::new(srv);
        for (path, action, body) in the_three_writes(&srv).await {
            let k = key();
            let tasks: Vec<_> = (0..20)
                .map(|_| {
                    let (srv, k, body) = (srv.clone(), k.clone(), body.clone());
                    tokio::spawn(async move { post_raw(&srv, path, &k, &body).await })
                })
                .collect();
            let mut successes = HashSet::new();
            for t in tasks {
                let (status, body, _) = t.await.expect("task");
                match status {
                    200..=299 => {
                        successes.insert(body.to_string());
                    }
                    409 => assert_eq!(body["code"], "in_flight"),
                    other => panic!("{path}: unexpected {other} {body}"),
                }
            }
            assert_eq!(
                successes.len(),
                1,
                "{}: {path}: every success is the same record",
                srv.db.label
            );
            assert_eq!(
                audit_count(&srv, maria, action).await,
                1,
                "{}: {path}",
                srv.db.label
            );
            // A retry after the race gets the stored response.
            let (_, retry, replayed) = post_raw(&srv, path, &k, &body).await;
            assert!(replayed && successes.contains(&retry.to_string()), "{path}");
        }
    }
}

fn waiver(customer: CustomerId, fee: FeeId, amount: Money) -> NewFeeWaiver {
    NewFeeWaiver {
        customer_id: customer,
        fees: vec![WaiverItem {
            fee_id: fee,
            amount,
        }],
        reason_code: "goodwill".into(),
        note: String::new(),
    }
}

fn refusal(e: ClientError) -> (u16, ErrorBody) {
    match e {
        ClientError::Api { status, body } => (status.as_u16(), body),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn waivers_respect_authority_and_the_outstanding_amount() {
    for srv in servers() {
        let c = srv.agent();
        let maria = customer_by_phone(&c, "+14155550134").await;
        let late = maria
            .outstanding_fees
            .iter()
            .find(|f| f.kind == FeeKind::LatePayment)
            .expect("late fee")
            .clone();
        // Above the outstanding amount: refused, nothing changes.
        let too_much = Money::new(late.outstanding.minor_units + 1, late.outstanding.currency);
        let (status, body) = refusal(
            c.waive_fees(&key(), &waiver(maria.id, late.id, too_much))
                .await
                .expect_err("over"),
        );
        assert_eq!((status, body.code), (422, ErrorCode::Refused));
        assert_eq!(body.field.as_deref(), Some("fees[0].amount"));
        assert!(body.message.contains("outstanding"), "{}", body.message);
        // Within the $50 limit: applied, balance lower.
        let applied = c
            .waive_fees(&key(), &waiver(maria.id, late.id, late.outstanding))
            .await
            .expect("applied");
        assert_eq!(applied.status.as_u16(), 201);
        assert_eq!(applied.body.status, WaiverStatus::Applied);
        let after = c.customer(maria.id).await.expect("customer");
        assert_eq!(
            after.balance.minor_units,
            maria.balance.minor_units - late.outstanding.minor_units
        );
        assert!(after.outstanding_fees.iter().all(|f| f.id != late.id));
        // Waiving it again is refused with a reason.
        let (status, body) = refusal(
            c.waive_fees(&key(), &waiver(maria.id, late.id, late.outstanding))
                .await
                .expect_err("again"),
        );
        assert_eq!(status, 422);
        assert!(
            body.message.contains("already been waived"),
            "{}",
            body.message
        );

        // Above the agent's limit: pending approval, balance unchanged.
        let big = customer_by_phone(&c, "+12125550199").await;
        let fee = big
            .outstanding_fees
            .iter()
            .find(|f| f.outstanding.minor_units > 5000)
            .expect("a fee above $50")
            .clone();
        let pending = c
            .waive_fees(&key(), &waiver(big.id, fee.id, fee.outstanding))
            .await
            .expect("pending");
        assert_eq!(pending.status.as_u16(), 202);
        assert_eq!(pending.body.status, WaiverStatus::PendingApproval);
        assert!(pending.body.message.contains("approval"));
        let unchanged = c.customer(big.id).await.expect("customer");
        assert_eq!(unchanged.balance, big.balance);
        let owed = |c: &Customer| {
            let fees = c.outstanding_fees.iter();
            fees.map(|f| (f.id, f.outstanding)).collect::<Vec<_>>()
        };
        assert_eq!(owed(&unchanged), owed(&big));
        // The fee says a waiver of it waits, so the desk can say so.
        let waits = |c: &Customer, id| {
            c.outstanding_fees
                .iter()
                .any(|f| f.id == id && f.waiver_pending)
        };
        assert!(!waits(&big, fee.id));
        assert!(waits(&unchanged, fee.id));

        // Another customer's fee: refused and named.
        let (status, body) = refusal(
            c.waive_fees(
                &key(),
                &waiver(maria.id, fee.id, Money::new(100, fee.amount.currency)),
            )
            .await
            .expect_err("someone else's fee"),
        );
        assert_eq!(status, 422);
        assert_eq!(body.field.as_deref(), Some("fees[0].fee_id"));
        assert!(body.message.contains("another customer"));
        // Refused writes leave an audit entry and nothing else.
        let refused = srv
            .supervisor()
            .audit(&AuditQuery {
                customer_id: Some(maria.id),
                limit: None,
                kind: None,
            })
            .await
            .expect("audit")
            .entries
            .iter()
            .filter(|e| e.outcome == "refused")
            .count();
        assert_eq!(refused, 3, "{}", srv.db.label);
        let waiver_events = c
            .timeline(
                maria.id,
                &TimelineQuery {
                    kind: Some(EventKind::Waiver),
                    ..Default::default()
                },
            )
            .await
            .expect("timeline")
            .events
            .into_iter()
            .filter(|e| e.at > maria_now_minus_minute())
            .count();
        assert_eq!(
            waiver_events, 1,
            "only the applied waiver is on the timeline"
        );
    }
}

fn maria_now_minus_minute() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() - chrono::Duration::minutes(1)
}

#[tokio::test]
async fn unknown_names_in_a_write_are_4xx_naming_the_field() {
    for srv in servers() {
        let c = srv.agent();
        let maria = customer_by_phone(&c, "+14155550134").await;
        let mut bad_code = interaction(maria.id, "x");
        bad_code.disposition_code = "nope".into();
        let (status, body) = refusal(
            c.log_interaction(&key(), &bad_code)
                .await
                .expect_err("code"),
        );
        assert_eq!(
            (status, body.field.as_deref()),
            (404, Some("disposition_code"))
        );
        let (status, body) = refusal(
            c.log_interaction(&key(), &interaction(CustomerId(999_999), "x"))
                .await
                .expect_err("customer"),
        );
        assert_eq!((status, body.field.as_deref()), (404, Some("customer_id")));
        let (status, body) = refusal(
            c.waive_fees(
                &key(),
                &waiver(maria.id, FeeId(987_654), Money::new(1, Currency::USD)),
            )
            .await
            .expect_err("fee"),
        );
        assert_eq!(
            (status, body.field.as_deref()),
            (404, Some("fees[0].fee_id"))
        );
        let mut bad_reason = waiver(
            maria.id,
            maria.outstanding_fees[0].id,
            Money::new(1, Currency::USD),
        );
        bad_reason.reason_code = "because".into();
        let (status, body) = refusal(c.waive_fees(&key(), &bad_reason).await.expect_err("reason"));
        assert_eq!((status, body.field.as_deref()), (404, Some("reason_code")));
        // A rejected request does not use up its key: fixed, it goes through.
        let k = key();
        let _ = c.log_interaction(&k, &bad_code).await.expect_err("bad");
        c.log_interaction(&k, &interaction(maria.id, "fixed"))
            .await
            .expect("same key, fixed body");
    }
}

#[tokio::test]
async fn unauthenticated_and_forbidden_are_kept_apart() {
    let srv = TestServer::start(TestDb::sqlite());
    let raw = srv.raw();
    let me = raw.get(srv.url("/v1/me")).send().await.expect("send");
    assert_eq!(me.status().as_u16(), 401);
    let me = raw
        .get(srv.url("/v1/me"))
        .bearer_auth("sb_nope")
        .send()
        .await
        .expect("send");
    assert_eq!(me.status().as_u16(), 401);
    let body: ErrorBody = me.json().await.expect("error shape");
    assert_eq!(body.code, ErrorCode::Unauthenticated);
    let (status, body) = refusal(
        srv.agent()
            .audit(&AuditQuery::default())
            .await
            .expect_err("agent"),
    );
    assert_eq!((status, body.code), (403, ErrorCode::Forbidden));
    assert!(srv.supervisor().audit(&AuditQuery::default()).await.is_ok());
    let me = srv.agent().me().await.expect("me");
    assert_eq!((me.name.as_str(), me.role), ("Alex Agent", Role::Agent));
    assert_eq!(me.waiver_limit, Money::new(5000, Currency::USD));
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let srv = TestServer::start(TestDb::sqlite());
    let doc = srv.openapi().await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    // Every schema the document refers to is in it.
    let text = doc.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap_or_default();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} is referred to but not in the document"
        );
    }
    // Every operation documents the answers of its kind, in the error shape.
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let answers = &op["responses"];
            let mut expected = Vec::new();
            if op.get("security").is_some() {
                expected.extend(["401", "403", "503"]);
            }
            if op.get("requestBody").is_some() {
                expected.extend(["400", "404", "408", "413", "415"]);
            }
            if path.contains('{') {
                expected.extend(["400", "404"]);
            }
            for status in expected {
                assert!(
                    answers[status]["content"]["application/json"].is_object(),
                    "{method} {path} does not document {status}"
                );
            }
        }
    }
    for path in [
        "/healthz",
        "/readyz",
        "/v1/me",
        "/v1/refdata",
        "/v1/customers/lookup",
        "/v1/customers/search",
        "/v1/customers/{id}",
        "/v1/customers/{id}/timeline",
        "/v1/customers/{id}/suggestions",
        "/v1/interactions",
        "/v1/escalations",
        "/v1/fee-waivers",
        "/v1/audit",
        "/v1/calls",
        "/v1/agents/me/state",
        "/v1/agents/{id}/state",
        "/v1/agents/board",
        "/v1/queues",
        "/v1/queues/{id}/staffing",
        "/v1/approvals",
        "/v1/approvals/{kind}/{id}",
        "/v1/events",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    for schema in [
        "Customer",
        "TimelineEvent",
        "Money",
        "ErrorBody",
        "NewFeeWaiver",
        "Suggestion",
        "NewCallEvent",
        "QueueBoard",
        "Staffing",
        "Approval",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} missing"
        );
    }
    let health: Health = srv
        .raw()
        .get(srv.url("/healthz"))
        .send()
        .await
        .expect("h")
        .json()
        .await
        .expect("json");
    assert_eq!(health.database, "sqlite");
    let refdata = srv.agent().refdata().await.expect("refdata");
    assert!(refdata
        .dispositions
        .iter()
        .any(|d| d.category == "Billing" && d.label == "Late fee explained"));
    assert!(!refdata.escalation_targets.is_empty() && !refdata.waiver_reasons.is_empty());
}

#[tokio::test]
async fn demo_without_a_terminal_prints_where_it_listens_and_serves() {
    use std::io::BufRead;
    let mut child = common::bin()
        .args(["demo", "--customers", "20"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn demo");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut base = None;
    let mut token = None;
    for line in lines.by_ref().take(10) {
        let line = line.expect("line");
        if let Some(addr) = line.strip_prefix("switchboard demo: listening on ") {
            base = Some(addr.trim().to_string());
        }
        if line.starts_with("agent token") {
            token = line.split_whitespace().last().map(str::to_string);
            break;
        }
    }
    let (base, token) = (
        base.expect("address printed"),
        token.expect("token printed"),
    );
    let client = Client::new(&base, &token).expect("client");
    let found = client
        .lookup(&LookupQuery {
            phone: Some("415.555.0134".into()),
            ..Default::default()
        })
        .await
        .expect("lookup against the demo");
    assert_eq!(found.matches.len(), 2);
    let _ = child.kill();
    let _ = child.wait();
}

/// What the server writes is its user's alone, whatever the shell's umask:
/// the SQLite database and its WAL are 0600 after a write.
#[tokio::test]
async fn the_database_files_are_the_users_alone() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::sqlite();
    let path = db.url.trim_start_matches("sqlite://").to_string();
    let srv = TestServer::start(db);
    let desk = srv.agent();
    desk.log_interaction(
        &key(),
        &NewInteraction::resolved(CustomerId(1), "billing.late_fee", vec![]),
    )
    .await
    .expect("logged");
    for file in [path.clone(), format!("{path}-wal")] {
        let mode = std::fs::metadata(&file)
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file} is {:o}", mode & 0o777);
    }
}

/// The last line `switchboard agent …` printed (a token, where one is).
fn agent_cli(args: &[&str], db: &str) -> String {
    let mut all = vec!["agent"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--db", db]);
    let out = common::run_ok(&all);
    out.lines().last().unwrap_or_default().trim().to_string()
}

/// Token lifecycle: a rotated token is refused and the new one works, a
/// revoked one is refused, a disabled agent is refused whatever the token;
/// an open event stream on a withdrawn token is closed; `agent list` says
/// who is disabled; and every change is in the audit log with who made it.
/// On SQLite and PostgreSQL.
#[tokio::test]
async fn rotated_revoked_and_disabled_access_is_refused_on_the_next_request() {
    use futures::StreamExt;
    for srv in servers() {
        let url = srv.db.url.clone();
        let old = common::add_agent(&url, "Ana Ruiz", "agent", "50");
        let ana = Client::new(&srv.base, &old).expect("client");
        let id = ana.me().await.expect("signed in").id.0.to_string();
        let mut stream = ana.events(None).await.expect("stream");
        let new = agent_cli(&["rotate", &id], &url);
        assert!(new.starts_with("sb_"), "{new}");
        let refused = |r: Result<Me, ClientError>| matches!(r, Err(ClientError::Api { status, .. }) if status.as_u16() == 401);
        assert!(refused(ana.me().await), "the old token after rotate");
        let rotated = Client::new(&srv.base, &new).expect("client");
        assert!(rotated.me().await.is_ok(), "the new token");
        // The stream opened with the old token ends.
        let ended = tokio::time::timeout(common::PATIENCE, async {
            while let Some(Ok(_)) = stream.next().await {}
        })
        .await;
        assert!(ended.is_ok(), "the old token's event stream stayed open");
        agent_cli(&["revoke", &id], &url);
        assert!(refused(rotated.me().await), "after revoke");
        let other = common::add_agent(&url, "Bo Chen", "agent", "50");
        let bo = Client::new(&srv.base, &other).expect("client");
        let bo_id = bo.me().await.expect("signed in").id.0.to_string();
        agent_cli(&["disable", &bo_id], &url);
        assert!(refused(bo.me().await), "after disable");
        let list = common::run_ok(&["agent", "list", "--db", &url]);
        let bo_line = list
            .lines()
            .find(|l| l.contains("Bo Chen"))
            .unwrap_or_else(|| panic!("{list}"));
        assert!(bo_line.ends_with("DISABLED"), "{list}");
        let audit = srv
            .supervisor()
            .audit(&AuditQuery {
                customer_id: None,
                limit: Some(20),
                kind: None,
            })
            .await
            .expect("audit")
            .entries;
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        for action in ["agent.rotate", "agent.revoke", "agent.disable"] {
            assert!(
                actions.contains(&action),
                "{action} not audited: {actions:?}"
            );
        }
        assert!(audit
            .iter()
            .all(|e| !e.action.starts_with("agent.") || e.detail.contains(" by ")));
    }
}

/// Adding an agent whose name is taken is refused, naming the one there is
/// and how to give them a new token; nothing is added.
#[test]
fn adding_an_agent_twice_is_refused_with_what_to_do() {
    let db = TestDb::sqlite();
    common::add_agent(&db.url, "Ana Ruiz", "agent", "50");
    let out = common::bin()
        .args([
            "agent",
            "add",
            "ana ruiz",
            "--role",
            "agent",
            "--waiver-limit",
            "50",
            "--db",
            &db.url,
        ])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("already an agent named Ana Ruiz"), "{said}");
    assert!(said.contains("agent rotate"), "{said}");
    let list = common::run_ok(&["agent", "list", "--db", &db.url]);
    assert_eq!(
        list.matches("Ana Ruiz").count() + list.matches("ana ruiz").count(),
        1,
        "{list}"
    );
}

/// `agent set` changes a role and a limit from the agent's next request,
/// audited with what it was.
#[tokio::test]
async fn agent_set_changes_the_role_and_limit_from_the_next_request() {
    let srv = TestServer::start(TestDb::sqlite());
    let token = common::add_agent(&srv.db.url, "Ana Ruiz", "agent", "50");
    let ana = Client::new(&srv.base, &token).expect("client");
    let before = ana.me().await.expect("me");
    assert_eq!(before.role, Role::Agent);
    let id = before.id.0.to_string();
    let said = common::run_ok(&[
        "agent",
        "set",
        &id,
        "--role",
        "supervisor",
        "--waiver-limit",
        "75.00",
        "--db",
        &srv.db.url,
    ]);
    assert!(
        said.contains("now supervisor with a waiver limit of $75.00"),
        "{said}"
    );
    let after = ana.me().await.expect("me");
    assert_eq!(after.role, Role::Supervisor);
    assert_eq!(after.waiver_limit, Money::new(7_500, Currency::USD));
    let audit = srv
        .supervisor()
        .audit(&AuditQuery {
            customer_id: None,
            limit: Some(5),
            kind: None,
        })
        .await
        .expect("audit")
        .entries;
    let set = audit
        .iter()
        .find(|e| e.action == "agent.set")
        .expect("audited");
    assert!(
        set.detail
            .starts_with("agent $50.00 -> supervisor $75.00 by "),
        "{}",
        set.detail
    );
}

#[test]
fn a_second_server_on_one_sqlite_file_is_refused_saying_why() {
    let srv = TestServer::start(TestDb::sqlite());
    let out = common::bin()
        .args(["serve", "--db", &srv.db.url, "--listen", "127.0.0.1:0"])
        .output()
        .expect("run switchboard");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a second server started: {said}");
    assert!(said.contains("another `switchboard serve` (pid "), "{said}");
    assert!(
        said.contains("For several servers use PostgreSQL"),
        "{said}"
    );
}
