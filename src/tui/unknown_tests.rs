//! An unknown caller on the desk (issue 15), through `update`: a pop of a
//! number no customer has offers the ways on; the number alone, a new
//! customer (a name required, the same request resent under the same key)
//! and the number added to a customer found by search each send one write,
//! and the customer it answers with opens.

use super::*;
use crate::api::Write;

/// A pop of `number` that the server found no one for.
fn unknown_pop(s: &mut AppState, number: &str) {
    let effects = pop(s, number);
    let Some(Effect::Lookup { request, query }) = effects.first().cloned() else {
        panic!("a lookup");
    };
    update(
        s,
        Action::PopResults {
            request,
            query,
            reply: Ok(vec![]),
        },
    );
}

fn written(effects: &[Effect]) -> (String, Write) {
    match effects {
        [Effect::WriteCustomer { key, write }] => (key.clone(), write.clone()),
        other => panic!("a write, got {other:?}"),
    }
}

fn pick(s: &mut AppState, downs: usize) -> Vec<Effect> {
    for _ in 0..downs {
        update(s, key(KeyCode::Down));
    }
    update(s, key(KeyCode::Enter))
}

fn customer(id: i64, name: &str) -> crate::domain::Customer {
    let mut c = crate::tui::forms::tests::customer();
    c.id = CustomerId(id);
    c.name = name.into();
    c
}

#[test]
fn the_number_alone_is_written_and_opens() {
    let mut s = state();
    unknown_pop(&mut s, "+1 212 555 0177");
    assert!(
        matches!(&s.overlay, Some(Overlay::UnknownCaller { number, .. }) if number == "+1 212 555 0177")
    );
    assert!(s
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("No customer has")));
    let (first, write) = written(&pick(&mut s, 1));
    let Write::NewCustomer(record) = write else {
        panic!("a new customer");
    };
    assert_eq!(
        (record.name, record.phone.as_str()),
        (None, "+1 212 555 0177")
    );
    // The link failed; picked again, it goes under the same key.
    update(
        &mut s,
        Action::CustomerWritten(Err(crate::tui::action::Failure::Unreachable("down".into()))),
    );
    unknown_pop(&mut s, "+1 212 555 0177");
    let (again, _) = written(&pick(&mut s, 1));
    assert_eq!(again, first);
    update(
        &mut s,
        Action::CustomerWritten(Ok(customer(40, "Caller +12125550177"))),
    );
    assert_eq!(s.customer.as_ref().map(|v| v.id), Some(CustomerId(40)));
    // Not a number: a search, as before.
    let effects = pop(&mut s, "nobody@example.com");
    let Some(Effect::Lookup { request, .. }) = effects.first().cloned() else {
        panic!("a lookup");
    };
    update(
        &mut s,
        Action::PopResults {
            request,
            query: "nobody@example.com".into(),
            reply: Ok(vec![]),
        },
    );
    assert_eq!(s.screen, Screen::Search);
}

#[test]
fn a_new_customer_needs_a_name_and_is_resent_under_the_same_key() {
    let mut s = state();
    unknown_pop(&mut s, "+14155550999");
    pick(&mut s, 0);
    assert!(matches!(s.overlay, Some(Overlay::NewCustomer(_))));
    assert!(
        update(&mut s, key(KeyCode::Enter)).is_empty(),
        "no name yet"
    );
    assert!(s
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("needs a name")));
    typed(&mut s, "Nia Okafor");
    update(&mut s, key(KeyCode::Tab));
    typed(&mut s, "nia@example.com");
    let (first_key, write) = written(&update(&mut s, key(KeyCode::Enter)));
    let Write::NewCustomer(record) = write else {
        panic!("a new customer");
    };
    assert_eq!(record.name.as_deref(), Some("Nia Okafor"));
    assert_eq!(record.email.as_deref(), Some("nia@example.com"));
    assert_eq!(record.phone, "+14155550999");
    // The link failed: the prompt is still there, and sending the same
    // again reuses the key.
    update(
        &mut s,
        Action::CustomerWritten(Err(crate::tui::action::Failure::Unreachable("down".into()))),
    );
    assert!(matches!(s.overlay, Some(Overlay::NewCustomer(_))));
    let (again, _) = written(&update(&mut s, key(KeyCode::Enter)));
    assert_eq!(again, first_key);
    // Changed, it is a new request: a new key.
    typed(&mut s, ".uk");
    let (changed, _) = written(&update(&mut s, key(KeyCode::Enter)));
    assert_ne!(changed, first_key);
}

#[test]
fn the_number_is_added_to_the_customer_picked_in_search() {
    let mut s = state();
    unknown_pop(&mut s, "+12125550177");
    pick(&mut s, 2);
    assert_eq!(s.screen, Screen::Search);
    assert_eq!(s.search.adding_number.as_deref(), Some("+12125550177"));
    s.search.rows = vec![crate::tui::search::model::SearchRow {
        customer: summary(12, "Dana Whitfield", "+12125550199"),
        matched_on: MatchedOn::Name,
        exact: false,
        from_server: true,
    }];
    let (_, write) = written(&update(&mut s, key(KeyCode::Enter)));
    let Write::AddPhone(added) = write else {
        panic!("a number added");
    };
    assert_eq!(
        (added.customer_id, added.phone.phone.as_str()),
        (CustomerId(12), "+12125550177")
    );
    update(
        &mut s,
        Action::CustomerWritten(Ok(customer(12, "Dana Whitfield"))),
    );
    assert_eq!(s.customer.as_ref().map(|v| v.id), Some(CustomerId(12)));
    assert_eq!(s.search.adding_number, None);
}
