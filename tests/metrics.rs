//! `GET /metrics` on a real `switchboard serve`, on SQLite and PostgreSQL:
//! Prometheus text that parses, whose figures move with the traffic
//! (requests by route and status, replayed writes, open event streams,
//! suggestions shown), needing no token; and `--metrics-listen` moving it to
//! an address of its own.

mod common;

use common::{TestDb, TestServer};
use std::collections::HashMap;
use switchboard::api::*;
use switchboard::domain::*;

/// Every sample of a Prometheus text page, by its name and labels as
/// written (`name{a="b"}`); panics on a line that is not the format.
fn parse(page: &str) -> HashMap<String, f64> {
    let mut samples = HashMap::new();
    for line in page.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(comment) = line.strip_prefix('#') {
            let words: Vec<&str> = comment.split_whitespace().collect();
            assert!(
                matches!(words.first(), Some(&"TYPE") | Some(&"HELP")),
                "not a comment Prometheus knows: {line}"
            );
            if words[0] == "TYPE" {
                assert!(
                    ["counter", "gauge", "histogram", "summary", "untyped"].contains(&words[2]),
                    "{line}"
                );
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("value of {line}"));
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "metric name {name:?}"
        );
        if name_end < series.len() {
            assert!(series.ends_with('}'), "labels of {line}");
        }
        samples.insert(series.to_string(), value);
    }
    samples
}

async fn scrape(url: &str) -> HashMap<String, f64> {
    let response = reqwest::get(url).await.expect("scrape");
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"]
        .to_str()
        .expect("type")
        .to_string();
    assert!(kind.starts_with("text/plain"), "{kind}");
    parse(&response.text().await.expect("text"))
}

/// The value of the one sample named `name` whose labels include each of
/// `labels` (0 when there is none yet).
fn value(samples: &HashMap<String, f64>, name: &str, labels: &[&str]) -> f64 {
    samples
        .iter()
        .filter(|(series, _)| {
            series.split('{').next() == Some(name) && labels.iter().all(|l| series.contains(l))
        })
        .map(|(_, v)| *v)
        .sum()
}

const ME_200: [&str; 3] = [
    "http_request_method=\"GET\"",
    "http_route=\"/v1/me\"",
    "http_response_status_code=\"200\"",
];

#[tokio::test]
async fn metrics_parse_and_move_with_the_traffic() {
    for srv in TestDb::all().into_iter().map(TestServer::start) {
        let before = scrape(&srv.url("/metrics")).await;
        let agent = srv.agent();
        for _ in 0..3 {
            agent.me().await.expect("me");
        }
        let dana = common::customer_at(&agent, "+12125550199").await;
        let shown = agent
            .suggestions(dana, &SuggestionsQuery::default())
            .await
            .expect("suggestions");
        let write = Write::Interaction(NewInteraction {
            customer_id: dana,
            channel: Channel::Voice,
            disposition_code: "billing.late_fee".into(),
            outcome: InteractionOutcome::Resolved,
            tags: vec![],
            notes: "counted".into(),
            suggestion_outcomes: vec![],
            follow_up_at: None,
            acting_for: None,
            tone_flagged: false,
        });
        let key = common::key();
        agent.write(&key, &write).await.expect("written");
        assert!(agent.write(&key, &write).await.expect("again").replayed);
        let _stream = agent.events(None).await.expect("a stream");
        srv.wait_for_decisions(1).await;

        let after = scrape(&srv.url("/metrics")).await;
        let count = "http_server_request_duration_seconds_count";
        assert_eq!(
            value(&after, count, &ME_200) - value(&before, count, &ME_200),
            3.0,
            "{}",
            srv.db.label
        );
        // Explicit buckets from 0.5 ms to 10 s.
        let bucket = "http_server_request_duration_seconds_bucket";
        let has = |le: &str| {
            after
                .keys()
                .any(|k| k.starts_with(bucket) && k.contains(ME_200[1]) && k.contains(le))
        };
        assert!(has("le=\"0.0005\"") && has("le=\"10\""), "{}", srv.db.label);
        let all = [ME_200[1], "le=\"+Inf\""];
        assert!(value(&after, bucket, &all) >= 3.0, "{}", srv.db.label);
        let replays = ["http_route=\"/v1/interactions\""];
        assert_eq!(
            value(&after, "switchboard_outbox_replays_total", &replays),
            1.0
        );
        assert!(value(&after, "switchboard_event_streams", &[]) >= 1.0);
        let first = shown
            .suggestions
            .first()
            .map(|s| s.action.as_str().to_string());
        if let Some(action) = first {
            let label = format!("action=\"{action}\"");
            assert!(value(&after, "switchboard_decisions_total", &[&label]) >= 1.0);
        }
        assert!(value(&after, "db_client_connection_count", &["state=\"idle\""]) >= 0.0);
        assert!(after
            .keys()
            .any(|k| k.starts_with("db_client_connection_count{")));
    }
}

#[tokio::test]
async fn metrics_can_have_an_address_of_their_own() {
    use std::io::BufRead;
    let db = TestDb::sqlite();
    let mut child = common::bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--db", &db.url])
        .args(["--metrics-listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let (mut api, mut metrics) = (None, None);
    let mut line = String::new();
    while (api.is_none() || metrics.is_none()) && out.read_line(&mut line).unwrap_or(0) > 0 {
        let url = line.split_whitespace().find(|w| w.starts_with("http://"));
        match url {
            Some(url) if url.ends_with("/metrics") => metrics = Some(url.to_string()),
            Some(url) if line.contains("listening on") => api = Some(url.to_string()),
            _ => {}
        }
        line.clear();
    }
    let (api, metrics) = (
        api.expect("the API's address"),
        metrics.expect("the metrics' address"),
    );
    let beside = reqwest::get(format!("{api}/metrics")).await.expect("send");
    assert_eq!(
        beside.status(),
        404,
        "not beside the API when given an address"
    );
    let samples = scrape(&metrics).await;
    assert!(samples
        .keys()
        .any(|k| k.starts_with("db_client_connection_count")));
    let _ = child.kill();
    let _ = child.wait();
}
