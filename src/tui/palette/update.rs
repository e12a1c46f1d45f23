//! Enter in the palette: a quick log is sent at once; otherwise the chosen
//! command, which the dispatcher runs.

use crate::domain::Channel;
use crate::tui::action::Effect;
use crate::tui::forms;
use crate::tui::forms::model::FormKind;
use crate::tui::keymap::Command;
use crate::tui::palette::model::palette_commands;
use crate::tui::state::{AppState, Level, Screen};

/// `log <code> <note>` typed in the palette: sends the wrap-up at once.
fn quick_log(state: &mut AppState, line: &str) -> Option<Vec<Effect>> {
    let parsed = forms::quick_log::parse(line, state.refdata.as_ref()?)?;
    let id = match (&state.screen, state.customer.as_ref()) {
        (Screen::Customer, Some(view)) => view.id,
        _ => {
            state.notify(
                Level::Warning,
                "Open a customer first: a quick log is for the customer on screen",
            );
            return Some(vec![]);
        }
    };
    let log = match parsed {
        Ok(log) => log,
        Err(message) => {
            state.notify(Level::Warning, message);
            return Some(vec![]);
        }
    };
    let request = crate::api::NewInteraction {
        customer_id: id,
        channel: Channel::Voice,
        disposition_code: log.code,
        outcome: crate::domain::InteractionOutcome::Resolved,
        tags: vec![],
        notes: log.notes,
        suggestion_outcomes: vec![],
        follow_up_at: None,
        acting_for: None,
        tone_flagged: false,
    };
    let key = state.new_key();
    let (form, key) = forms::model::quick_log(id, request.clone(), state.second, key);
    state
        .drafts
        .retain(|f| !(f.customer == id && f.kind == FormKind::QuickLog));
    state.drafts.push(form);
    state.notify(Level::Info, format!("Logging: {}…", log.label));
    Some(vec![Effect::Submit {
        key,
        request: crate::api::Write::Interaction(request),
        draft_key: None,
    }])
}

/// What enter in the palette comes to.
pub enum Chosen {
    /// A quick log was sent (or refused with a notice).
    Sent(Vec<Effect>),
    /// A command for the dispatcher to run.
    Command(Command),
    Nothing,
}

/// Enter in the palette with `line` typed and row `selected` highlighted.
pub fn chosen(state: &mut AppState, line: &str, selected: usize) -> Chosen {
    if let Some(effects) = quick_log(state, line) {
        return Chosen::Sent(effects);
    }
    match palette_commands(state, line).get(selected) {
        Some(command) => Chosen::Command(*command),
        None => Chosen::Nothing,
    }
}
