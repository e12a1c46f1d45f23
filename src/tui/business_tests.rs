//! A business caller at the desk, through `update` with the default keymap:
//! a contact acting for two organisations is asked which one this call is
//! for; the pick steers the suggestions, the account, the wrap-up (logged
//! against it, tone flagged) and the waiver (of its charges).

use super::*;
use crate::api::Write;
use crate::domain::{Affiliation, ContactRole, Currency, Fee, FeeId, FeeKind, Money, Tier};
use crate::tui::state::Overlay;

const HARBOR: CustomerId = CustomerId(90);
const LAKESIDE: CustomerId = CustomerId(91);

fn affiliation(id: CustomerId, name: &str, tier: Tier, charges: Vec<Fee>) -> Affiliation {
    Affiliation {
        organisation_id: id,
        organisation: name.into(),
        tier,
        role: ContactRole::Purchaser,
        authority: None,
        key_account_manager: None,
        last_chosen: None,
        charges,
        annual_revenue: Some(Money::new(20_000_000, Currency::USD)),
    }
}

/// Lakeside's $450 late-payment charge.
fn lakeside_charge() -> Fee {
    let usd = Money::new(45_000, Currency::USD);
    Fee {
        id: FeeId(70),
        kind: FeeKind::LatePayment,
        charged_at: chrono::Utc::now(),
        amount: usd,
        outstanding: usd,
        waiver_pending: false,
    }
}

/// Sam popped for a call, acting for Harbor (called for last) and Lakeside;
/// the server's profile has arrived. Returns the effects of its arrival.
fn sam_popped(s: &mut AppState) -> Vec<Effect> {
    s.refdata = Some(crate::tui::forms::tests::refdata());
    let effects = open_customer(
        s,
        summary(1, "Sam Okafor", "+13125550164"),
        Some("popped for 312.555.0164".into()),
    );
    let Some(Effect::LoadCustomer { request, .. }) = effects.first() else {
        panic!("{effects:?}");
    };
    let mut profile = crate::tui::forms::tests::customer();
    profile.acts_for = vec![
        affiliation(HARBOR, "Harbor", Tier::KeyAccount, vec![]),
        affiliation(LAKESIDE, "Lakeside", Tier::Managed, vec![lakeside_charge()]),
    ];
    update(
        s,
        Action::CustomerLoaded {
            request: *request,
            id: CustomerId(1),
            reply: Ok(profile),
            cached_at: None,
        },
    )
}

/// Ctrl-s, then enter on the confirm step: what is sent.
fn send(s: &mut AppState) -> Write {
    update(s, ctrl('s'));
    update(s, key(KeyCode::Enter))
        .into_iter()
        .find_map(|e| match e {
            Effect::Submit { request, .. } => Some(request),
            _ => None,
        })
        .unwrap_or_else(|| panic!("nothing sent; notice: {:?}", s.notice))
}

#[test]
fn a_caller_for_two_organisations_is_asked_which_and_the_desk_follows_the_pick() {
    let mut s = state();
    let effects = sam_popped(&mut s);
    // The last one called for is taken until the agent picks another.
    assert!(
        matches!(effects.as_slice(), [Effect::LoadOrganisation { organisation, .. }] if *organisation == HARBOR),
        "{effects:?}"
    );
    let Some(Overlay::ActingFor(choice)) = &s.overlay else {
        panic!("the chooser asks: {:?}", s.overlay);
    };
    assert_eq!(
        choice.selected().map(|(code, _)| code.as_str()),
        Some("90"),
        "Harbor highlighted"
    );
    update(&mut s, key(KeyCode::Down));
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(s.overlay.is_none());
    let view = s.customer.as_ref().expect("open");
    assert_eq!(view.acting_for, Some(LAKESIDE));
    assert_eq!(
        view.affiliation().map(|a| a.organisation.as_str()),
        Some("Lakeside")
    );
    // The suggestions are decided for Lakeside's account.
    assert!(
        effects.iter().any(|e| matches!(e,
            Effect::LoadSuggestions { query, .. } if query.acting_for == Some(LAKESIDE))),
        "{effects:?}"
    );
    // The server's copy arrives again: Lakeside's account is loaded and the
    // chooser does not ask twice.
    let request = s.customer.as_ref().map(|v| v.request).expect("open");
    let profile = s
        .customer
        .as_ref()
        .and_then(|v| v.profile.clone())
        .expect("profile");
    let effects = update(
        &mut s,
        Action::CustomerLoaded {
            request,
            id: CustomerId(1),
            reply: Ok(profile),
            cached_at: None,
        },
    );
    assert!(
        matches!(effects.as_slice(), [Effect::LoadOrganisation { organisation, .. }] if *organisation == LAKESIDE),
        "{effects:?}"
    );
    assert!(s.overlay.is_none());
    // `a` shows Lakeside's whole account.
    let effects = update(&mut s, key(KeyCode::Char('a')));
    assert!(
        matches!(effects.as_slice(), [Effect::LoadTimeline { account: Some(org), .. }] if *org == LAKESIDE),
        "{effects:?}"
    );

    // The wrap-up is logged against Lakeside, the caller's tone flagged.
    update(&mut s, key(KeyCode::Char('l')));
    typed(&mut s, "late");
    update(&mut s, key(KeyCode::Enter));
    // Enter went on to the notes; then outcome, channel, tone.
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Tab));
    }
    typed(&mut s, "curt");
    let sent = send(&mut s);
    let Write::Interaction(log) = &sent else {
        panic!("{sent:?}");
    };
    assert_eq!(
        (log.customer_id, log.acting_for, log.tone_flagged),
        (CustomerId(1), Some(LAKESIDE), true)
    );
    // The confirm step says so in words.
    let said = review(&s, &sent);
    assert!(
        said[0].starts_with("Log a voice contact with Maria Gonzalez for Lakeside:"),
        "{said:?}"
    );
    assert!(
        said.iter().any(|l| l.starts_with("Tone flagged")),
        "{said:?}"
    );
}

#[test]
fn a_business_contacts_waiver_is_of_the_accounts_charges_unless_a_suggestion_names_their_own() {
    let mut s = state();
    sam_popped(&mut s);
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Char('w')));
    let form = s.active_form().expect("the waiver form");
    assert_eq!(form.account.as_ref().map(|a| a.id), Some(LAKESIDE));
    update(&mut s, key(KeyCode::Tab));
    typed(&mut s, "goodwill");
    let sent = send(&mut s);
    let Write::FeeWaiver(waiver) = &sent else {
        panic!("{sent:?}");
    };
    assert_eq!(waiver.customer_id, LAKESIDE, "Lakeside's charge, not Sam's");
    assert_eq!(
        waiver.fees.iter().map(|f| f.fee_id).collect::<Vec<_>>(),
        [FeeId(70)]
    );

    // A suggestion naming the contact's own fee waives their own.
    let profile = s
        .customer
        .as_ref()
        .and_then(|v| v.profile.clone())
        .expect("profile");
    let account = profile.acts_for.get(1);
    let (fees, scope) = crate::tui::forms::model::waiver_scope(&profile, account, Some(FeeId(3)));
    assert!(scope.is_none());
    assert_eq!(fees, profile.outstanding_fees.as_slice());
    // Harbor owes nothing: Sam's own fees.
    let (_, scope) =
        crate::tui::forms::model::waiver_scope(&profile, profile.acts_for.first(), None);
    assert!(scope.is_none());
}

#[test]
fn at_80_columns_the_other_organisations_and_the_key_that_picks_stay_whole() {
    let mut s = state();
    sam_popped(&mut s);
    update(&mut s, key(KeyCode::Enter));
    let profile = s
        .customer
        .as_mut()
        .and_then(|v| v.profile.as_mut())
        .expect("profile");
    profile.acts_for[0].organisation =
        "Harbor Industrial Supply and Logistics of the Great Lakes".into();
    let rows = crate::tui::testkit::rows(&s, 80, 24);
    let line = rows
        .iter()
        .take(6)
        .find(|r| r.contains("Purchaser at"))
        .unwrap_or_else(|| panic!("no business line in:\n{}", rows.join("\n")));
    assert!(line.trim_end().ends_with("+1 more (b: which)"), "{line}");
    assert!(line.contains("Harbor Industrial"), "{line}");
}
