//! Drafts kept from the last session come back into their forms once the
//! customer's profile and the codes are here.

use crate::tui::forms::draft::Draft;
use crate::tui::forms::model::{Form, FormKind};
use crate::tui::state::{AppState, Level};

/// Offers back the kept drafts of the open customer once their profile and
/// the codes are here: the form opens with what was typed.
pub fn restore_drafts(state: &mut AppState) {
    let (Some(view), Some(refdata)) = (state.customer.as_ref(), state.refdata.as_ref()) else {
        return;
    };
    let Some(profile) = view.profile.as_ref() else {
        return;
    };
    let id = view.id;
    let mine: Vec<Draft> = state
        .kept_drafts
        .iter()
        .filter(|d| d.customer.id == id)
        .cloned()
        .collect();
    if mine.is_empty() {
        return;
    }
    state.kept_drafts.retain(|d| d.customer.id != id);
    let mut restored = None;
    let mut dropped = 0;
    for d in mine {
        if state
            .drafts
            .iter()
            .any(|f| f.customer == id && f.kind == d.kind)
        {
            continue;
        }
        let suggestions = view.suggestions.as_deref().unwrap_or_default();
        let account = view.affiliation();
        let mut form = match d.kind {
            FormKind::Log => Form::log(
                id,
                refdata,
                suggestions,
                view.decision,
                &view.acted,
                state.second,
            )
            .for_account(account),
            FormKind::Escalate => Form::escalate(id, refdata, None, &view.events, state.second),
            FormKind::Waive => Form::waive(profile, account, refdata, None, state.second),
            FormKind::QuickLog => continue,
        };
        dropped += form.apply_draft(&d);
        restored = Some((d.kind, d.opened_at));
        state.drafts.push(form);
    }
    let Some((kind, opened_at)) = restored else {
        return;
    };
    if let Some(view) = state.customer.as_mut() {
        view.form = Some(kind);
    }
    let at = state.zone.format(opened_at, "%H:%M");
    let note = if dropped > 0 {
        format!(" ({dropped} value(s) no longer fit and were left out)")
    } else {
        String::new()
    };
    state.notify(
        Level::Info,
        format!("Restored your unsent {} from {at}{note}", kind.title()),
    );
}
