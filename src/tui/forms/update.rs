//! How keys and replies change the forms: opening (blank, from a draft, or
//! pre-filled from a suggestion), typing into the focused field, moving between
//! fields, the confirm step, cancelling (asking first when something was typed),
//! and the server's answer. Called from `tui::update`; no I/O.

use super::super::action::{Effect, Failure, Outcome, Reply};
use super::super::keymap::Command;
use super::super::state::{AppState, Level, Overlay, Screen};
use super::choice::Choice;
use super::model::{Context, Field, Form, FormKind, Stage, DISPOSITION, NOTES};
use crate::api::Write;
use crate::domain::{FeeId, SuggestedAction, Suggestion};
use crate::tui::snippets;
use crate::tui::workspace::model::Focus;
use crate::tui::workspace::update::reload_customer;
use crossterm::event::KeyCode;

/// Opens `kind` over the open customer: the draft if there is one, else a new
/// form, pre-filled from `suggestion` when the agent acted on one.
pub fn open(state: &mut AppState, kind: FormKind, suggestion: Option<&Suggestion>) -> Vec<Effect> {
    let Some(id) = state.customer.as_ref().map(|v| v.id) else {
        return vec![];
    };
    if !state
        .drafts
        .iter()
        .any(|f| f.customer == id && f.kind == kind)
    {
        match create(state, kind, suggestion) {
            Some(form) => state.drafts.push(form),
            None => return vec![],
        }
    }
    if let Some(view) = state.customer.as_mut() {
        view.form = Some(kind);
        view.editing_filter = false;
    }
    vec![]
}

/// A new form for the open customer, or `None` (with a notice) when what it
/// needs has not arrived yet.
fn create(state: &mut AppState, kind: FormKind, suggestion: Option<&Suggestion>) -> Option<Form> {
    let (Some(view), Some(refdata)) = (state.customer.as_ref(), state.refdata.as_ref()) else {
        state.notify(
            Level::Warning,
            "Still loading the customer and the codes; try again in a moment",
        );
        return None;
    };
    let Some(customer) = view.profile.as_ref() else {
        state.notify(
            Level::Warning,
            "Still loading the customer; try again in a moment",
        );
        return None;
    };
    let id = view.id;
    let param = |name: &str| suggestion.and_then(|s| s.parameters.get(name)).cloned();
    Some(match kind {
        FormKind::Log => Form::log(
            id,
            refdata,
            view.suggestions.as_deref().unwrap_or_default(),
            &view.acted,
            state.now,
        ),
        FormKind::Escalate => Form::escalate(
            id,
            refdata,
            param("target_code").as_deref(),
            &view.events,
            state.now,
        ),
        FormKind::Waive => {
            if customer.outstanding_fees.is_empty() {
                state.notify(Level::Info, "This customer has no outstanding fees");
                return None;
            }
            let fee = param("fee_id").and_then(|f| f.parse().ok()).map(FeeId);
            Form::waive(customer, refdata, fee, state.now)
        }
        // Sent straight from the palette; never opened.
        FormKind::QuickLog => return None,
    })
}

/// `1`–`9`: acting on suggestion `n` of the open customer.
pub fn act_on_suggestion_number(state: &mut AppState, n: u8) -> Vec<Effect> {
    let Some(view) = state.customer.as_mut() else {
        return vec![];
    };
    let index = usize::from(n).saturating_sub(1);
    let Some(suggestion) = view
        .suggestions
        .as_ref()
        .and_then(|s| s.get(index))
        .cloned()
    else {
        state.notify(Level::Info, format!("There is no suggestion {n}"));
        return vec![];
    };
    view.focus = Focus::Suggestions;
    view.selected_suggestion = index;
    act_on_suggestion(state, &suggestion)
}

/// Acting on a suggestion: the form that carries it out, pre-filled.
fn act_on_suggestion(state: &mut AppState, suggestion: &Suggestion) -> Vec<Effect> {
    if let Some(view) = state.customer.as_mut() {
        if !view.acted.contains(&suggestion.action) {
            view.acted.push(suggestion.action);
        }
    }
    let kind = match suggestion.action {
        SuggestedAction::WaiveFee => FormKind::Waive,
        SuggestedAction::Escalate | SuggestedAction::SeniorHandoff => FormKind::Escalate,
        SuggestedAction::RetentionOffer => FormKind::Log,
    };
    let effects = open(state, kind, Some(suggestion));
    if suggestion.action == SuggestedAction::RetentionOffer {
        if let Some(Field::Choice(c)) = state
            .active_form_mut()
            .and_then(|f| f.fields.first_mut().map(|(_, f)| f))
        {
            *c = c.clone().with_selected("sales.retention");
        }
    }
    effects
}

/// A command while a form is open; `None` lets the general handling take it
/// (help, palette, quit…).
pub fn command(state: &mut AppState, command: Command) -> Option<Vec<Effect>> {
    let form = state.active_form_mut()?;
    if command != Command::Cancel {
        form.confirm_discard = false;
    }
    // While sending, the form shows what was sent: nothing in it may change.
    let sending = matches!(form.stage, Stage::Sending { .. });
    if sending
        && matches!(
            command,
            Command::Next | Command::Prev | Command::Undo | Command::Redo | Command::Snippet
        )
    {
        return Some(vec![]);
    }
    match command {
        Command::Submit => Some(submit(state)),
        Command::Cancel => Some(cancel(state)),
        Command::FocusNext | Command::FocusPrev => {
            let n = form.fields.len().max(1);
            form.focus = if command == Command::FocusNext {
                (form.focus + 1) % n
            } else {
                (form.focus + n - 1) % n
            };
            Some(vec![])
        }
        Command::Next | Command::Prev => {
            let delta = if command == Command::Next { 1 } else { -1 };
            match form.focused() {
                Some(Field::Choice(c)) => c.move_by(delta),
                Some(Field::Fees(f)) => f.move_by(delta),
                Some(Field::Verdicts(v)) => v.move_by(delta),
                Some(Field::Notes(n)) => {
                    if delta > 0 {
                        n.move_down()
                    } else {
                        n.move_up()
                    }
                }
                Some(Field::Text(_)) | None => {}
            }
            Some(vec![])
        }
        Command::Undo | Command::Redo => {
            if let Some(Field::Notes(n)) = form.focused() {
                let changed = if command == Command::Undo {
                    n.undo()
                } else {
                    n.redo()
                };
                if changed {
                    edited(form);
                }
            }
            Some(vec![])
        }
        Command::Snippet => {
            if state.snippets.is_empty() {
                state.notify(
                    Level::Info,
                    "No snippets configured: add a [snippets] table to config.toml",
                );
            } else {
                let options = state
                    .snippets
                    .iter()
                    .map(|(n, t)| (n.clone(), format!("{n}: {t}")))
                    .collect();
                state.overlay = Some(Overlay::Snippets(Choice::new(options)));
            }
            Some(vec![])
        }
        _ => None,
    }
}

/// Something changed: a confirmation no longer describes the form.
fn edited(form: &mut Form) {
    form.dirty = true;
    form.confirm_discard = false;
    if matches!(form.stage, Stage::Confirming { .. }) {
        form.stage = Stage::Editing;
    }
}

/// A key the keymap left to the form: typing, enter, editing keys.
/// `word` is set when ctrl is held: left and right then move by words.
pub fn key(state: &mut AppState, code: KeyCode, text: Option<&str>, word: bool) -> Vec<Effect> {
    let Some(form) = state.active_form_mut() else {
        return vec![];
    };
    form.confirm_discard = false;
    if matches!(form.stage, Stage::Confirming { .. }) && code == KeyCode::Enter {
        return submit(state);
    }
    if matches!(form.stage, Stage::Sending { .. }) {
        return vec![];
    }
    let focus = form.focus;
    let next_field = focus + 1 < form.fields.len();
    let mut advance = false;
    let changed = match (form.focused(), code) {
        (Some(Field::Choice(c)), KeyCode::Enter) => {
            advance = c.selected().is_some();
            false
        }
        (Some(Field::Choice(c)), KeyCode::Backspace) => {
            c.backspace();
            true
        }
        (Some(Field::Choice(c)), _) => text.map(|t| c.type_text(t)).is_some(),
        (Some(Field::Text(t)), KeyCode::Enter) => {
            let _ = t;
            advance = true;
            false
        }
        (Some(Field::Text(t)), KeyCode::Backspace) => {
            t.backspace();
            true
        }
        (Some(Field::Text(t)), _) => text.map(|s| t.insert(s)).is_some(),
        (Some(Field::Notes(n)), code) => edit_notes(n, code, text, word),
        (Some(Field::Fees(f)), KeyCode::Enter) => {
            f.toggle();
            true
        }
        (Some(Field::Fees(f)), KeyCode::Backspace) => {
            f.backspace();
            true
        }
        (Some(Field::Fees(f)), _) if text == Some(" ") => {
            f.toggle();
            true
        }
        (Some(Field::Fees(f)), _) => text.map(|t| f.type_text(t)).is_some(),
        (Some(Field::Verdicts(v)), KeyCode::Left) => {
            v.cycle(false);
            true
        }
        (Some(Field::Verdicts(v)), KeyCode::Right | KeyCode::Enter) => {
            v.cycle(true);
            true
        }
        (Some(Field::Verdicts(v)), _) if text == Some(" ") => {
            v.cycle(true);
            true
        }
        _ => false,
    };
    if changed {
        edited(form);
    }
    if advance && next_field {
        form.focus = focus + 1;
        // After the disposition, the notes: the routine wrap-up path.
        if form.kind == FormKind::Log && focus == 0 {
            form.focus_on(NOTES);
        }
    }
    vec![]
}

fn edit_notes(
    n: &mut super::super::editor::TextArea,
    code: KeyCode,
    text: Option<&str>,
    word: bool,
) -> bool {
    match code {
        KeyCode::Enter => n.newline(),
        KeyCode::Backspace => n.backspace(),
        KeyCode::Delete => n.delete(),
        KeyCode::Left => {
            if word {
                n.move_word_left();
            } else {
                n.move_left();
            }
            return false;
        }
        KeyCode::Right => {
            if word {
                n.move_word_right();
            } else {
                n.move_right();
            }
            return false;
        }
        KeyCode::Home => {
            n.home();
            return false;
        }
        KeyCode::End => {
            n.end();
            return false;
        }
        _ => match text {
            Some(t) => {
                n.insert_str(t);
            }
            None => return false,
        },
    }
    true
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
    let expanded = super::super::snippets::expand(&template, &ctx);
    let Some(form) = state.active_form_mut() else {
        return;
    };
    if let Some(Field::Notes(n)) = form.focused() {
        // Templates come from a file: cleaned like any untrusted text.
        n.insert_str(&super::super::sanitize::clean_text(&expanded.text));
        edited(form);
    } else {
        state.notify(
            Level::Info,
            "Snippets go into a notes field: move to it first",
        );
    }
}

/// Submit: from editing, the confirm step (with a new idempotency key); from
/// the confirm step, send. A second press while sending does nothing.
fn submit(state: &mut AppState) -> Vec<Effect> {
    let (Some(view), Some(agent)) = (state.customer.as_ref(), state.agent.as_ref()) else {
        return vec![];
    };
    let Some(customer) = view.profile.clone() else {
        return vec![];
    };
    let agent = agent.clone();
    let now = state.now;
    let editing = matches!(state.active_form().map(|f| &f.stage), Some(Stage::Editing));
    // The key is made here, once per submission, and kept with the form.
    let key = editing.then(|| state.new_key());
    let Some(form) = state.active_form_mut() else {
        return vec![];
    };
    match form.stage.clone() {
        Stage::Editing => match form.build(&Context {
            customer: &customer,
            agent: &agent,
            now,
        }) {
            Ok(request) => {
                form.server_message = None;
                form.stage = Stage::Confirming {
                    key: key.unwrap_or_default(),
                    request,
                };
                vec![]
            }
            Err(problems) => {
                if let Some(i) = problems
                    .first()
                    .and_then(|(f, _)| form.fields.iter().position(|(l, _)| l == f))
                {
                    form.focus = i;
                }
                let n = problems.len();
                state.notify(
                    Level::Warning,
                    format!("{n} field(s) need attention before this can be sent"),
                );
                vec![]
            }
        },
        Stage::Confirming { key, request } => {
            form.stage = Stage::Sending {
                key: key.clone(),
                request: request.clone(),
            };
            let draft_key = Some(super::draft::key(form.customer, form.kind));
            vec![Effect::Submit {
                key,
                request,
                draft_key,
            }]
        }
        Stage::Sending { .. } => vec![],
    }
}

fn cancel(state: &mut AppState) -> Vec<Effect> {
    let Some(form) = state.active_form_mut() else {
        return vec![];
    };
    match form.stage {
        Stage::Confirming { .. } => {
            form.stage = Stage::Editing;
            return vec![];
        }
        Stage::Sending { .. } => {
            state.notify(Level::Info, "Already sent; waiting for the server's answer");
            return vec![];
        }
        Stage::Editing => {}
    }
    if form.dirty && !form.confirm_discard {
        form.confirm_discard = true;
        state.notify(
            Level::Warning,
            "Discard what you typed? Press esc again to discard; any other key keeps it",
        );
        return vec![];
    }
    let (id, kind) = (form.customer, form.kind);
    state
        .drafts
        .retain(|f| !(f.customer == id && f.kind == kind));
    if let Some(view) = state.customer.as_mut() {
        view.form = None;
    }
    vec![]
}

/// The server's answer to a submission.
pub fn submitted(state: &mut AppState, key: &str, reply: Reply<Outcome>) -> Vec<Effect> {
    let sending = |f: &Form| f.sending_under(key);
    let mut effects = vec![];
    // A form saved in the outbox comes back to answer for its write. If the
    // server refused it, the form (or, for a quick log, the wrap-up form) is
    // where the agent fixes it, so its copy on the needs-attention list goes.
    if let Some(i) = state.sent.iter().position(sending) {
        let form = state.sent.remove(i);
        if let Err(Failure::Refused(_)) = &reply {
            let on_screen = state.screen == Screen::Customer
                && state
                    .customer
                    .as_ref()
                    .is_some_and(|v| v.id == form.customer);
            if let (true, Some(view)) = (on_screen, state.customer.as_mut()) {
                if form.kind != FormKind::QuickLog {
                    view.form = Some(form.kind);
                }
            }
            effects.push(Effect::Dismiss {
                key: key.to_string(),
            });
        }
        state.drafts.push(form);
    }
    effects.extend(answer(state, key, reply));
    effects
}

/// The server's answer for the form sending under `key`.
fn answer(state: &mut AppState, key: &str, reply: Reply<Outcome>) -> Vec<Effect> {
    let Some(index) = state.drafts.iter().position(|f| f.sending_under(key)) else {
        return vec![];
    };
    match reply {
        Ok(outcome) => {
            let form = state.drafts.remove(index);
            let level = if outcome.pending {
                Level::Warning
            } else {
                Level::Success
            };
            state.notify(level, outcome.message);
            let open_here = state
                .customer
                .as_ref()
                .is_some_and(|v| v.id == form.customer);
            if open_here {
                if let Some(view) = state.customer.as_mut() {
                    if view.form == Some(form.kind) {
                        view.form = None;
                    }
                }
                return reload_customer(state);
            }
            vec![]
        }
        Err(failure) if state.drafts[index].kind == FormKind::QuickLog => {
            let quick = state.drafts.remove(index);
            keep_quick_log(state, quick, &failure);
            vec![]
        }
        Err(failure) => {
            let form = &mut state.drafts[index];
            let Stage::Sending { key, request } = form.stage.clone() else {
                return vec![];
            };
            let text = match &failure {
                Failure::Unreachable(m) | Failure::Retry(m) => {
                    // Kept with the same key: sending again cannot make two records.
                    form.stage = Stage::Confirming { key, request };
                    format!("Not sent ({m}). Nothing is lost: press enter to try again.")
                }
                Failure::Unauthenticated(m) | Failure::Refused(m) => {
                    form.stage = Stage::Editing;
                    format!("Refused: {m}")
                }
            };
            form.server_message = Some(text.clone());
            state.notify(Level::Error, text);
            vec![]
        }
    }
}

/// Whether the open customer screen should show the form instead of the timeline.
pub fn showing(state: &AppState) -> bool {
    state.screen == Screen::Customer && state.active_form().is_some()
}

/// A quick log the server did not take: its disposition and note move into the
/// customer's wrap-up form (or are added to the one already started), so the
/// agent can review and send them; nothing typed is lost.
fn keep_quick_log(state: &mut AppState, quick: Form, failure: &Failure) {
    let (Stage::Sending {
        request: Write::Interaction(sent),
        ..
    }
    | Stage::Confirming {
        request: Write::Interaction(sent),
        ..
    }) = quick.stage
    else {
        return;
    };
    let existing = state
        .drafts
        .iter_mut()
        .find(|f| f.customer == quick.customer && f.kind == FormKind::Log);
    match existing {
        Some(log) => {
            if let Some((_, Field::Notes(n))) = log.fields.iter_mut().find(|(l, _)| *l == NOTES) {
                n.end();
                n.newline();
                n.insert_str(&sent.notes);
            }
            log.dirty = true;
        }
        None => {
            let Some(refdata) = state.refdata.as_ref() else {
                return;
            };
            let mut log = Form::log(quick.customer, refdata, &[], &[], state.now);
            for (label, field) in &mut log.fields {
                match (*label, field) {
                    (DISPOSITION, Field::Choice(c)) => {
                        *c = c.clone().with_selected(&sent.disposition_code)
                    }
                    (NOTES, Field::Notes(n)) => {
                        n.insert_str(&sent.notes);
                    }
                    _ => {}
                }
            }
            log.dirty = true;
            state.drafts.push(log);
        }
    }
    let reason = match failure {
        Failure::Unreachable(m)
        | Failure::Retry(m)
        | Failure::Refused(m)
        | Failure::Unauthenticated(m) => m,
    };
    state.notify(
        Level::Error,
        format!(
            "Quick log not sent ({reason}); it is in the wrap-up form: press l to review and send"
        ),
    );
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
