//! End-to-end: logging, quick-logging, escalating and waiving by keyboard in the
//! real desk (pseudo-terminal) against a real server, checked through the API.

mod common;

use common::pty::Desk;
use common::{TestDb, TestServer};
use switchboard::api::*;
use switchboard::domain::*;

const ESC: &str = "\u{1b}";
const CTRL_R: &str = "\u{12}";
const CTRL_S: &str = "\u{13}";
const CTRL_P: &str = "\u{10}";
const TAB: &str = "\t";
const RIGHT: &str = "\u{1b}[C";
const DOWN: &str = "\u{1b}[B";

/// The number after `#` in the desk's "… (#12)" confirmation.
fn record_id(screen: &str) -> i64 {
    let after = screen
        .split("(#")
        .nth(1)
        .expect("a record number on screen");
    after
        .split(')')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number")
}

async fn audit(srv: &TestServer, customer: CustomerId, action: &str) -> Vec<AuditEntry> {
    srv.supervisor()
        .audit(&AuditQuery {
            customer_id: Some(customer),
            limit: Some(500),
            kind: None,
        })
        .await
        .expect("audit")
        .entries
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

#[tokio::test]
async fn a_wrap_up_by_keyboard_alone_is_exactly_the_record_the_server_keeps() {
    let srv = TestServer::start(TestDb::sqlite());
    let mut d = Desk::agent_on(&srv, "AC00000001");
    d.send("l");
    d.wait_for("Log interaction");
    // The routine path: three letters of the disposition, enter, the note.
    d.type_text("lat");
    d.send("\r");
    d.type_text("Explained the fee; set up autopay.");
    d.send("\r");
    d.type_text("Will watch the next bill.");
    // Outcome, channel, tone, tags, follow-up, then the suggestions.
    for _ in 0..6 {
        d.send(TAB);
    }
    d.wait_for("[not offered]");
    // The first: accepted; the second: declined.
    d.send(RIGHT);
    d.send(DOWN);
    d.send(RIGHT);
    d.send(RIGHT);
    d.send(CTRL_S);
    d.wait_for("This will be sent");
    // In words first; ctrl-r shows the exact request, and again the words.
    d.wait_for("Log a voice contact with Maria Gonzalez: Billing › Late fee explained");
    d.send(CTRL_R);
    d.wait_for("disposition_code: billing.late_fee");
    d.send(CTRL_R);
    d.wait_for("Log a voice contact with Maria Gonzalez");
    // A double press: both keys arrive together; one record results.
    d.send("\r\r");
    d.wait_for("Interaction logged (#");
    let id = record_id(&d.contents());
    let record = srv
        .agent()
        .interaction(InteractionId(id))
        .await
        .expect("the logged record");
    assert_eq!(record.disposition_code, "billing.late_fee");
    assert_eq!(
        record.notes,
        "Explained the fee; set up autopay.\nWill watch the next bill."
    );
    assert_eq!(record.outcome, InteractionOutcome::Resolved);
    // The first suggestion accepted, the second declined, the rest not
    // offered: all answering the one decision the desk was shown.
    let verdicts: Vec<SuggestionVerdict> = record
        .suggestion_outcomes
        .iter()
        .map(|o| o.verdict)
        .collect();
    let count = |v| verdicts.iter().filter(|x| **x == v).count();
    assert_eq!(count(SuggestionVerdict::Accepted), 1, "{verdicts:?}");
    assert_eq!(count(SuggestionVerdict::Declined), 1, "{verdicts:?}");
    assert_eq!(
        count(SuggestionVerdict::NotOffered),
        verdicts.len() - 2,
        "{verdicts:?}"
    );
    let decision = record.suggestion_outcomes[0].decision_id;
    assert!(decision.is_some());
    assert!(record
        .suggestion_outcomes
        .iter()
        .all(|o| o.decision_id == decision));
    // Enter pressed twice on the confirm step still made one record.
    assert_eq!(audit(&srv, CustomerId(1), "interaction").await.len(), 1);
    // The timeline shows it at once.
    d.wait_for("Billing › Late fee explained · resolved");

    // Quick log from the palette, in one line.
    d.send(CTRL_P);
    d.type_text("log orders.status customer asked where the parcel is");
    d.send("\r");
    d.wait_for("Interaction logged");
    assert_eq!(audit(&srv, CustomerId(1), "interaction").await.len(), 2);
}

#[tokio::test]
async fn escalating_shows_on_the_timeline_and_cancel_asks_first() {
    let srv = TestServer::start(TestDb::sqlite());
    let mut d = Desk::agent_on(&srv, "AC00000001");
    d.send("e");
    d.wait_for("Escalate");
    d.wait_for("Third contact this week");
    // Cancelling a form with something typed asks before throwing it away.
    d.type_text("tier 2");
    d.send(ESC);
    d.wait_for("Discard what you typed?");
    d.send(DOWN);
    d.wait_for("Tier 2 support");
    d.send("\r");
    d.send("\r");
    d.type_text("repeat");
    d.send(CTRL_S);
    d.wait_for("Escalate Maria Gonzalez to Tier 2 support");
    d.send(CTRL_R);
    d.wait_for("target_code: tier2");
    d.send("\r");
    d.wait_for("Escalated to tier2");
    d.wait_for("Escalated to Tier 2 support");
    assert_eq!(audit(&srv, CustomerId(1), "escalation").await.len(), 1);
}

#[tokio::test]
async fn waivers_within_the_limit_apply_and_above_it_wait_for_approval() {
    let srv = TestServer::start(TestDb::sqlite());
    let mut d = Desk::agent_on(&srv, "AC00000001");
    d.wait_for("fees $35.00 (1)");
    // Acting on the late-fee waiver suggestion opens the form pre-filled.
    let n = d.suggestion_shown("Waive the late fee");
    d.send(&n.to_string());
    d.wait_for("Waive fees");
    d.wait_for("within it");
    d.send(TAB);
    d.type_text("goodwill");
    d.send(CTRL_S);
    d.wait_for("This will be sent");
    d.send("\r");
    d.wait_for("Waived $35.00");
    d.wait_for("no fees due");
    let maria = srv.agent().customer(CustomerId(1)).await.expect("maria");
    assert!(maria.outstanding_fees.is_empty());

    let mut d = Desk::agent_on(&srv, "+1 212 555 0199");
    d.send("w");
    d.wait_for("ABOVE: goes for approval");
    d.send(TAB);
    d.type_text("goodwill");
    d.send(CTRL_S);
    d.wait_for("This will be sent");
    d.send("\r");
    d.wait_for("approval");
    d.wait_for("fees $750.00 (1)");
    let dana = srv.agent().customer(CustomerId(12)).await.expect("dana");
    assert_eq!(
        dana.outstanding_fees.len(),
        1,
        "nothing waived before approval"
    );
}

#[tokio::test]
async fn a_refused_waiver_shows_the_servers_reason_and_keeps_the_form() {
    let srv = TestServer::start(TestDb::sqlite());
    let mut d = Desk::agent_on(&srv, "AC00000001");
    d.wait_for("fees $35.00 (1)");
    d.send("w");
    d.wait_for("Waive fees");
    // Meanwhile a supervisor waives the same fee elsewhere.
    let fee = srv
        .agent()
        .customer(CustomerId(1))
        .await
        .expect("maria")
        .outstanding_fees[0]
        .clone();
    let body = NewFeeWaiver {
        customer_id: CustomerId(1),
        fees: vec![WaiverItem {
            fee_id: fee.id,
            amount: fee.outstanding,
        }],
        reason_code: "goodwill".into(),
        note: String::new(),
    };
    srv.supervisor()
        .waive_fees("elsewhere", &body)
        .await
        .expect("supervisor waiver");
    d.send(TAB);
    d.type_text("goodwill");
    d.send(CTRL_S);
    d.wait_for("This will be sent");
    d.send("\r");
    d.wait_for("Refused: fee");
    d.wait_for("already been waived");
    d.wait_for("Waive fees");
    // The server commits the refusal's audit entry before it answers, so the
    // count is final once the desk shows the answer.
    assert_eq!(
        audit(&srv, CustomerId(1), "fee_waiver")
            .await
            .iter()
            .filter(|e| e.outcome == "refused")
            .count(),
        1
    );
}
