//! Typing and editing in the focused field of the open form: characters,
//! enter (pick and move on, a new line in notes, tick a fee), the editing
//! keys of the keymap's `[text]` table, pasted text and note snippets. Any
//! change takes the form back from its confirm step.

use super::model::{Field, Form, FormKind, Stage, DISPOSITION, NOTES};
use crate::tui::action::Effect;
use crate::tui::edit::Edit;
use crate::tui::sanitize::clean_text;
use crate::tui::snippets;
use crate::tui::state::{AppState, Level};

/// A plain character typed into the focused field.
pub fn type_text(state: &mut AppState, text: &str) -> Vec<Effect> {
    let Some(form) = state.active_form_mut() else {
        return vec![];
    };
    form.confirm_discard = false;
    if matches!(form.stage, Stage::Sending { .. }) {
        return vec![];
    }
    let changed = match form.focused() {
        Some(Field::Choice(c)) => {
            c.type_text(text);
            true
        }
        Some(Field::Text(t)) => {
            t.insert(text);
            true
        }
        Some(Field::Notes(n)) => n.insert_str(text),
        Some(Field::Fees(f)) if text == " " => {
            f.toggle();
            true
        }
        Some(Field::Fees(f)) => {
            f.type_text(text);
            true
        }
        Some(Field::Verdicts(v)) if text == " " => {
            v.cycle(true);
            true
        }
        Some(Field::Verdicts(_)) | None => false,
    };
    if changed {
        edited(form);
    }
    vec![]
}

/// Enter on the focused field: a pick list or a short field moves on to the
/// next field (from the disposition, to the notes), notes take a new line, a
/// fee is ticked, a verdict changes.
pub fn enter_field(form: &mut Form) {
    let focus = form.focus;
    let advance = match form.focused() {
        Some(Field::Choice(c)) => {
            let picked = c.pick().is_some();
            edited(form);
            picked
        }
        Some(Field::Text(_)) => true,
        Some(Field::Notes(n)) => {
            n.newline();
            edited(form);
            false
        }
        Some(Field::Fees(f)) => {
            f.toggle();
            edited(form);
            false
        }
        Some(Field::Verdicts(v)) => {
            v.cycle(true);
            edited(form);
            false
        }
        None => false,
    };
    if advance && focus + 1 < form.fields.len() {
        form.focus = focus + 1;
        // After the disposition, the notes: the routine wrap-up path.
        if form.kind == FormKind::Log && form.fields[focus].0 == DISPOSITION {
            form.focus_on(NOTES);
        }
    }
}

/// An editing key on the focused field.
pub fn edit_field(form: &mut Form, edit: Edit) {
    let changed = match form.focused() {
        Some(Field::Choice(c)) => match edit {
            Edit::DeleteBack => {
                c.backspace();
                true
            }
            Edit::DeleteWord | Edit::ClearLine => {
                c.clear();
                true
            }
            _ => false,
        },
        Some(Field::Text(t)) => t.apply(edit),
        Some(Field::Notes(n)) => n.apply(edit),
        Some(Field::Fees(f)) => f.edit(edit),
        Some(Field::Verdicts(v)) => match edit {
            Edit::Left | Edit::Right => {
                v.cycle(edit == Edit::Right);
                true
            }
            _ => false,
        },
        None => false,
    };
    if changed {
        edited(form);
    }
}

/// Something changed: a confirmation no longer describes the form.
pub fn edited(form: &mut Form) {
    form.dirty = true;
    form.confirm_discard = false;
    if matches!(form.stage, Stage::Confirming { .. }) {
        form.stage = Stage::Editing;
    }
}

/// Pasted text into the focused field (notes keep their line breaks).
pub fn paste(state: &mut AppState, text: &str) -> bool {
    let Some(form) = state.active_form_mut() else {
        return false;
    };
    if matches!(form.stage, Stage::Sending { .. }) {
        return true;
    }
    match form.focused() {
        Some(Field::Notes(n)) => {
            n.insert_str(text);
        }
        Some(Field::Text(t)) => t.insert(&text.replace('\n', " ")),
        Some(Field::Choice(c)) => c.type_text(&text.replace('\n', " ")),
        Some(Field::Fees(f)) => f.type_text(text),
        Some(Field::Verdicts(_)) | None => return true,
    }
    edited(form);
    true
}

/// Inserts the chosen snippet, expanded for this customer, at the cursor.
pub fn insert_snippet(state: &mut AppState, name: &str) {
    let Some(template) = state
        .snippets
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t.clone())
    else {
        return;
    };
    let ctx = snippets_context(state);
    let expanded = snippets::expand(&template, &ctx);
    let Some(form) = state.active_form_mut() else {
        return;
    };
    if let Some(Field::Notes(n)) = form.focused() {
        // Templates come from a file: cleaned like any untrusted text.
        n.insert_str(&clean_text(&expanded.text));
        edited(form);
    } else {
        state.notify(
            Level::Info,
            "Snippets go into a notes field: move to it first",
        );
    }
}

/// What snippets may say about this contact.
pub fn snippets_context(state: &AppState) -> snippets::Context {
    let profile = state.customer.as_ref().and_then(|v| v.profile.as_ref());
    snippets::Context {
        customer_name: profile.map(|c| c.name.clone()).unwrap_or_default(),
        customer_account: profile
            .map(|c| c.account_number.clone())
            .unwrap_or_default(),
        customer_phone: profile
            .and_then(|c| c.phones.first().cloned())
            .unwrap_or_default(),
        agent_name: state
            .agent
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_default(),
        today: state.zone.format(state.now, "%Y-%m-%d"),
        disposition: state
            .active_form()
            .and_then(|f| match f.field(DISPOSITION) {
                Some(Field::Choice(c)) => c.selected().map(|(_, label)| label.clone()),
                _ => None,
            })
            .unwrap_or_default(),
    }
}
