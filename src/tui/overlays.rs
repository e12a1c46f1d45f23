//! The overlays drawn over a screen (help, palette, pop prompt, choosers,
//! the needs-attention list, the decision prompt): opening them, moving
//! within them, and what enter does in each. The palette's enter is the
//! dispatcher's, since it runs a command.

use crate::tui::action::Effect;
use crate::tui::boards::update as boards;
use crate::tui::floor::calls;
use crate::tui::floor::update as floor;
use crate::tui::forms::editing;
use crate::tui::help;
use crate::tui::input::TextInput;
use crate::tui::list::step;
use crate::tui::offline::update as offline;
use crate::tui::palette::model::palette_commands;
use crate::tui::search::pop as screen_pop;
use crate::tui::search::pop::pop;
use crate::tui::state::{AppState, Overlay};
use crate::tui::workspace::update::{act_for, acting_for_chooser, open_customer};

/// "Why not?" opens over the customer screen (with the decision in), or
/// closes if open.
pub fn toggle_why_not(state: &mut AppState) -> Vec<Effect> {
    if matches!(state.overlay, Some(Overlay::WhyNot { .. })) {
        state.overlay = None;
        return vec![];
    }
    match state.customer.as_ref() {
        Some(view) if view.suggestions.is_some() => {
            state.overlay = Some(Overlay::WhyNot { scroll: 0 });
        }
        Some(_) => state.notify(
            crate::tui::state::Level::Info,
            "The suggestions are still loading; try again in a moment",
        ),
        None => {}
    }
    vec![]
}

/// The account overlay opens over a business customer (with the account
/// in), or closes if open.
pub fn toggle_account(state: &mut AppState) -> Vec<Effect> {
    if matches!(state.overlay, Some(Overlay::Account { .. })) {
        state.overlay = None;
        return vec![];
    }
    let Some(view) = state.customer.as_ref() else {
        return vec![];
    };
    let business = view.profile.as_ref().is_some_and(|p| {
        p.kind == crate::domain::PartyKind::Organisation || !p.acts_for.is_empty()
    });
    match (business, view.organisation.is_some()) {
        (true, true) => state.overlay = Some(Overlay::Account { scroll: 0 }),
        (true, false) => state.notify(
            crate::tui::state::Level::Info,
            "The account is still loading; try again in a moment",
        ),
        (false, _) => state.notify(
            crate::tui::state::Level::Info,
            "A consumer: there is no business account to show.",
        ),
    }
    vec![]
}

/// The chooser of the organisation a business caller is calling for.
pub fn open_acting_for(state: &mut AppState) -> Vec<Effect> {
    let Some(view) = state.customer.as_ref() else {
        return vec![];
    };
    match view.profile.as_ref().map_or(0, |p| p.acts_for.len()) {
        0 => state.notify(
            crate::tui::state::Level::Info,
            "Not a business contact: they call for no organisation.",
        ),
        _ => state.overlay = Some(acting_for_chooser(view)),
    }
    vec![]
}

/// Help opens over the screen, or closes if open.
pub fn toggle_help(state: &mut AppState) -> Vec<Effect> {
    state.overlay = match state.overlay {
        Some(Overlay::Help { .. }) => None,
        _ => Some(Overlay::Help { scroll: 0 }),
    };
    vec![]
}

pub fn open_palette(state: &mut AppState) -> Vec<Effect> {
    state.overlay = Some(Overlay::Palette {
        input: TextInput::default(),
        selected: 0,
    });
    vec![]
}

pub fn open_pop(state: &mut AppState) -> Vec<Effect> {
    state.overlay = Some(Overlay::Pop {
        input: TextInput::default(),
    });
    vec![]
}

/// Enter on `overlay` (already taken off the screen); the palette is not
/// handled here.
pub fn enter(state: &mut AppState, overlay: Overlay) -> Vec<Effect> {
    match overlay {
        Overlay::Snippets(mut choice) => {
            if let Some((name, _)) = choice.pick() {
                let name = name.clone();
                editing::insert_snippet(state, &name);
            }
            vec![]
        }
        Overlay::Pop { input } => pop(state, input.text.trim()),
        Overlay::Decision(prompt) => boards::send(state, prompt),
        Overlay::Transfer(prompt) => calls::send_transfer(state, prompt),
        Overlay::HangUp { call_id, .. } => calls::hang_up(state, call_id),
        Overlay::UnknownCaller { number, mut choice } => match choice.pick() {
            Some((code, _)) => screen_pop::chosen(state, number, &code.clone()),
            None => vec![],
        },
        Overlay::NewCustomer(prompt) => screen_pop::create(state, prompt),
        Overlay::Chooser {
            matches,
            selected,
            query,
        } => match matches.get(selected).cloned() {
            Some(summary) => open_customer(state, summary, Some(format!("popped for {query}"))),
            None => vec![],
        },
        Overlay::Attention { selected, .. } => offline::resend(state, selected),
        Overlay::States(mut choice) => match choice.pick() {
            Some((code, _)) => floor::chosen(state, &code.clone()),
            None => vec![],
        },
        Overlay::ActingFor(mut choice) => match choice.pick().and_then(|(c, _)| c.parse().ok()) {
            Some(id) => act_for(state, crate::domain::CustomerId(id)),
            None => vec![],
        },
        read_only @ (Overlay::Help { .. } | Overlay::WhyNot { .. } | Overlay::Account { .. }) => {
            state.overlay = Some(read_only);
            vec![]
        }
        palette @ Overlay::Palette { .. } => {
            state.overlay = Some(palette);
            vec![]
        }
    }
}

/// Moves the selection of the open overlay by `delta`; false when no
/// overlay is open.
pub fn move_by(state: &mut AppState, delta: isize) -> bool {
    let len = match &state.overlay {
        Some(Overlay::Palette { input, .. }) => palette_commands(state, &input.text).len(),
        // Help scrolls until its last page fills the box.
        Some(Overlay::Help { .. }) => help::last_scroll(state) + 1,
        _ => 0,
    };
    // At most a line per invoice, order, rebate and contact, and the headings.
    let account_rows = state
        .customer
        .as_ref()
        .and_then(|v| v.organisation.as_ref())
        .map_or(0, |o| {
            o.invoices.len() + o.orders.len() + o.rebates.len() + o.contacts.len() + 8
        });
    match &mut state.overlay {
        Some(Overlay::Help { scroll }) => *scroll = step(*scroll, delta, len),
        Some(Overlay::WhyNot { scroll }) => {
            let rows = state.customer.as_ref().map_or(0, |v| v.not_shown.len());
            *scroll = step(*scroll, delta, rows);
        }
        Some(Overlay::Account { scroll }) => *scroll = step(*scroll, delta, account_rows),
        Some(Overlay::Palette { selected, .. }) => *selected = step(*selected, delta, len),
        Some(Overlay::Chooser {
            selected, matches, ..
        }) => *selected = step(*selected, delta, matches.len()),
        Some(
            Overlay::Snippets(choice)
            | Overlay::States(choice)
            | Overlay::ActingFor(choice)
            | Overlay::UnknownCaller { choice, .. },
        ) => choice.move_by(delta.clamp(-1000, 1000)),
        Some(Overlay::Attention { selected, armed }) => {
            *selected = step(*selected, delta, state.outbox.attention.len());
            *armed = None;
        }
        Some(Overlay::Transfer(prompt)) => prompt.targets.move_by(delta.clamp(-1000, 1000)),
        Some(
            Overlay::Pop { .. }
            | Overlay::Decision(_)
            | Overlay::HangUp { .. }
            | Overlay::NewCustomer(_),
        ) => {}
        None => return false,
    }
    true
}
