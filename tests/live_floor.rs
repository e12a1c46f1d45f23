//! End-to-end: the live floor on the agent's desk. The real binary in a
//! pseudo-terminal follows a real server's event stream: a call offered to its
//! agent pops the caller, its state and timers follow the call, a supervisor's
//! decision reaches it, and a running `switchboard simulate` routes it calls.

mod common;
#[path = "common/pty.rs"]
mod pty;

use chrono::Utc;
use common::{add_agent, TestDb, TestServer};
use pty::Desk;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use switchboard::api::{
    ApprovalKind, Decision, LookupQuery, NewCallEvent, NewDecision, NewFeeWaiver, WaiverItem,
};
use switchboard::domain::{CallEventKind, CustomerId};

const ENTER: &str = "\r";

/// The desk of the test server's agent, signed in and set available.
fn available_desk(srv: &TestServer) -> Desk {
    let mut d = Desk::start(
        &[],
        &[
            ("SWITCHBOARD_SERVER", &srv.base),
            ("SWITCHBOARD_TOKEN", &srv.agent_token),
        ],
    );
    d.wait_for("Welcome");
    std::thread::sleep(Duration::from_millis(300));
    d.send("s");
    d.wait_for("Your state");
    d.wait_for("Not ready: Lunch");
    d.send(ENTER);
    d.wait_for("You are now: Available");
    d
}

fn call(call_id: &str, kind: CallEventKind, caller: &str, agent: i64) -> NewCallEvent {
    NewCallEvent {
        call_id: call_id.into(),
        kind,
        queue: "billing".into(),
        caller: Some(caller.into()),
        agent_id: Some(switchboard::domain::AgentId(agent)),
        occurred_at: Utc::now(),
    }
}

#[tokio::test]
async fn an_offered_call_pops_the_caller_and_a_decision_reaches_the_agent() {
    let srv = TestServer::start(TestDb::sqlite());
    let acd = switchboard::api::Client::new(
        &srv.base,
        &add_agent(&srv.db.url, "Test ACD", "system", "0"),
    )
    .expect("client");
    let me = srv.agent().me().await.expect("me").id;
    let d = available_desk(&srv);

    // Oliver Bennett's number, written the way a UK ACD might send it.
    let offered = call("call-1", CallEventKind::Offered, "+44 20 7946 0018", me.0);
    acd.post_call(&offered).await.expect("offered");
    d.wait_for("Oliver Bennett");
    d.wait_for("call from +442079460018");
    d.wait_for("billing queue");
    acd.post_call(&call(
        "call-1",
        CallEventKind::Answered,
        "+44 20 7946 0018",
        me.0,
    ))
    .await
    .expect("answered");
    d.wait_for("On contact 0:");
    acd.post_call(&call(
        "call-1",
        CallEventKind::Ended,
        "+44 20 7946 0018",
        me.0,
    ))
    .await
    .expect("ended");
    d.wait_for("Wrap-up 0:");

    // A waiver over the agent's limit, approved by a supervisor: the desk says so.
    let dana = srv.agent().customer(CustomerId(12)).await.expect("Dana");
    let fee = &dana.outstanding_fees[0];
    let refdata = srv.agent().refdata().await.expect("refdata");
    srv.agent()
        .waive_fees(
            &common::key(),
            &NewFeeWaiver {
                customer_id: dana.id,
                fees: vec![WaiverItem {
                    fee_id: fee.id,
                    amount: fee.outstanding,
                }],
                reason_code: refdata.waiver_reasons[0].code.clone(),
                note: "Customer in hardship".into(),
            },
        )
        .await
        .expect("waiver asked");
    let pending = srv.supervisor().approvals().await.expect("approvals");
    let approval = pending
        .approvals
        .iter()
        .find(|a| a.customer_id == dana.id && a.kind == ApprovalKind::FeeWaiver)
        .expect("the waiver waits for approval");
    srv.supervisor()
        .decide(
            &common::key(),
            ApprovalKind::FeeWaiver,
            approval.id,
            &NewDecision {
                decision: Decision::Approve,
                note: "Approved once".into(),
            },
        )
        .await
        .expect("decided");
    d.wait_for("Supervisor: ");
    d.wait_for("approved");
}

#[tokio::test]
async fn the_simulator_routes_a_call_to_an_available_desk_and_it_pops_the_right_caller() {
    let srv = TestServer::start(TestDb::sqlite());
    let system = add_agent(&srv.db.url, "Call simulator", "system", "0");
    let d = available_desk(&srv);
    let mut sim = Simulator::start(&srv.base, &system);
    // With no simulated agents playing, every call goes to the real desk.
    let deadline = Instant::now() + Duration::from_secs(60);
    let caller = loop {
        let screen = d.contents();
        if let Some(rest) = screen.split("call from ").nth(1) {
            if let Some(number) = rest.split_whitespace().next() {
                break number.to_string();
            }
        }
        assert!(
            Instant::now() < deadline,
            "no call reached the desk:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    sim.stop();
    // The caller on screen is who the server says has that number.
    let matches = srv
        .agent()
        .lookup(&LookupQuery {
            phone: Some(caller.clone()),
            ..LookupQuery::default()
        })
        .await
        .expect("lookup")
        .matches;
    assert!(!matches.is_empty(), "the simulator used a known number");
    let shown = d.contents();
    assert!(
        matches.iter().any(|m| shown.contains(&m.name)) || shown.contains("customers match"),
        "{caller} is {:?}, the screen shows:\n{shown}",
        matches.iter().map(|m| &m.name).collect::<Vec<_>>()
    );
}

/// `switchboard simulate` as a child process.
struct Simulator(Child);

impl Simulator {
    fn start(base: &str, token: &str) -> Simulator {
        let child = common::bin()
            .args([
                "simulate", "--server", base, "--speed", "60", "--seed", "5", "--agents", "0",
            ])
            .env("SWITCHBOARD_TOKEN", token)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("simulate");
        Simulator(child)
    }

    fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop();
    }
}
