//! The OpenAPI document states the rules the server enforces, so a generated
//! client (or Schemathesis, run by `.ci/schemathesis`) sends nothing the
//! document allows that the server then calls malformed.

mod common;

use common::{key, TestDb, TestServer};
use serde_json::Value;

fn parameter<'a>(doc: &'a Value, path: &str, method: &str, name: &str) -> &'a Value {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("{method} {path} has no parameter {name}"))
}

#[tokio::test]
async fn the_document_states_the_constraints_the_server_enforces() {
    let srv = TestServer::start(TestDb::sqlite());
    let doc = srv.openapi().await;
    for (path, method) in [
        ("/v1/customers/{id}", "get"),
        ("/v1/customers/{id}/timeline", "get"),
        ("/v1/organisations/{id}", "get"),
        ("/v1/interactions/{id}", "get"),
        ("/v1/agents/{id}/state", "put"),
        ("/v1/approvals/{kind}/{id}", "post"),
    ] {
        let id = parameter(&doc, path, method, "id");
        assert_eq!(id["schema"]["minimum"], 1, "{method} {path}: positive ids");
    }
    for (path, method) in [
        ("/v1/interactions", "post"),
        ("/v1/escalations", "post"),
        ("/v1/fee-waivers", "post"),
        ("/v1/approvals/{kind}/{id}", "post"),
    ] {
        let header = parameter(&doc, path, method, "Idempotency-Key");
        assert_eq!(header["in"], "header");
        assert_eq!(header["required"], true);
        let schema = &header["schema"];
        assert_eq!(
            (&schema["minLength"], &schema["maxLength"]),
            (&1.into(), &255.into())
        );
        assert_eq!(schema["pattern"], "^[!-~]+$", "{method} {path}");
    }
    // Query parameters are in the query, and absent rather than null.
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap_or_default();
                if p["in"] == "path" {
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: {name} is not in the path"
                    );
                }
                let text = p["schema"].to_string();
                assert!(
                    !text.contains("\"null\""),
                    "{method} {path}: {name} may be null"
                );
            }
        }
    }
    let q = parameter(&doc, "/v1/customers/search", "get", "q");
    assert_eq!((&q["in"], &q["required"]), (&"query".into(), &true.into()));
    assert_eq!(
        (&q["schema"]["minLength"], &q["schema"]["maxLength"]),
        (&1.into(), &200.into())
    );
    // Exactly one of phone, e-mail or account.
    let identity = parameter(&doc, "/v1/customers/lookup", "get", "identity");
    assert_eq!(
        (&identity["style"], &identity["explode"]),
        (&"form".into(), &true.into())
    );
    let one_of = identity["schema"]["oneOf"].as_array().expect("oneOf");
    let keys: Vec<&str> = one_of
        .iter()
        .map(|o| {
            assert_eq!(o["additionalProperties"], false);
            o["required"][0].as_str().unwrap_or_default()
        })
        .collect();
    assert_eq!(keys, ["phone", "email", "account"]);
    // A desk sets only the states it may set.
    let body = &doc["components"]["schemas"]["NewAgentState"]["properties"]["state"];
    let name = body["$ref"]
        .as_str()
        .and_then(|r| r.rsplit('/').next())
        .expect("ref");
    assert_eq!(
        doc["components"]["schemas"][name]["enum"],
        serde_json::json!(["available", "not_ready"])
    );
    // No NUL in text, keys included; no unknown keys in money.
    let money = &doc["components"]["schemas"]["Money"];
    assert_eq!(money["additionalProperties"], false);
    assert_eq!(money["propertyNames"]["pattern"], "^[^\\u0000]*$");
    assert_eq!(
        doc["components"]["schemas"]["Currency"]["pattern"],
        "^[A-Z]{3}$"
    );
    let summary = &doc["components"]["schemas"]["NewEscalation"]["properties"]["summary"];
    assert_eq!(summary["pattern"], "^[^\\u0000]*$");
}

#[tokio::test]
async fn a_whole_number_written_with_a_zero_fraction_is_that_number() {
    let srv = TestServer::start(TestDb::sqlite());
    let log_for = |customer: &str| {
        let body = format!(
            r#"{{"customer_id": {customer}, "channel": "voice", "disposition_code": "billing.late_fee", "outcome": "resolved"}}"#
        );
        let request = srv
            .raw()
            .post(srv.url("/v1/interactions"))
            .bearer_auth(&srv.agent_token)
            .header("Idempotency-Key", key())
            .header("Content-Type", "application/json")
            .body(body);
        async move { request.send().await.expect("send").status() }
    };
    assert_eq!(log_for("1.0").await, 201);
    // A large one is read exactly (not as 2126029499395727.2), so it is a
    // whole number: a customer that does not exist.
    assert_eq!(log_for("2126029499395727.0").await, 404);
    assert_eq!(log_for("1.5").await, 400);
}
