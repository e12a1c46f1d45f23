//! The shipped catalog loads and covers the demo's world; mistakes in a
//! catalog file are each named with their line and column.

use super::*;

#[test]
fn the_shipped_catalog_loads_and_covers_the_demo_world() {
    let catalog = Catalog::shipped().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        catalog.actions.len() >= 20,
        "{} actions",
        catalog.actions.len()
    );
    for code in [
        "waive_late_fee",
        "waive_overdraft_fee",
        "payment_plan",
        "set_up_autopay",
        "update_contact_details",
        "escalate",
        "senior_handoff",
        "retention_offer",
        "retention_loyalty_discount",
        "plan_upgrade",
        "add_on",
        "loyalty_reward",
        "thank_long_tenure",
        "birthday",
        "new_baby",
        "marriage",
        "graduation",
        "promotion",
        "apology_credit",
        "specialist_callback",
    ] {
        assert!(catalog.action(code).is_some(), "{code} is missing");
    }
    for kind in ActionKind::ALL {
        assert!(
            catalog.actions.iter().any(|a| a.kind == *kind),
            "no {kind:?} action"
        );
    }
    // Outcomes the desk logged under the first rules' names still count.
    assert_eq!(
        catalog.action("waive_fee").map(|a| a.code.as_str()),
        Some("waive_late_fee")
    );
    assert_eq!(catalog.settings.max_shown, 5);
    assert!(catalog.quiet_hours.is_some());
}

fn errors(text: &str) -> Vec<String> {
    match Catalog::parse("cat.toml", text) {
        Ok(_) => vec![],
        Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
    }
}

const GOOD: &str = r#"
[groups.fees]
exclusive = true

[[action]]
code = "waive_late_fee"
name = "Waive the late fee"
kind = "service"
opens = "waiver"
fee = "late_payment"
group = "fees"
when = ["late_fee_outstanding > 0"]
value = "late_fee_outstanding"
prior = 0.5
"#;

#[test]
fn a_small_catalog_loads() {
    assert_eq!(errors(GOOD), Vec::<String>::new());
}

#[test]
fn every_mistake_is_named_with_its_place() {
    let bad = GOOD
        .replace(
            "\"late_fee_outstanding > 0\"",
            "\"late_fee_outstandin > 0\"",
        )
        .replace("kind = \"service\"", "kind = \"servce\"")
        .replace("prior = 0.5", "prior = 1.5")
        .replace("group = \"fees\"", "group = \"fee\"");
    let found = errors(&bad);
    let has = |text: &str| found.iter().any(|e| e.contains(text));
    assert!(has("cat.toml:12:9: unknown fact `late_fee_outstandin` (did you mean `late_fee_outstanding`?)"), "{found:#?}");
    assert!(
        has("cat.toml:8:8: unknown kind `servce` (did you mean `service`?)"),
        "{found:#?}"
    );
    assert!(
        has("cat.toml:14:9: a prior is between 0 and 1"),
        "{found:#?}"
    );
    assert!(
        has("cat.toml:11:9: unknown group `fee` (did you mean `fees`?)"),
        "{found:#?}"
    );
}

#[test]
fn what_an_action_needs_is_checked() {
    let no_fee = GOOD.replace("fee = \"late_payment\"\n", "");
    assert!(errors(&no_fee)
        .iter()
        .any(|e| e.contains("opens `waiver` needs `fee`")));
    let twice = format!("{GOOD}\n[[action]]\ncode = \"waive_late_fee\"\nname = \"x\"\nkind = \"care\"\nopens = \"info\"\ngroup = \"fees\"\nvalue = 1\nprior = 0.5\n");
    assert!(errors(&twice)
        .iter()
        .any(|e| e.contains("already the code")));
    let bad_value = GOOD.replace(
        "value = \"late_fee_outstanding\"",
        "value = \"late_fee_outstanding * segment\"",
    );
    assert!(errors(&bad_value)
        .iter()
        .any(|e| e.contains("numeric fact")));
    let bad_reason = GOOD.replace(
        "prior = 0.5",
        "prior = 0.5\nreasons = [\"{segment:money}\"]",
    );
    assert!(errors(&bad_reason)
        .iter()
        .any(|e| e.contains("is not a number")));
    let unknown_top = format!("[setings]\nmax_shown = 3\n{GOOD}");
    assert!(errors(&unknown_top)
        .iter()
        .any(|e| e.contains("unknown table `setings` (did you mean `settings`?)")));
}

#[test]
fn exploration_defaults_to_a_quarter_and_must_be_above_0_and_at_most_1() {
    let catalog = Catalog::parse("cat.toml", GOOD).expect("loads");
    assert_eq!(catalog.settings.exploration, 0.25);
    let plain = format!("[settings]\nexploration = 1\n{GOOD}");
    let catalog = Catalog::parse("cat.toml", &plain).expect("loads");
    assert_eq!(catalog.settings.exploration, 1.0);
    let found = errors(&format!("[settings]\nexploration = 0\n{GOOD}"));
    assert!(
        found
            .iter()
            .any(|e| e.contains("cat.toml:2:15: exploration is above 0 and at most 1")),
        "{found:#?}"
    );
}
