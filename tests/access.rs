//! The role × route matrix against a real server, on SQLite and
//! PostgreSQL: every operation of the served OpenAPI document, called with
//! an agent's, a supervisor's and a system token, is refused with 403
//! naming the role exactly when the matrix leaves that role out; the
//! matrix, the OpenAPI document and the README's "Security model" table
//! name the same operations; and who read which customer is on record for
//! supervisors (`GET /v1/audit?kind=view`).

mod common;

use common::{TestDb, TestServer};
use std::collections::BTreeSet;
use switchboard::domain::Role;
use switchboard::server::access::{rule_of, MATRIX};

/// The secured operations of the served document: (METHOD, path).
async fn secured_operations(srv: &TestServer) -> BTreeSet<(String, String)> {
    let doc = srv.openapi().await;
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if op.get("security").is_some() {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// The path with its parameters filled in.
fn concrete(path: &str) -> String {
    path.replace("{id}", "1").replace("{kind}", "fee_waiver")
}

fn role_name(role: Role) -> &'static str {
    role.as_str()
}

#[tokio::test]
async fn every_operation_refuses_exactly_the_roles_the_matrix_leaves_out() {
    for db in TestDb::all() {
        let label = db.label;
        let url = db.url.clone();
        let srv = TestServer::start(db);
        let system = common::add_agent(&url, "Test ACD", "system", "0");
        let tokens = [
            (Role::Agent, srv.agent_token.clone()),
            (Role::Supervisor, srv.supervisor_token.clone()),
            (Role::System, system),
        ];
        let operations = secured_operations(&srv).await;
        let in_matrix: BTreeSet<(String, String)> = MATRIX
            .iter()
            .map(|r| (r.method.to_string(), r.path.to_string()))
            .collect();
        assert_eq!(
            operations, in_matrix,
            "{label}: the OpenAPI document and the matrix name the same operations"
        );
        let http = srv.raw();
        for (method, path) in &operations {
            let rule = rule_of(method, path).expect("a rule");
            for (role, token) in &tokens {
                let request = match method.as_str() {
                    "GET" => http.get(srv.url(&concrete(path))),
                    "POST" => http.post(srv.url(&concrete(path))),
                    "PUT" => http.put(srv.url(&concrete(path))),
                    other => panic!("{other} {path}: a method the test does not know"),
                };
                let response = request
                    .bearer_auth(token)
                    .header("content-type", "application/json")
                    .body("{}")
                    .send()
                    .await
                    .expect("send");
                let status = response.status().as_u16();
                // An event stream answers at once and never ends: only its
                // status is read.
                let body = match path.as_str() {
                    "/v1/events" => String::new(),
                    _ => response.text().await.unwrap_or_default(),
                };
                let refused = status == 403 && body.contains("token may not call");
                let allowed = rule.roles.contains(role);
                assert_eq!(
                    refused,
                    !allowed,
                    "{label}: {} on {method} {path}: {status} {body}",
                    role_name(*role)
                );
                if refused {
                    assert!(
                        body.contains(&format!("{} token", role_name(*role))),
                        "{label}: the refusal names the role: {body}"
                    );
                }
            }
        }
    }
}

/// The README's "Security model" prints the matrix as it is enforced.
#[test]
fn the_readme_prints_the_matrix() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let mark = |rule: &switchboard::server::access::Rule, role| {
        if rule.roles.contains(&role) {
            "yes"
        } else {
            "-"
        }
    };
    for rule in MATRIX {
        let row = format!(
            "| `{} {}` | {} | {} | {} |",
            rule.method,
            rule.path,
            mark(rule, Role::Agent),
            mark(rule, Role::Supervisor),
            mark(rule, Role::System)
        );
        assert!(readme.contains(&row), "README lacks the row {row}");
    }

    // The matrix rows: an operation, then a yes or - per role.
    let rows = readme
        .lines()
        .filter(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            cells.len() == 6
                && ["`GET ", "`POST ", "`PUT "]
                    .iter()
                    .any(|m| cells[1].starts_with(m))
                && cells[2..5].iter().all(|c| *c == "yes" || *c == "-")
        })
        .collect::<Vec<_>>();
    assert_eq!(
        rows.len(),
        MATRIX.len(),
        "one README row per rule, no more: {rows:#?}"
    );
}

/// An agent's reads of a customer are recorded with who read what, off the
/// read's path; a supervisor finds them by customer.
#[tokio::test]
async fn who_read_a_customer_is_on_record_for_supervisors() {
    use switchboard::api::{AuditKind, AuditQuery, TimelineQuery};
    use switchboard::domain::CustomerId;
    for db in TestDb::all() {
        let label = db.label;
        let srv = TestServer::start(db);
        let agent = srv.agent();
        let me = agent.me().await.expect("me").id;
        let maria = CustomerId(1);
        agent.customer(maria).await.expect("profile");
        agent
            .timeline(maria, &TimelineQuery::default())
            .await
            .expect("timeline");
        let views = AuditQuery {
            customer_id: Some(maria),
            limit: None,
            kind: Some(AuditKind::View),
        };
        let boss = srv.supervisor();
        let mut seen = Vec::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while seen.len() < 2 && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            seen = boss
                .audit(&views)
                .await
                .expect("audit")
                .entries
                .iter()
                .map(|e| (e.action.clone(), e.agent_id, e.customer_id))
                .collect();
        }
        assert_eq!(
            seen,
            [
                ("view.timeline".to_string(), me, maria),
                ("view.profile".to_string(), me, maria)
            ],
            "{label}"
        );
        // Another customer's views are not in Maria's; the writes' audit
        // holds no views.
        let writes = boss
            .audit(&AuditQuery {
                customer_id: Some(maria),
                limit: None,
                kind: None,
            })
            .await
            .expect("audit");
        assert!(
            writes
                .entries
                .iter()
                .all(|e| !e.action.starts_with("view.")),
            "{label}"
        );
    }
}
