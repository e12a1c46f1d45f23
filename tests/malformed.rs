//! A table of malformed requests, each answered 4xx in the one error shape, with
//! the field named where there is one. No malformed input may yield a 500.

mod common;

use common::{key, TestDb, TestServer};
use reqwest::Method;
use switchboard::api::ErrorBody;

struct Case {
    name: &'static str,
    method: Method,
    path: String,
    body: Option<Vec<u8>>,
    content_type: Option<&'static str>,
    auth: Auth,
    idempotency_key: Option<String>,
    status: u16,
    field: Option<&'static str>,
}

#[derive(Clone, Copy)]
enum Auth {
    Agent,
    Supervisor,
    None,
    Raw(&'static str),
}

fn get(name: &'static str, path: &str, status: u16, field: Option<&'static str>) -> Case {
    Case {
        name,
        method: Method::GET,
        path: path.to_string(),
        body: None,
        content_type: None,
        auth: Auth::Agent,
        idempotency_key: None,
        status,
        field,
    }
}

fn post(
    name: &'static str,
    path: &str,
    body: &str,
    status: u16,
    field: Option<&'static str>,
) -> Case {
    Case {
        name,
        method: Method::POST,
        path: path.to_string(),
        body: Some(body.as_bytes().to_vec()),
        content_type: Some("application/json"),
        auth: Auth::Agent,
        idempotency_key: Some(key()),
        status,
        field,
    }
}

fn interaction_with(field_json: &str) -> String {
    let base = r#""customer_id": 1, "channel": "voice", "disposition_code": "billing.late_fee", "outcome": "resolved""#;
    format!("{{{base}{field_json}}}")
}

fn waiver_with(amount_json: &str, fees_override: Option<&str>) -> String {
    let fees = fees_override
        .map(str::to_string)
        .unwrap_or_else(|| format!(r#"[{{"fee_id": 1, "amount": {amount_json}}}]"#));
    format!(r#"{{"customer_id": 1, "fees": {fees}, "reason_code": "goodwill"}}"#)
}

fn cases() -> Vec<Case> {
    let i = "/v1/interactions";
    let w = "/v1/fee-waivers";
    let e = "/v1/escalations";
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    let huge = format!(
        r#"{{"customer_id": 1, "notes": "{}"}}"#,
        "x".repeat(300 * 1024)
    );
    let mut cases = vec![
        post("truncated JSON", i, "{", 400, None),
        post("array instead of object", i, "[]", 400, None),
        post("null body", i, "null", 400, None),
        post("deeply nested JSON", i, &deep, 400, None),
        post(
            "id as string",
            i,
            r#"{"customer_id": "12", "channel": "voice", "disposition_code": "billing.late_fee", "outcome": "resolved"}"#,
            400,
            Some("customer_id"),
        ),
        post(
            "unknown channel",
            i,
            &interaction_with("").replace("voice", "fax"),
            400,
            Some("channel"),
        ),
        post(
            "outcome of wrong type",
            i,
            &interaction_with("").replace(r#""resolved""#, "5"),
            400,
            Some("outcome"),
        ),
        post(
            "missing disposition",
            i,
            r#"{"customer_id": 1, "channel": "voice", "outcome": "resolved"}"#,
            400,
            None,
        ),
        post(
            "unknown field",
            i,
            &interaction_with(r#", "extra": true"#),
            400,
            None,
        ),
        post(
            "tags not a list",
            i,
            &interaction_with(r#", "tags": "a,b""#),
            400,
            Some("tags"),
        ),
        post(
            "bad follow-up time",
            i,
            &interaction_with(r#", "follow_up_at": "tomorrow""#),
            400,
            Some("follow_up_at"),
        ),
        post(
            "follow-up in the past",
            i,
            &interaction_with(r#", "follow_up_at": "2020-01-01T09:00:00Z""#),
            422,
            Some("follow_up_at"),
        ),
        post(
            "follow-up in the year 9999",
            i,
            &interaction_with(r#", "follow_up_at": "9999-12-31T09:00:00Z""#),
            422,
            Some("follow_up_at"),
        ),
        post(
            "empty tag",
            i,
            &interaction_with(r#", "tags": [" "]"#),
            422,
            Some("tags[0]"),
        ),
        post("huge body", i, &huge, 413, None),
        post(
            "unknown customer",
            i,
            &interaction_with("").replace(r#""customer_id": 1"#, r#""customer_id": 0"#),
            404,
            Some("customer_id"),
        ),
        post(
            "negative money",
            w,
            &waiver_with(r#"{"minor_units": -100, "currency": "USD"}"#, None),
            422,
            Some("fees[0].amount.minor_units"),
        ),
        post(
            "fractional money",
            w,
            &waiver_with(r#"{"minor_units": 12.5, "currency": "USD"}"#, None),
            400,
            Some("fees[0].amount.minor_units"),
        ),
        post(
            "money as decimal string",
            w,
            &waiver_with(r#"{"minor_units": "12.50", "currency": "USD"}"#, None),
            400,
            Some("fees[0].amount.minor_units"),
        ),
        post(
            "money beyond 64 bits",
            w,
            &waiver_with(
                r#"{"minor_units": 100000000000000000000000, "currency": "USD"}"#,
                None,
            ),
            400,
            Some("fees[0].amount.minor_units"),
        ),
        post(
            "lower-case currency",
            w,
            &waiver_with(r#"{"minor_units": 100, "currency": "usd"}"#, None),
            400,
            Some("fees[0].amount.currency"),
        ),
        post(
            "zero amount",
            w,
            &waiver_with(r#"{"minor_units": 0, "currency": "USD"}"#, None),
            422,
            Some("fees[0].amount.minor_units"),
        ),
        post(
            "no fees",
            w,
            &waiver_with("", Some("[]")),
            422,
            Some("fees"),
        ),
        post(
            "unknown priority",
            e,
            r#"{"customer_id": 1, "target_code": "tier2", "priority": "asap", "reason_code": "complaint", "summary": "s"}"#,
            400,
            Some("priority"),
        ),
        post(
            "empty summary",
            e,
            r#"{"customer_id": 1, "target_code": "tier2", "priority": "high", "reason_code": "complaint", "summary": "  "}"#,
            422,
            Some("summary"),
        ),
        get(
            "non-numeric customer id",
            "/v1/customers/abc",
            400,
            Some("id"),
        ),
        get("negative customer id", "/v1/customers/-5", 400, Some("id")),
        get(
            "id beyond 64 bits",
            "/v1/customers/99999999999999999999999",
            400,
            Some("id"),
        ),
        get(
            "unknown customer",
            "/v1/customers/99999999",
            404,
            Some("id"),
        ),
        get(
            "garbage cursor",
            "/v1/customers/1/timeline?before=garbage",
            400,
            Some("before"),
        ),
        get(
            "zero limit",
            "/v1/customers/1/timeline?limit=0",
            400,
            Some("limit"),
        ),
        get(
            "non-numeric limit",
            "/v1/customers/1/timeline?limit=abc",
            400,
            Some("limit"),
        ),
        get(
            "limit too large",
            "/v1/customers/1/timeline?limit=100000",
            400,
            Some("limit"),
        ),
        get(
            "unknown channel filter",
            "/v1/customers/1/timeline?channel=fax",
            400,
            Some("channel"),
        ),
        get(
            "unknown query parameter",
            "/v1/customers/1/timeline?foo=1",
            400,
            None,
        ),
        get("lookup without a key", "/v1/customers/lookup", 400, None),
        get(
            "lookup with two keys",
            "/v1/customers/lookup?phone=4155550134&email=a@b.c",
            400,
            None,
        ),
        get(
            "phone with letters",
            "/v1/customers/lookup?phone=415-CALL-NOW",
            422,
            Some("phone"),
        ),
        get(
            "phone too short",
            "/v1/customers/lookup?phone=12345",
            422,
            Some("phone"),
        ),
        get(
            "not an e-mail",
            "/v1/customers/lookup?email=nope",
            422,
            Some("email"),
        ),
        get("empty search", "/v1/customers/search?q=%20", 400, Some("q")),
        get(
            "cursor with a sign",
            "/v1/customers/1/timeline?before=%2B1.2",
            400,
            Some("before"),
        ),
        get("search without q", "/v1/customers/search", 400, None),
        get(
            "search limit too large",
            "/v1/customers/search?q=a&limit=1000",
            400,
            Some("limit"),
        ),
        get("unknown route", "/v1/nothing", 404, None),
        get(
            "non-numeric interaction id",
            "/v1/interactions/abc",
            400,
            Some("id"),
        ),
        get(
            "unknown interaction",
            "/v1/interactions/999999",
            404,
            Some("id"),
        ),
    ];
    let mut no_type = post("no content type", i, &interaction_with(""), 415, None);
    no_type.content_type = None;
    let mut text = post("text/plain body", i, &interaction_with(""), 415, None);
    text.content_type = Some("text/plain");
    let mut no_key = post(
        "missing idempotency key",
        i,
        &interaction_with(""),
        400,
        Some("Idempotency-Key"),
    );
    no_key.idempotency_key = None;
    let mut empty_key = post(
        "empty idempotency key",
        i,
        &interaction_with(""),
        400,
        Some("Idempotency-Key"),
    );
    empty_key.idempotency_key = Some(String::new());
    let mut long_key = post(
        "overlong idempotency key",
        i,
        &interaction_with(""),
        400,
        Some("Idempotency-Key"),
    );
    long_key.idempotency_key = Some("k".repeat(300));
    let mut not_utf8 = post("body not UTF-8", i, "", 400, None);
    not_utf8.body = Some(vec![b'{', b'"', 0xff, 0xfe, b'"', b'}']);
    let mut anonymous = get("no token", "/v1/customers/1", 401, None);
    anonymous.auth = Auth::None;
    let mut basic = get("basic auth", "/v1/customers/1", 401, None);
    basic.auth = Auth::Raw("Basic dXNlcjpwYXNz");
    let mut unknown_token = get("unknown token", "/v1/me", 401, None);
    unknown_token.auth = Auth::Raw("Bearer sb_0000");
    let mut anonymous_write = post("write without token", i, &interaction_with(""), 401, None);
    anonymous_write.auth = Auth::None;
    let mut delete = get("wrong method", i, 405, None);
    delete.method = Method::DELETE;
    cases.extend(floor_cases());
    cases.extend([
        no_type,
        text,
        no_key,
        empty_key,
        long_key,
        not_utf8,
        anonymous,
        basic,
        unknown_token,
        anonymous_write,
        delete,
    ]);
    cases
}

/// A call event with one field replaced (or added).
fn call_with(field_json: &str) -> String {
    let mut body: serde_json::Value = serde_json::json!({
        "call_id": "m1",
        "kind": "offered",
        "queue": "billing",
        "caller": "+14155550134",
        "occurred_at": chrono::Utc::now().to_rfc3339(),
    });
    let patch: serde_json::Value = serde_json::from_str(field_json).expect("patch");
    for (k, v) in patch.as_object().expect("object") {
        body[k] = v.clone();
    }
    body.to_string()
}

/// The live floor's writes and queries, sent by a supervisor (calls, staffing,
/// decisions) or the agent (their state).
fn floor_cases() -> Vec<Case> {
    let c = "/v1/calls";
    let supervised = |mut case: Case| {
        case.auth = Auth::Supervisor;
        case
    };
    let put = |name, body: &str, status, field| Case {
        method: Method::PUT,
        ..post(name, "/v1/agents/me/state", body, status, field)
    };
    let staffing = |name, query: &str, status, field| {
        supervised(get(
            name,
            &format!("/v1/queues/billing/staffing?{query}"),
            status,
            field,
        ))
    };
    vec![
        supervised(post("call: not JSON", c, "{", 400, None)),
        supervised(post(
            "call: unknown kind",
            c,
            &call_with(r#"{"kind":"ringing"}"#),
            400,
            Some("kind"),
        )),
        supervised(post(
            "call: bad time",
            c,
            &call_with(r#"{"occurred_at":"yesterday"}"#),
            400,
            Some("occurred_at"),
        )),
        supervised(post(
            "call: empty id",
            c,
            &call_with(r#"{"call_id":" "}"#),
            400,
            Some("call_id"),
        )),
        supervised(post(
            "call: overlong id",
            c,
            &call_with(&format!(r#"{{"call_id":"{}"}}"#, "x".repeat(200))),
            400,
            Some("call_id"),
        )),
        supervised(post(
            "call: unknown queue",
            c,
            &call_with(r#"{"queue":"nope"}"#),
            422,
            Some("queue"),
        )),
        supervised(post(
            "call: answered without agent",
            c,
            &call_with(r#"{"kind":"answered"}"#),
            422,
            Some("agent_id"),
        )),
        supervised(post(
            "call: unknown agent",
            c,
            &call_with(r#"{"agent_id":999999}"#),
            422,
            Some("agent_id"),
        )),
        supervised(post(
            "call: agent id not a number",
            c,
            &call_with(r#"{"agent_id":"one"}"#),
            400,
            Some("agent_id"),
        )),
        supervised(post(
            "call: in the future",
            c,
            &call_with(r#"{"occurred_at":"2999-01-01T00:00:00Z"}"#),
            422,
            Some("occurred_at"),
        )),
        supervised(post(
            "call: unknown field",
            c,
            &call_with(r#"{"colour":"red"}"#),
            400,
            None,
        )),
        supervised(post(
            "call: a call id with a space",
            c,
            &call_with(r#"{"call_id":"m 1"}"#),
            400,
            Some("call_id"),
        )),
        supervised(get(
            "audit of customer 0",
            "/v1/audit?customer_id=0",
            400,
            Some("customer_id"),
        )),
        supervised(post(
            "call: overlong caller",
            c,
            &call_with(&format!(r#"{{"caller":"{}"}}"#, "1".repeat(100))),
            400,
            Some("caller"),
        )),
        put(
            "state: unknown state",
            r#"{"state":"dancing"}"#,
            400,
            Some("state"),
        ),
        put(
            "state: set by calls",
            r#"{"state":"on_contact"}"#,
            400,
            Some("state"),
        ),
        put(
            "state: not ready without reason",
            r#"{"state":"not_ready"}"#,
            422,
            Some("reason"),
        ),
        put(
            "state: unknown reason",
            r#"{"state":"not_ready","reason":"nap"}"#,
            422,
            Some("reason"),
        ),
        put(
            "state: reason not a string",
            r#"{"state":"not_ready","reason":7}"#,
            400,
            Some("reason"),
        ),
        staffing(
            "staffing: aht not a number",
            "aht_s=abc",
            400,
            Some("aht_s"),
        ),
        staffing(
            "staffing: target over 100",
            "target_pct=150",
            400,
            Some("target_pct"),
        ),
        staffing(
            "staffing: zero interval",
            "interval_s=0",
            400,
            Some("interval_s"),
        ),
        staffing(
            "staffing: negative calls",
            "calls_per_interval=-5",
            400,
            Some("calls_per_interval"),
        ),
        staffing("staffing: unknown parameter", "agentz=3", 400, None),
        supervised(get(
            "staffing: unknown queue",
            "/v1/queues/nope/staffing",
            404,
            Some("id"),
        )),
        supervised(post(
            "decision: unknown kind",
            "/v1/approvals/refund/1",
            r#"{"decision":"approve"}"#,
            400,
            Some("kind"),
        )),
        supervised(post(
            "decision: bad id",
            "/v1/approvals/fee_waiver/x",
            r#"{"decision":"approve"}"#,
            400,
            Some("id"),
        )),
        supervised(post(
            "decision: unknown decision",
            "/v1/approvals/fee_waiver/1",
            r#"{"decision":"maybe"}"#,
            400,
            Some("decision"),
        )),
        supervised(post(
            "decision: no such waiver",
            "/v1/approvals/fee_waiver/999999",
            r#"{"decision":"approve"}"#,
            404,
            Some("id"),
        )),
    ]
}

#[tokio::test]
async fn malformed_requests_get_4xx_in_the_error_shape() {
    for db in TestDb::all() {
        check_all(TestServer::start(db)).await;
    }
}

async fn check_all(srv: TestServer) {
    let http = srv.raw();
    let cases = cases();
    assert!(cases.len() >= 30, "the table keeps at least 30 cases");
    println!(
        "{} malformed requests against {}",
        cases.len(),
        srv.db.label
    );
    let mut failures = Vec::new();
    for case in cases {
        let mut request = http.request(case.method.clone(), srv.url(&case.path));
        request = match case.auth {
            Auth::Agent => request.bearer_auth(&srv.agent_token),
            Auth::Supervisor => request.bearer_auth(&srv.supervisor_token),
            Auth::None => request,
            Auth::Raw(value) => request.header("authorization", value),
        };
        if let Some(ct) = case.content_type {
            request = request.header("content-type", ct);
        }
        if let Some(k) = &case.idempotency_key {
            request = request.header("idempotency-key", k);
        }
        if let Some(body) = case.body.clone() {
            request = request.body(body);
        }
        let response = request.send().await.expect("send");
        let status = response.status().as_u16();
        let json_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let bytes = response.bytes().await.expect("body");
        let body: Result<ErrorBody, _> = serde_json::from_slice(&bytes);
        let ok = status == case.status
            && json_type
            && body.as_ref().is_ok_and(|b| {
                !b.message.is_empty() && (case.field.is_none() || b.field.as_deref() == case.field)
            });
        if !ok {
            failures.push(format!(
                "{} ({}): expected {} field {:?}, got {status} {}",
                case.name,
                srv.db.label,
                case.status,
                case.field,
                String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A body declared larger than the limit is refused at once, before any of
/// it is sent: the client is not left waiting for the server to read 10 GB.
#[test]
fn a_declared_length_over_the_limit_is_answered_413_before_the_body() {
    use std::io::{Read, Write};
    let srv = TestServer::start(TestDb::sqlite());
    let address = srv.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    let head = format!(
        "POST /v1/interactions HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\n\
         Idempotency-Key: big\r\nContent-Type: application/json\r\n\
         Content-Length: 10737418240\r\n\r\n",
        srv.agent_token
    );
    stream.write_all(head.as_bytes()).expect("send the head");
    stream
        .set_read_timeout(Some(common::PATIENCE))
        .expect("timeout");
    let mut answer = [0u8; 12];
    stream
        .read_exact(&mut answer)
        .expect("an answer without the body");
    assert_eq!(&answer, b"HTTP/1.1 413");
}
