//! Two desks, end to end: the real binary twice in pseudo-terminals against
//! a real server, and the test as the ACD. Alex, on a call with Dana, notes
//! something in the wrap-up, holds the caller, then transfers her warm with
//! a note; the ACD rings Bo, whose desk pops Dana with who handed her on,
//! the note and Alex's notes, while Alex stays on until the first leg ends.

mod common;

use chrono::Utc;
use common::pty::Desk;
use common::{add_agent, TestDb, TestServer};
use futures::StreamExt;
use switchboard::api::{Client, FloorEvent, NewCallEvent};
use switchboard::domain::{AgentId, CallAction, CallEventKind};

const ENTER: &str = "\r";
const TAB: &str = "\t";
const DOWN: &str = "\u{1b}[B";
const F8: &str = "\u{1b}[19~";
const F9: &str = "\u{1b}[20~";

/// A desk for `token`, signed in and set available.
fn available_desk(srv: &TestServer, token: &str) -> Desk {
    let mut d = Desk::start(
        &[],
        &[
            ("SWITCHBOARD_SERVER", &srv.base),
            ("SWITCHBOARD_TOKEN", token),
        ],
    );
    d.wait_for("Welcome");
    d.wait_for_codes();
    d.send("s");
    d.wait_for("Not ready: Lunch");
    d.send(ENTER);
    d.wait_for("You are now: Available");
    d
}

fn call(id: &str, kind: CallEventKind, agent: AgentId, seq: u32) -> NewCallEvent {
    NewCallEvent {
        call_id: id.into(),
        kind,
        queue: "billing".into(),
        caller: Some("+12125550199".into()),
        agent_id: Some(agent),
        occurred_at: Utc::now(),
        seq,
    }
}

#[tokio::test]
async fn a_warm_transfer_reaches_the_second_desk_with_the_customer_and_the_note() {
    let srv = TestServer::start(TestDb::sqlite());
    let acd = Client::new(
        &srv.base,
        &add_agent(&srv.db.url, "Test ACD", "system", "0"),
    )
    .expect("client");
    let mut commands = Box::pin(acd.events(None).await.expect("the ACD listens"));
    let mut next_command = async || loop {
        let (_, event) = tokio::time::timeout(std::time::Duration::from_secs(10), commands.next())
            .await
            .expect("a command in time")
            .expect("the stream is open")
            .expect("a well-formed event");
        if let FloorEvent::CallCommand(c) = event {
            return c;
        }
    };
    let alex = srv.agent().me().await.expect("me").id;
    let bo_token = add_agent(&srv.db.url, "Bo Chen", "agent", "50");
    let bo = Client::new(&srv.base, &bo_token)
        .expect("client")
        .me()
        .await
        .expect("me")
        .id;
    let mut alex_desk = available_desk(&srv, &srv.agent_token);
    let bo_desk = available_desk(&srv, &bo_token);

    acd.post_call(&call("c1", CallEventKind::Offered, alex, 0))
        .await
        .expect("offered");
    acd.post_call(&call("c1", CallEventKind::Answered, alex, 0))
        .await
        .expect("answered");
    alex_desk.wait_for("Dana Whitfield");
    alex_desk.wait_for("On contact 0:");

    // Hold: the ACD is told, confirms, and the title counts the hold.
    alex_desk.send(F8);
    let hold = next_command().await;
    assert_eq!(
        (hold.action, hold.call_id.as_str()),
        (CallAction::Hold, "c1")
    );
    acd.post_call(&call("c1", CallEventKind::Held, alex, 0))
        .await
        .expect("held");
    alex_desk.wait_for("on hold 0:");
    alex_desk.send(F8);
    assert_eq!(next_command().await.action, CallAction::Resume);
    acd.post_call(&call("c1", CallEventKind::Resumed, alex, 0))
        .await
        .expect("resumed");
    alex_desk.wait_gone("on hold");

    // Notes in the wrap-up, not sent; then the transfer prompt over it.
    alex_desk.send("l");
    alex_desk.wait_for("Log interaction");
    alex_desk.send(TAB);
    alex_desk.type_text("Charged twice for one late payment");
    alex_desk.send(F9);
    alex_desk.wait_for("Transfer +12125550199");
    alex_desk.wait_for("Warm: you stay on the line");
    alex_desk.send(DOWN); // Queue: Billing, after General enquiries.
    alex_desk.type_text("Disputes a double charge");
    alex_desk.send(ENTER);
    alex_desk.wait_for("Transfer sent: stay on the line");

    // The ACD rings Bo on the new leg, in the queue asked for.
    let transfer = next_command().await;
    let order = transfer.transfer.expect("where to");
    assert_eq!((order.to_queue.as_str(), order.warm), ("billing", true));
    let leg = order.new_call_id.as_str();
    acd.post_call(&call(leg, CallEventKind::Offered, bo, 0))
        .await
        .expect("offered");
    acd.post_call(&call(leg, CallEventKind::Answered, bo, 0))
        .await
        .expect("answered");
    bo_desk.wait_for("Dana Whitfield");
    bo_desk.wait_for("transferred by Alex Agent");
    bo_desk.wait_for("billing → billing: Disputes a double charge");
    bo_desk.wait_for("Alex Agent's notes: Charged twice for one late payment");

    // Warm: Alex is on the call until the ACD ends the first leg.
    alex_desk.wait_for("On contact");
    acd.post_call(&call("c1", CallEventKind::Ended, alex, 0))
        .await
        .expect("ended");
    alex_desk.wait_for("Wrap-up 0:");
}
