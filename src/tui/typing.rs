//! Text typed or pasted into the focused one-line input (search, filters,
//! the palette, prompts, sign-in) or handed to the open form, and what a
//! change of text sets off (a new search, the timeline filter); nothing goes
//! into a form the terminal is too small to show.

use crate::tui::action::Effect;
use crate::tui::edit::Edit;
use crate::tui::forms::editing;
use crate::tui::forms::update::showing;
use crate::tui::input::TextInput;
use crate::tui::keymap::Mode;
use crate::tui::layout;
use crate::tui::sanitize::{clean_line, clean_text};
use crate::tui::search::update::refresh_search;
use crate::tui::state::{AppState, Level, Overlay, Screen};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// An unbound key where the agent types: a plain character goes into the
/// open form's focused field or the focused input. Every other key means
/// something only through the keymap (`[text]` has the editing keys).
pub fn type_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let KeyCode::Char(c) = key.code else {
        return vec![];
    };
    if !plain {
        return vec![];
    }
    let text = clean_line(&c.to_string());
    if showing(state) && state.overlay.is_none() {
        return editing::type_text(state, &text);
    }
    on_text(state, &text)
}

/// An editing key for the focused input.
pub fn edit(state: &mut AppState, edit: Edit) -> Vec<Effect> {
    let changed = active_input(state).is_some_and(|input| input.apply(edit));
    match changed {
        true => text_changed(state),
        false => vec![],
    }
}

/// Bracketed paste: into the open form (keeping line breaks in notes), else
/// the focused input as one line. Never read as key bindings.
pub fn paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    if editing::paste(state, &clean_text(text)) {
        return vec![];
    }
    on_text(state, &clean_line(text))
}

/// Typed or pasted text, already clean, into the active field.
fn on_text(state: &mut AppState, text: &str) -> Vec<Effect> {
    match active_input(state) {
        Some(input) => input.insert(text),
        None => return vec![],
    }
    text_changed(state)
}

/// The one-line input that typing goes into now, if any.
fn active_input(state: &mut AppState) -> Option<&mut TextInput> {
    match &mut state.overlay {
        Some(Overlay::Palette { input, .. } | Overlay::Pop { input }) => return Some(input),
        Some(Overlay::Decision(prompt)) => return Some(&mut prompt.note),
        Some(Overlay::Transfer(prompt)) => return Some(&mut prompt.note),
        Some(Overlay::NewCustomer(prompt)) => return prompt.fields.get_mut(prompt.focus),
        Some(_) => return None,
        None => {}
    }
    match &mut state.screen {
        Screen::SignIn(form) => Some(if form.focus == 0 {
            &mut form.server
        } else {
            &mut form.token
        }),
        Screen::Search => Some(&mut state.search.input),
        Screen::Customer => state
            .customer
            .as_mut()
            .filter(|c| c.editing_filter)
            .map(|c| &mut c.text_filter),
        Screen::Board(kind) => {
            let view = state.boards.view_mut(*kind);
            view.editing_filter.then_some(&mut view.filter)
        }
        Screen::Home => None,
    }
}

fn text_changed(state: &mut AppState) -> Vec<Effect> {
    if let Some(Overlay::Palette { selected, .. }) = &mut state.overlay {
        *selected = 0;
        return vec![];
    }
    match state.screen {
        Screen::Search if state.overlay.is_none() => refresh_search(state),
        Screen::Customer => {
            if let Some(view) = state.customer.as_mut() {
                view.selected = 0;
                view.offset = 0;
            }
            vec![]
        }
        _ => vec![],
    }
}

/// A form is open but the terminal is too small to show it.
pub fn form_hidden(state: &AppState) -> bool {
    state.mode() == Mode::Form && !layout::fits(state.size.0, state.size.1)
}

/// Nothing goes into a form the agent cannot see.
pub fn refuse_unseen(state: &mut AppState) -> Vec<Effect> {
    state.notify(
        Level::Warning,
        format!(
            "The form needs {}x{}; enlarge the terminal. Nothing was typed into it",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        ),
    );
    vec![]
}
