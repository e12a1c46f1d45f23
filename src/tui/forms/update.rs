//! How keys and replies change the forms: opening (blank, from a draft, or
//! pre-filled from a suggestion), typing into the focused field, moving between
//! fields, the confirm step, cancelling (asking first when something was typed),
//! and the server's answer. Called from `tui::update`; no I/O.

use super::super::action::{Effect, Failure, Outcome, Reply};
use super::super::keymap::Command;
use super::super::state::{AppState, Level, Overlay, Screen};
use super::choice::Choice;
use super::editing;
use super::model::{waiver_scope, Context, Field, Form, FormKind, Stage, DISPOSITION, NOTES};
use super::verdicts::Acted;
use crate::api::Write;
use crate::domain::{CustomerId, FeeId, Opens, Suggestion};
use crate::tui::floor::calls;
use crate::tui::workspace::model::{CustomerView, Focus};
use crate::tui::workspace::update::reload_customer;

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

/// The notes of the agent who transferred the caller on screen to this
/// desk, to start the wrap-up from.
fn passed_on_notes(state: &AppState, customer: CustomerId) -> Option<String> {
    let contact = state.floor.contact.as_ref()?;
    let t = contact.transfer.as_ref()?;
    (contact.customer == Some(customer) && !t.notes.trim().is_empty())
        .then(|| format!("From {}: {}", t.from_agent_name, t.notes.trim()))
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
            view.decision,
            &view.acted,
            state.second,
        )
        .for_account(view.affiliation())
        .with_notes(passed_on_notes(state, id)),
        FormKind::Escalate => Form::escalate(
            id,
            refdata,
            param("target_code").as_deref(),
            &view.events,
            state.second,
        ),
        FormKind::Waive => {
            let fee = param("fee_id").and_then(|f| f.parse().ok()).map(FeeId);
            let account = view.affiliation();
            if waiver_scope(customer, account, fee).0.is_empty() {
                let said = match account {
                    Some(a) => format!("Neither they nor {} owe any fees", a.organisation),
                    None => "This customer has no outstanding fees".to_string(),
                };
                state.notify(Level::Info, said);
                return None;
            }
            Form::waive(customer, account, refdata, fee, state.second)
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

/// Acting on a suggestion: the form that carries it out, pre-filled (an
/// offer is made and logged with its disposition; a transfer goes to its
/// target as an escalation); something to say is noted with the key alone.
/// Either way the wrap-up marks it accepted, answering the decision that
/// showed it even once a write has reloaded the customer into a new one.
fn act_on_suggestion(state: &mut AppState, suggestion: &Suggestion) -> Vec<Effect> {
    let Some(view) = state.customer.as_mut() else {
        return vec![];
    };
    let decision = view.decision;
    let first_time = !view
        .acted
        .iter()
        .any(|a| a.action == suggestion.action && a.decision == decision);
    if first_time {
        view.acted.push(Acted {
            action: suggestion.action.clone(),
            title: suggestion.title.clone(),
            decision,
        });
    }
    // A hand-off during a call is a transfer; otherwise an escalation.
    if suggestion.opens == Opens::Transfer && calls::open_for_suggestion(state, suggestion) {
        return vec![];
    }
    let kind = match suggestion.opens {
        Opens::Waiver => FormKind::Waive,
        Opens::Escalation | Opens::Transfer => FormKind::Escalate,
        Opens::Offer => FormKind::Log,
        Opens::Info => {
            let said = if first_time {
                format!("Noted: {}. The wrap-up marks it accepted", suggestion.title)
            } else {
                format!("Already noted: {}", suggestion.title)
            };
            state.notify(Level::Info, said);
            return vec![];
        }
    };
    let effects = open(state, kind, Some(suggestion));
    if let Some(code) = suggestion.parameters.get("disposition_code") {
        if let Some(Field::Choice(c)) = state
            .active_form_mut()
            .filter(|f| f.kind == FormKind::Log)
            .and_then(|f| f.fields.first_mut().map(|(_, f)| f))
        {
            *c = c.clone().with_selected(code);
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
        && (matches!(command, Command::Next | Command::Prev | Command::Snippet)
            || command.edit().is_some())
    {
        return Some(vec![]);
    }
    if let Some(edit) = command.edit() {
        editing::edit_field(form, edit);
        return Some(vec![]);
    }
    match command {
        Command::ShowWire => {
            form.show_wire = !form.show_wire;
            Some(vec![])
        }
        Command::Submit => Some(submit(state)),
        Command::Open if matches!(form.stage, Stage::Confirming { .. }) => Some(submit(state)),
        Command::Open => {
            editing::enter_field(form);
            Some(vec![])
        }
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
                    forget_answered(view, &form);
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

/// A wrap-up the server took has answered the suggestions it names: they no
/// longer wait for one, so a second wrap-up does not count them again.
fn forget_answered(view: &mut CustomerView, form: &Form) {
    let Stage::Sending {
        request: Write::Interaction(sent),
        ..
    } = &form.stage
    else {
        return;
    };
    view.acted.retain(|a| {
        !sent
            .suggestion_outcomes
            .iter()
            .any(|o| o.action == a.action && o.decision_id == a.decision)
    });
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
            let mut log = Form::log(quick.customer, refdata, &[], None, &[], state.second);
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
