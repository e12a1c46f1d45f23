//! End-to-end: the live floor on the agent's desk. The real binary in a
//! pseudo-terminal follows a real server's event stream: a call offered to its
//! agent pops the caller, its state and timers follow the call, a supervisor's
//! decision reaches it, and a running `switchboard simulate` routes it calls.
//! And the supervisor's desk: its boards follow the floor, and a decision
//! taken there reaches the agent's desk.

mod common;

use chrono::Utc;
use common::pty::Desk;
use common::{add_agent, TestDb, TestServer};
use std::process::{Child, Stdio};
use std::time::Duration;
use switchboard::api::{
    ApprovalKind, Decision, LookupQuery, NewCallEvent, NewDecision, NewFeeWaiver, WaiverItem,
};
use switchboard::domain::{CallEventKind, Customer, CustomerId, FeeId};

const ENTER: &str = "\r";
const F3: &str = "\u{1b}OR";
const F4: &str = "\u{1b}OS";

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
    // The not-ready reasons in the chooser are reference data.
    d.wait_for_codes();
    d.send("s");
    d.wait_for("Your state");
    d.wait_for("Not ready: Lunch");
    d.send(ENTER);
    d.wait_for("You are now: Available");
    d
}

/// The test agent asks to waive the $750 fee of Dana (customer 12), over the
/// agent's limit: it waits for a supervisor. Returns Dana and the fee's id.
async fn ask_to_waive_danas_fee(srv: &TestServer) -> (Customer, FeeId) {
    let dana = srv.agent().customer(CustomerId(12)).await.expect("Dana");
    let fee = dana.outstanding_fees[0].clone();
    let refdata = srv.agent().refdata().await.expect("refdata");
    let waiver = NewFeeWaiver {
        customer_id: dana.id,
        fees: vec![WaiverItem {
            fee_id: fee.id,
            amount: fee.outstanding,
        }],
        reason_code: refdata.waiver_reasons[0].code.clone(),
        note: "Customer in hardship".into(),
    };
    srv.agent()
        .waive_fees(&common::key(), &waiver)
        .await
        .expect("waiver asked");
    (dana, fee.id)
}

fn call(call_id: &str, kind: CallEventKind, caller: &str, agent: i64) -> NewCallEvent {
    NewCallEvent {
        call_id: call_id.into(),
        kind,
        queue: "billing".into(),
        caller: Some(caller.into()),
        agent_id: Some(switchboard::domain::AgentId(agent)),
        occurred_at: Utc::now(),
        seq: 0,
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
    let (dana, _) = ask_to_waive_danas_fee(&srv).await;
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
    // Who decided, on whose behalf, and their note.
    d.wait_for("approved by Sam Supervisor");
    d.wait_for("\"Approved once\"");
}

#[tokio::test]
async fn a_supervisor_decides_on_their_desk_and_the_agent_desk_shows_it() {
    let srv = TestServer::start(TestDb::sqlite());
    let agent_desk = available_desk(&srv);
    let mut boss = Desk::start(
        &[],
        &[
            ("SWITCHBOARD_SERVER", &srv.base),
            ("SWITCHBOARD_TOKEN", &srv.supervisor_token),
        ],
    );
    // A supervisor starts on the queue board, with the agent counted available.
    boss.wait_for("below goal first");
    boss.wait_for("1 available");
    boss.send(F3);
    boss.wait_for("Alex Agent");
    boss.send(F4);
    boss.wait_for("Nothing waits for a decision");

    // The agent asks for a waiver over their limit: it appears on the board
    // by itself, with the customer's context.
    let (dana, fee) = ask_to_waive_danas_fee(&srv).await;
    boss.wait_for("Dana Whitfield");
    boss.wait_for("Churn risk");
    boss.wait_for("Customer in hardship");

    boss.send("a");
    boss.wait_for("Approve: Fee waiver of $750.00 for Dana Whitfield");
    boss.type_text("Approved once, hardship");
    boss.send(ENTER);
    boss.wait_for("Approved: Fee waiver of $750.00 for Dana Whitfield");
    boss.wait_for("Nothing waits for a decision");
    agent_desk.wait_for("for Dana Whitfield approved by Sam Supervisor");
    agent_desk.wait_for("\"Approved once, hardship\"");
    let after = srv.agent().customer(dana.id).await.expect("Dana");
    assert!(
        after.outstanding_fees.iter().all(|f| f.id != fee),
        "the approved waiver is applied: {:?}",
        after.outstanding_fees
    );

    // A denial needs a reason, and the agent reads it.
    let refdata = srv.agent().refdata().await.expect("refdata");
    let escalation = switchboard::api::NewEscalation {
        customer_id: CustomerId(1),
        channel: switchboard::domain::Channel::Voice,
        target_code: refdata.escalation_targets[0].code.clone(),
        priority: switchboard::domain::Priority::High,
        reason_code: refdata.escalation_reasons[0].code.clone(),
        summary: "Wants a manager".into(),
    };
    srv.agent()
        .escalate(&common::key(), &escalation)
        .await
        .expect("escalated");
    boss.wait_for("Maria Gonzalez");
    boss.send("d");
    boss.wait_for("required: say why");
    boss.send(ENTER);
    boss.wait_for("Say why it is denied");
    boss.type_text("Handled by billing already");
    boss.send(ENTER);
    boss.wait_for("Denied: Escalation for Maria Gonzalez");
    agent_desk.wait_for("for Maria Gonzalez denied by Sam Supervisor");
    assert!(srv
        .supervisor()
        .approvals()
        .await
        .expect("approvals")
        .approvals
        .is_empty());
}

#[test]
fn demo_supervisor_opens_live_boards_with_approvals_waiting() {
    // At speed 50 the floor is busy whatever the hour.
    let args = [
        "demo",
        "--supervisor",
        "--customers",
        "200",
        "--speed",
        "50",
    ];
    let mut d = Desk::start(&args, &[]);
    d.wait_for("below goal first");
    d.wait_for("Sam Supervisor");
    d.wait_for("to approve");
    // The simulator's agents take calls: someone is on a contact soon.
    d.send(F3);
    d.wait_for("On contact");
    d.send(F4);
    d.wait_for("Dana Whitfield");
    d.wait_for("Escalation");
    d.send("q");
    assert!(d.wait_exit().is_some(), "quits");
}

#[tokio::test]
async fn the_simulator_routes_a_call_to_an_available_desk_and_it_pops_the_right_caller() {
    let srv = TestServer::start(TestDb::sqlite());
    let system = add_agent(&srv.db.url, "Call simulator", "system", "0");
    let d = available_desk(&srv);
    let mut sim = Simulator::start(&srv.base, &system, &srv.db.url);
    // With no simulated agents playing, every call goes to the real desk.
    let caller = common::poll(Duration::from_secs(60), || {
        let screen = d.contents();
        let rest = screen.split("call from ").nth(1)?;
        rest.split_whitespace().next().map(str::to_string)
    })
    .unwrap_or_else(|| panic!("no call reached the desk:\n{}", d.contents()));
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
    fn start(base: &str, token: &str, db: &str) -> Simulator {
        let child = common::bin()
            .args([
                "simulate", "--server", base, "--speed", "60", "--seed", "5", "--agents", "0",
                "--db", db,
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
