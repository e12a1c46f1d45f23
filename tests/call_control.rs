//! Call control against a real `switchboard serve` on SQLite and PostgreSQL:
//! hold, resume, hang up and transfer go to the ACD as `call_command` events
//! for `system` tokens, the ACD's call events confirm them, the receiving
//! agent's desk is told who handed the caller on and why, and only the agent
//! on a call (or a supervisor) may ask. Then the same through the call
//! simulator, which obeys the commands.

mod common;

use chrono::Utc;
use common::{TestDb, TestServer};
use futures::{Stream, StreamExt};
use switchboard::api::*;
use switchboard::domain::*;

fn servers() -> Vec<TestServer> {
    TestDb::all().into_iter().map(TestServer::start).collect()
}

/// Dana Whitfield's number (a seeded fixture).
const DANA: &str = "+12125550199";

fn call(id: &str, kind: CallEventKind, agent: Option<AgentId>, seq: u32) -> NewCallEvent {
    NewCallEvent {
        call_id: id.into(),
        kind,
        queue: "billing".into(),
        caller: Some(DANA.into()),
        agent_id: agent,
        occurred_at: Utc::now(),
        seq,
    }
}

/// The next event `wanted` picks out within `secs` seconds, skipping others.
async fn until<S, T>(stream: &mut S, secs: u64, wanted: impl Fn(FloorEvent) -> Option<T>) -> T
where
    S: Stream<Item = Result<(u64, FloorEvent), ClientError>> + Unpin,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        let next = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("the event in time")
            .expect("the stream is open")
            .expect("a well-formed event");
        if let Some(found) = wanted(next.1) {
            return found;
        }
    }
}

fn command(event: FloorEvent) -> Option<CallCommand> {
    match event {
        FloorEvent::CallCommand(c) => Some(c),
        _ => None,
    }
}

fn refused(answer: Result<CallCommand, ClientError>, status: u16, says: &str) {
    match answer {
        Err(ClientError::Api { status: s, body }) => {
            assert_eq!(s.as_u16(), status, "{body:?}");
            assert!(body.message.contains(says), "{}", body.message);
        }
        other => panic!("expected {status} saying {says:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn hold_resume_transfer_and_hang_up_go_through_the_acd() {
    for srv in servers() {
        let acd = Client::new(
            &srv.base,
            &common::add_agent(&srv.db.url, "Test ACD", "system", "0"),
        )
        .expect("client");
        let mut acd_events = Box::pin(acd.events(None).await.expect("the ACD listens"));
        let alex = srv.agent();
        let alex_id = alex.me().await.expect("me").id;
        let bo_token = common::add_agent(&srv.db.url, "Bo Chen", "agent", "50");
        let bo = Client::new(&srv.base, &bo_token).expect("client");
        let bo_id = bo.me().await.expect("me").id;
        let mut bo_events = Box::pin(bo.events(None).await.expect("Bo's desk listens"));
        let available = NewAgentState {
            state: SettableState::Available,
            reason: None,
        };
        alex.set_state(&available).await.expect("available");
        bo.set_state(&available).await.expect("available");
        acd.post_call(&call("c1", CallEventKind::Offered, None, 0))
            .await
            .expect("offered");
        // Not answered yet: nothing to control.
        refused(
            alex.control_call("c1", CallAction::Hold).await,
            404,
            "no call `c1` in progress",
        );
        acd.post_call(&call("c1", CallEventKind::Answered, Some(alex_id), 0))
            .await
            .expect("answered");

        // Hold: the ACD is told, and confirms; the board shows since when.
        let hold = alex
            .control_call("c1", CallAction::Hold)
            .await
            .expect("hold");
        assert_eq!(
            (hold.action, hold.seq, hold.agent_id),
            (CallAction::Hold, 0, alex_id)
        );
        let told = until(&mut acd_events, 10, command).await;
        assert_eq!(told, hold);
        acd.post_call(&call("c1", CallEventKind::Held, Some(alex_id), 0))
            .await
            .expect("held");
        let boss = srv.supervisor();
        let on_board = |agents: Vec<AgentStatus>, id: AgentId| {
            agents
                .into_iter()
                .find(|a| a.agent_id == id)
                .expect("on the board")
        };
        let board = boss.agent_board().await.expect("board").agents;
        assert!(on_board(board, alex_id).on_hold_since.is_some());
        refused(
            alex.control_call("c1", CallAction::Hold).await,
            422,
            "already on hold",
        );
        let resume = alex
            .control_call("c1", CallAction::Resume)
            .await
            .expect("resume");
        assert_eq!((resume.action, resume.seq), (CallAction::Resume, 0));
        assert_eq!(until(&mut acd_events, 10, command).await, resume);
        acd.post_call(&call("c1", CallEventKind::Resumed, Some(alex_id), 0))
            .await
            .expect("resumed");
        let board = boss.agent_board().await.expect("board").agents;
        assert_eq!(on_board(board, alex_id).on_hold_since, None);
        refused(
            alex.control_call("c1", CallAction::Resume).await,
            422,
            "not on hold",
        );
        // A second hold is numbered 1.
        let again = alex
            .control_call("c1", CallAction::Hold)
            .await
            .expect("hold");
        assert_eq!(again.seq, 1);
        until(&mut acd_events, 10, command).await;
        acd.post_call(&call("c1", CallEventKind::Held, Some(alex_id), 1))
            .await
            .expect("held again");
        acd.post_call(&call("c1", CallEventKind::Resumed, Some(alex_id), 1))
            .await
            .expect("resumed again");

        // Who may: not another agent, not the ACD; a supervisor may.
        refused(
            bo.control_call("c1", CallAction::HangUp).await,
            403,
            "only the agent on a call",
        );
        refused(
            acd.control_call("c1", CallAction::HangUp).await,
            403,
            "system",
        );
        refused(
            alex.control_call(&"x".repeat(129), CallAction::Hold).await,
            400,
            "call_id",
        );

        // Transfer: refused when it names nothing, two things, or itself.
        let transfer =
            |to_agent_id: Option<AgentId>, to_queue: Option<&str>, note: &str| NewTransfer {
                to_agent_id,
                to_queue: to_queue.map(str::to_string),
                warm: true,
                note: note.into(),
                notes: "Asked why the late fee was charged twice".into(),
            };
        for (bad, status, says) in [
            (transfer(Some(bo_id), Some("tech"), "x"), 422, "exactly one"),
            (transfer(None, None, "x"), 422, "exactly one"),
            (transfer(None, Some("nosuch"), "x"), 422, "unknown queue"),
            (transfer(Some(alex_id), None, "x"), 422, "already theirs"),
            (transfer(Some(bo_id), None, "  "), 400, "note"),
        ] {
            refused(alex.transfer_call("c1", &bad).await, status, says);
        }
        let sent = alex
            .transfer_call(
                "c1",
                &transfer(Some(bo_id), None, "Billing dispute, needs Bo"),
            )
            .await
            .expect("transfer");
        let order = sent.transfer.clone().expect("where to");
        assert_eq!(order.new_call_id, format!("t{}-c1", sent.id));
        assert_eq!(
            (order.to_agent_id, order.to_queue.as_str(), order.warm),
            (Some(bo_id), "billing", true)
        );
        assert_eq!(until(&mut acd_events, 10, command).await, sent);
        refused(
            alex.transfer_call("c1", &transfer(None, Some("tech"), "again"))
                .await,
            422,
            "transferred already",
        );
        // The ACD rings Bo on the new leg; Bo's desk pops with the context.
        let leg = order.new_call_id.as_str();
        acd.post_call(&call(leg, CallEventKind::Offered, None, 0))
            .await
            .expect("new leg offered");
        acd.post_call(&call(leg, CallEventKind::Answered, Some(bo_id), 0))
            .await
            .expect("new leg answered");
        let pop = until(&mut bo_events, 10, |e| match e {
            FloorEvent::ContactOffered(o) if o.call_id == leg => Some(o),
            _ => None,
        })
        .await;
        let context = pop.transfer.expect("the transfer's context");
        assert_eq!(context.from_agent_id, alex_id);
        assert_eq!(context.note, "Billing dispute, needs Bo");
        assert_eq!(context.notes, "Asked why the late fee was charged twice");
        assert_eq!(
            (context.from_queue.as_str(), context.to_queue.as_str()),
            ("billing", "billing")
        );
        assert!(pop.customer_id.is_some(), "Dana pops on Bo's desk");
        // Warm: Alex stays on until the ACD ends the first leg.
        let board = boss.agent_board().await.expect("board").agents;
        assert_eq!(on_board(board, alex_id).state, AgentState::OnContact);
        acd.post_call(&call("c1", CallEventKind::Ended, Some(alex_id), 0))
            .await
            .expect("first leg ended");
        let board = boss.agent_board().await.expect("board").agents;
        assert_eq!(on_board(board.clone(), alex_id).state, AgentState::WrapUp);
        assert_eq!(on_board(board, bo_id).state, AgentState::OnContact);
        // The transfer is in Dana's timeline.
        let timeline = alex
            .timeline(pop.customer_id.expect("Dana"), &TimelineQuery::default())
            .await
            .expect("timeline");
        assert!(
            timeline.events.iter().any(|e| e.summary
                == "Transferred by Alex Agent · billing → billing: Billing dispute, needs Bo"
                && e.outcome.as_deref() == Some("transferred")),
            "{:?}",
            timeline
                .events
                .iter()
                .map(|e| &e.summary)
                .collect::<Vec<_>>()
        );
        // A supervisor may hang up Bo's call; the ACD is told.
        let end = boss
            .control_call(leg, CallAction::HangUp)
            .await
            .expect("hang up");
        assert_eq!(
            (end.agent_id, end.requested_by),
            (bo_id, boss.me().await.expect("me").id)
        );
        assert_eq!(until(&mut acd_events, 10, command).await, end);
    }
}

#[tokio::test]
async fn the_simulator_obeys_what_the_desks_ask() {
    use switchboard::sim::calls::{self as simulator, SimOptions};
    for srv in servers() {
        let callers = srv.sim_callers().await;
        let acd = Client::new(
            &srv.base,
            &common::add_agent(&srv.db.url, "Test ACD", "system", "0"),
        )
        .expect("client");
        let alex = srv.agent();
        let alex_id = alex.me().await.expect("me").id;
        let bo = Client::new(
            &srv.base,
            &common::add_agent(&srv.db.url, "Bo Chen", "agent", "50"),
        )
        .expect("client");
        let bo_id = bo.me().await.expect("me").id;
        let mut alex_events = Box::pin(alex.events(None).await.expect("Alex's desk listens"));
        let mut bo_events = Box::pin(bo.events(None).await.expect("Bo's desk listens"));
        let lunch = NewAgentState {
            state: SettableState::NotReady,
            reason: Some("lunch".into()),
        };
        let available = NewAgentState {
            state: SettableState::Available,
            reason: None,
        };
        bo.set_state(&lunch).await.expect("Bo at lunch");
        alex.set_state(&available).await.expect("Alex available");
        // Only real desks take calls: the simulator plays none of its agents.
        let options = SimOptions {
            speed: 20.0,
            seed: 7,
            agents: Some(0),
            warm_up: false,
            start_hour: Some(11.0),
            callers,
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let sim = tokio::spawn(simulator::run(acd, options, async {
            let _ = stopped.await;
        }));
        let offered = until(&mut alex_events, 30, |e| match e {
            FloorEvent::ContactOffered(o) => Some(o),
            _ => None,
        })
        .await;
        let id = offered.call_id.as_str();
        let mine = |held: bool| {
            move |e: FloorEvent| match e {
                FloorEvent::AgentState(s)
                    if s.agent_id == alex_id && s.on_hold_since.is_some() == held =>
                {
                    Some(s)
                }
                _ => None,
            }
        };
        alex.control_call(id, CallAction::Hold).await.expect("hold");
        until(&mut alex_events, 10, mine(true)).await;
        alex.control_call(id, CallAction::Resume)
            .await
            .expect("resume");
        until(&mut alex_events, 10, mine(false)).await;
        let sent = alex
            .transfer_call(
                id,
                &NewTransfer {
                    to_agent_id: Some(bo_id),
                    to_queue: None,
                    warm: false,
                    note: "Wants Bo".into(),
                    notes: "Moving house next month".into(),
                },
            )
            .await
            .expect("transfer");
        // Cold: Alex is off the call at once; the caller waits for Bo.
        until(&mut alex_events, 10, |e| match e {
            FloorEvent::AgentState(s) if s.agent_id == alex_id && s.state == AgentState::WrapUp => {
                Some(())
            }
            _ => None,
        })
        .await;
        bo.set_state(&available).await.expect("Bo back");
        let leg = sent.transfer.expect("a new leg").new_call_id;
        let pop = until(&mut bo_events, 10, |e| match e {
            FloorEvent::ContactOffered(o) if o.call_id == leg => Some(o),
            _ => None,
        })
        .await;
        let context = pop.transfer.expect("the transfer's context");
        assert_eq!(
            (
                context.from_agent_id,
                context.note.as_str(),
                context.notes.as_str()
            ),
            (alex_id, "Wants Bo", "Moving house next month")
        );
        assert_eq!(pop.caller, offered.caller, "the same caller");
        let _ = stop.send(());
        sim.await.expect("joined").expect("simulator");
    }
}
