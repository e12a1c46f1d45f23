//! Opening a customer and loading them: profile, first timeline page and
//! suggestions, each reply dropped when the agent has moved on; reloading
//! after a write.

use crate::api::{CustomerSummary, Suggestions, SuggestionsQuery, TimelinePage};
use crate::domain::{Channel, Customer, CustomerId, EventKind, Organisation};
use crate::tui::action::{Effect, Reply};
use crate::tui::forms::choice::Choice;
use crate::tui::forms::restore::restore_drafts;
use crate::tui::session::failure::failed;
use crate::tui::session::model::Connection;
use crate::tui::state::{AppState, Level, Place, Screen, RECENT_LIMIT};
use crate::tui::workspace::model::{timeline_query, CustomerView, Focus};
use crate::tui::workspace::timeline::load_more_if_near_end;
use chrono::{DateTime, Utc};

pub fn open_customer(
    state: &mut AppState,
    summary: CustomerSummary,
    context: Option<String>,
) -> Vec<Effect> {
    state.known.remember(&summary);
    state.recent.retain(|c| c.id != summary.id);
    state.recent.insert(0, summary.clone());
    state.recent.truncate(RECENT_LIMIT);
    state.leave_here(&Place::Customer(summary.clone()));
    state.screen = Screen::Customer;
    state.overlay = None;
    // A pop or search still in flight must not pull the agent elsewhere.
    state.search.request = state.next_request();
    let request = state.next_request();
    let mut view = CustomerView::new(summary.id, request);
    view.context = context;
    state.customer = Some(view);
    load_customer(state, summary.id)
}

/// What the desk knows of a customer it opens by id: from the recent list or
/// the open profile, else a stand-in called `name` ("customer 12" without
/// one) until the profile loads.
pub fn summary_for(state: &AppState, id: CustomerId, name: Option<&str>) -> CustomerSummary {
    if let Some(c) = state.recent.iter().find(|c| c.id == id) {
        return c.clone();
    }
    match state.customer.as_ref().and_then(|v| v.profile.as_ref()) {
        Some(p) if p.id == id => CustomerSummary::from(p),
        _ => CustomerSummary {
            id,
            name: name.map_or_else(|| format!("customer {id}"), str::to_string),
            account_number: String::new(),
            phones: vec![],
            emails: vec![],
            segment: crate::domain::Segment::Standard,
        },
    }
}

/// Loads the open customer again (after a write changed them).
pub fn reload_customer(state: &mut AppState) -> Vec<Effect> {
    match state.customer.as_ref().map(|c| c.id) {
        Some(id) => load_customer(state, id),
        None => vec![],
    }
}

fn load_customer(state: &mut AppState, id: CustomerId) -> Vec<Effect> {
    let request = state.next_request();
    let Some(view) = state.customer.as_mut() else {
        return vec![];
    };
    view.request = request;
    view.timeline_request = request;
    // A reload (after a write) starts again at the newest event.
    view.selected = 0;
    view.offset = 0;
    view.loading_more = true;
    view.next_before = None;
    let query = timeline_query(view, None);
    let account = view.account;
    vec![
        Effect::LoadCustomer { request, id },
        Effect::LoadTimeline {
            request,
            id,
            account,
            query,
            append: false,
        },
        Effect::LoadSuggestions {
            request,
            id,
            query: suggestions_query(state),
        },
    ]
}

/// What the server decides on: the contact's queue when the agent is on one,
/// the organisation a business caller said they call for, and every action
/// not shown with its rule, for "why not?".
fn suggestions_query(state: &AppState) -> SuggestionsQuery {
    let on_contact = state.floor.timing();
    SuggestionsQuery {
        acting_for: state.customer.as_ref().and_then(|v| v.acting_for),
        channel: Some(Channel::Voice),
        queue: state
            .floor
            .contact
            .as_ref()
            .filter(|_| on_contact)
            .map(|c| c.queue.clone()),
        explain: Some(true),
    }
}

/// The open customer view, if this reply is for it and still wanted.
fn current(state: &mut AppState, request: u64, id: CustomerId) -> Option<&mut CustomerView> {
    state
        .customer
        .as_mut()
        .filter(|v| v.id == id && v.request == request)
}

pub fn customer_loaded(
    state: &mut AppState,
    request: u64,
    id: CustomerId,
    reply: Reply<Customer>,
    cached_at: Option<DateTime<Utc>>,
) -> Vec<Effect> {
    if current(state, request, id).is_none() {
        return vec![];
    }
    match reply {
        Ok(profile) => {
            if cached_at.is_none() {
                state.connection = Connection::Online;
            }
            let summary = CustomerSummary::from(&profile);
            state.known.remember(&summary);
            if let Some(recent) = state.recent.iter_mut().find(|c| c.id == id) {
                *recent = summary;
            }
            let mut organisation = None;
            if let Some(view) = current(state, request, id) {
                // The server's copy wins; a late cached copy does not replace it.
                if cached_at.is_none() || view.cached_at.is_some() || view.profile.is_none() {
                    view.profile = Some(profile);
                    view.cached_at = cached_at;
                }
                // A business caller's account, for the account overlay: asked
                // once the server's copy says which organisation it is.
                organisation = view.account_id().filter(|_| cached_at.is_none());
            }
            restore_drafts(state);
            if cached_at.is_none() {
                ask_acting_for(state);
            }
            organisation
                .map(|organisation| Effect::LoadOrganisation {
                    request,
                    id,
                    organisation,
                })
                .into_iter()
                .collect()
        }
        Err(failure) => failed(state, failure),
    }
}

/// A caller popped for a contact who acts for several organisations: the
/// chooser asks which one this call is for, the one they called for last
/// highlighted (enter takes it). Asked once per pop, and not over a form
/// or another overlay.
fn ask_acting_for(state: &mut AppState) {
    let Some(view) = state.customer.as_mut() else {
        return;
    };
    let Some(profile) = view.profile.as_ref() else {
        return;
    };
    if view.context.is_none()
        || view.acting_for.is_some()
        || view.form.is_some()
        || state.overlay.is_some()
        || profile.acts_for.len() < 2
    {
        return;
    }
    view.acting_for = profile.acts_for.first().map(|a| a.organisation_id);
    state.overlay = Some(acting_for_chooser(view));
}

/// The organisations the open contact acts for, as a chooser starting on
/// the one they are calling for now.
pub fn acting_for_chooser(view: &CustomerView) -> crate::tui::state::Overlay {
    let options = view
        .profile
        .iter()
        .flat_map(|p| &p.acts_for)
        .map(|a| {
            let mut label = format!(
                "{} · {} · {}",
                a.organisation,
                a.tier.label(),
                a.role.label()
            );
            if let Some(at) = a.last_chosen {
                label += &format!(" · last time {}", at.format("%Y-%m-%d"));
            }
            (a.organisation_id.to_string(), label)
        })
        .collect();
    let current = view.affiliation().map(|a| a.organisation_id.to_string());
    let choice = Choice::new(options);
    crate::tui::state::Overlay::ActingFor(match current {
        Some(code) => choice.with_selected(&code),
        None => choice,
    })
}

/// The agent picked the organisation the caller is calling for: the
/// header, the account, the whole-account timeline and the suggestions
/// follow it, and the wrap-up is logged against it.
pub fn act_for(state: &mut AppState, organisation: CustomerId) -> Vec<Effect> {
    let Some(view) = state.customer.as_mut() else {
        return vec![];
    };
    let changed = view.affiliation().map(|a| a.organisation_id) != Some(organisation);
    view.acting_for = Some(organisation);
    let name = view
        .affiliation()
        .map(|a| a.organisation.clone())
        .unwrap_or_default();
    if changed {
        // The server's profile brings its account.
        view.organisation = None;
        if view.account.is_some() {
            view.account = Some(organisation);
        }
    }
    state.notify(Level::Info, format!("Calling for {name}"));
    match changed {
        true => reload_customer(state),
        false => vec![],
    }
}

/// The account for the account overlay; a failure only leaves it closed.
pub fn organisation_loaded(
    state: &mut AppState,
    request: u64,
    id: CustomerId,
    reply: Reply<Organisation>,
) -> Vec<Effect> {
    match (current(state, request, id), reply) {
        (Some(view), Ok(organisation)) => view.organisation = Some(organisation),
        (Some(_), Err(failure)) => {
            tracing::warn!(?failure, "could not load the account");
        }
        (None, _) => {}
    }
    vec![]
}

pub fn timeline_loaded(
    state: &mut AppState,
    request: u64,
    id: CustomerId,
    append: bool,
    reply: Reply<TimelinePage>,
) -> Vec<Effect> {
    let Some(view) = state
        .customer
        .as_mut()
        .filter(|v| v.id == id && v.timeline_request == request)
    else {
        return vec![];
    };
    view.loading_more = false;
    match reply {
        Ok(page) => {
            if !append {
                view.events.clear();
                if view.channel.is_none() && view.kind.is_none() {
                    view.last_contact = page
                        .events
                        .iter()
                        .find(|e| e.kind == EventKind::Contact)
                        .cloned();
                }
            }
            view.events.extend(page.events);
            view.next_before = page.next_before;
            view.timeline_loaded = true;
            state.connection = Connection::Online;
            load_more_if_near_end(state)
        }
        Err(failure) => failed(state, failure),
    }
}

pub fn suggestions_loaded(
    state: &mut AppState,
    request: u64,
    id: CustomerId,
    reply: Reply<Suggestions>,
) -> Vec<Effect> {
    let Some(view) = current(state, request, id) else {
        return vec![];
    };
    match reply {
        Ok(decision) => {
            view.suggestions = Some(decision.suggestions);
            view.decision = Some(decision.decision_id);
            view.not_shown = decision.not_shown;
            state.connection = Connection::Online;
            vec![]
        }
        Err(failure) => failed(state, failure),
    }
}

/// Tab: between the timeline and the suggestions.
pub fn toggle_focus(state: &mut AppState) -> Vec<Effect> {
    if let Some(view) = state.customer.as_mut() {
        view.focus = match view.focus {
            Focus::Timeline => Focus::Suggestions,
            Focus::Suggestions => Focus::Timeline,
        };
    }
    vec![]
}

/// `/` on the customer screen: type to filter the timeline.
pub fn edit_filter(state: &mut AppState) -> Vec<Effect> {
    if let (Screen::Customer, Some(view)) = (&state.screen, state.customer.as_mut()) {
        view.editing_filter = true;
    }
    vec![]
}

pub fn toggle_expanded(state: &mut AppState) -> Vec<Effect> {
    if let Some(view) = state.customer.as_mut() {
        view.expanded = !view.expanded;
    }
    vec![]
}

/// Enter on the customer screen: ends filter editing, else expands the event.
pub fn enter(state: &mut AppState) -> Vec<Effect> {
    if let Some(view) = state.customer.as_mut() {
        if view.editing_filter {
            view.editing_filter = false;
        } else {
            view.expanded = !view.expanded;
        }
    }
    vec![]
}

/// Refresh: the open customer loads again.
pub fn refresh(state: &mut AppState) -> Vec<Effect> {
    match state.customer.as_ref().map(|c| c.id) {
        Some(id) if state.screen == Screen::Customer => load_customer(state, id),
        _ => vec![],
    }
}
