//! An unknown caller on the real desk in a pseudo-terminal, against a real
//! server: a pop of a number no customer has offers the ways on; the number
//! alone opens as its own record, and a new customer typed in the prompt
//! opens by name, found by the number afterwards.

mod common;

use common::pty::Desk;
use common::{TestDb, TestServer};
use switchboard::api::LookupQuery;

const ENTER: &str = "\r";
const DOWN: &str = "\u{1b}[B";

#[tokio::test]
async fn an_unknown_number_becomes_a_record_or_a_new_customer_from_the_desk() {
    let srv = TestServer::start(TestDb::sqlite());
    let mut d = Desk::agent_popping(&srv, "+1 212 555 0177");
    d.wait_for("No customer has +1 212 555 0177");
    d.wait_for("Log against this number only");
    d.send(DOWN);
    d.send(ENTER);
    d.wait_for("Caller +12125550177");

    // Another number: a new customer, by name.
    d.send("p");
    d.type_text("415 555 0999");
    d.send(ENTER);
    d.wait_for("New customer (the number filled in)");
    d.send(ENTER);
    d.wait_for("New customer on 415 555 0999");
    d.type_text("Nia Okafor");
    d.send(ENTER);
    d.wait_for("Saved: Nia Okafor");
    let found = srv
        .agent()
        .lookup(&LookupQuery {
            phone: Some("+14155550999".into()),
            email: None,
            account: None,
        })
        .await
        .expect("lookup")
        .matches;
    assert_eq!(
        found.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Nia Okafor"]
    );
}
