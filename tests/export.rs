//! `switchboard export` on SQLite and PostgreSQL: taken again and again from
//! its own cursor while wrap-ups are being written, the exports together hold
//! every interaction once; and CSV and JSON Lines carry money in minor units
//! and times in UTC.

mod common;

use common::{TestDb, TestServer};
use std::collections::HashSet;
use switchboard::api::*;
use switchboard::domain::*;

fn wrap_up(customer: CustomerId, n: usize) -> Write {
    Write::Interaction(NewInteraction {
        customer_id: customer,
        channel: Channel::Voice,
        disposition_code: "billing.late_fee".into(),
        outcome: InteractionOutcome::Resolved,
        tags: vec![],
        notes: format!("note {n}, with a comma and a \"quote\""),
        suggestion_outcomes: vec![],
        follow_up_at: None,
        acting_for: None,
        tone_flagged: false,
    })
}

/// The rows an export run writes, as JSON; it must succeed.
fn exported(export: &mut std::process::Command) -> Vec<serde_json::Value> {
    let out = export.output().expect("export");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

/// One export run from the cursor file; the ids it wrote.
fn export_ids(db: &str, cursor: &std::path::Path) -> Vec<i64> {
    let mut export = common::bin();
    export
        .args(["export", "interactions", "--db", db])
        .args(["--settle-seconds", "1", "--cursor-file"])
        .arg(cursor);
    exported(&mut export)
        .into_iter()
        .map(|row| {
            let at = row["created_at"].as_str().expect("a time");
            assert!(at.ends_with('Z'), "UTC: {at}");
            row["id"].as_i64().expect("an id")
        })
        .collect()
}

#[tokio::test]
async fn exports_from_their_cursor_while_writes_go_on_miss_and_repeat_nothing() {
    for srv in TestDb::all().into_iter().map(TestServer::start) {
        let agent = srv.agent();
        let customer = common::customer_at(&agent, "+12125550199").await;
        const WRITES: usize = 150;
        let writer = tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in 0..WRITES {
                let logged = agent
                    .write(&common::key(), &wrap_up(customer, n))
                    .await
                    .expect("write");
                if let WriteAnswer::Interaction(i) = logged.body {
                    ids.push(i.id.0);
                }
            }
            ids
        });
        let dir = tempfile::tempdir().expect("tempdir");
        let cursor = dir.path().join("interactions.cursor");
        let mut exported = Vec::new();
        while !writer.is_finished() {
            exported.extend(export_ids(&srv.db.url, &cursor));
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        }
        let written: HashSet<i64> = writer.await.expect("writer").into_iter().collect();
        // Past the settle time, the last run takes what is left.
        tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
        exported.extend(export_ids(&srv.db.url, &cursor));
        let once: HashSet<i64> = exported.iter().copied().collect();
        assert_eq!(
            once.len(),
            exported.len(),
            "nothing repeated on {}",
            srv.db.label
        );
        assert_eq!(once, written, "nothing missed on {}", srv.db.label);
    }
}

#[tokio::test]
async fn csv_exports_keep_money_in_minor_units_and_refuse_a_wrong_cursor() {
    let srv = TestServer::start(TestDb::sqlite());
    let agent = srv.agent();
    let dana = common::customer_at(&agent, "+12125550199").await;
    let fee = agent
        .customer(dana)
        .await
        .expect("profile")
        .outstanding_fees[0]
        .clone();
    let waiver = Write::FeeWaiver(NewFeeWaiver {
        customer_id: dana,
        fees: vec![WaiverItem {
            fee_id: fee.id,
            amount: Money::new(100, fee.amount.currency),
        }],
        reason_code: "goodwill".into(),
        note: "first time".into(),
    });
    agent.write(&common::key(), &waiver).await.expect("waived");
    let out = common::bin()
        .args(["export", "waivers", "--format", "csv", "--db", &srv.db.url])
        .output()
        .expect("export");
    let csv = String::from_utf8_lossy(&out.stdout);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,request_id,created_at,customer_id,fee_id,agent_id,amount_minor,currency,reason_code,note,status")
    );
    let row = lines.next().expect("the waiver");
    assert!(
        row.contains(&format!(
            ",100,{},goodwill,first time,",
            fee.amount.currency.as_str()
        )),
        "{row}"
    );
    let wrong = common::bin()
        .args([
            "export",
            "waivers",
            "--since",
            "interactions:3",
            "--db",
            &srv.db.url,
        ])
        .output()
        .expect("export");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("is not a cursor for `waivers`"));
}

/// The rows `export agent-states` writes, as JSON.
fn agent_states(db: &str) -> Vec<serde_json::Value> {
    exported(common::bin().args([
        "export",
        "agent-states",
        "--db",
        db,
        "--settle-seconds",
        "0",
    ]))
}

#[tokio::test]
async fn agent_state_intervals_are_recorded_as_states_change_and_exported() {
    for srv in TestDb::all().into_iter().map(TestServer::start) {
        let agent = srv.agent();
        let me = agent.me().await.expect("me").id;
        let set = |state, reason: Option<&str>| NewAgentState {
            state,
            reason: reason.map(str::to_string),
        };
        agent
            .set_state(&set(SettableState::Available, None))
            .await
            .expect("available");
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        agent
            .set_state(&set(SettableState::NotReady, Some("lunch")))
            .await
            .expect("lunch");
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        agent
            .set_state(&set(SettableState::Available, None))
            .await
            .expect("back");
        // The floor's clock records them within a second or so.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        let rows = loop {
            let rows: Vec<_> = agent_states(&srv.db.url)
                .into_iter()
                .filter(|r| r["agent_id"].as_i64() == Some(me.0))
                .collect();
            if rows.len() >= 2 || std::time::Instant::now() > deadline {
                break rows;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        };
        assert_eq!(
            rows.len(),
            2,
            "two closed intervals on {}: {rows:?}",
            srv.db.label
        );
        assert_eq!(rows[0]["state"], "available");
        assert_eq!(rows[0]["reason"], serde_json::Value::Null);
        assert_eq!(rows[1]["state"], "not_ready");
        assert_eq!(rows[1]["reason"], "lunch");
        assert_eq!(
            rows[0]["ended_at"], rows[1]["started_at"],
            "one interval ends where the next starts"
        );
        for row in &rows {
            assert!(row["seconds"].as_i64().is_some_and(|s| s >= 1), "{row}");
            assert!(row["started_at"].as_str().is_some_and(|t| t.ends_with('Z')));
        }
    }
}
