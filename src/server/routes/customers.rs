//! The customer reads: lookup by phone, e-mail or account (the screen pop),
//! search, the customer record, the timeline and the suggestions.

use crate::api::*;
use crate::domain::{phone, text, Channel, Customer};
use crate::server::decide::facts::Contact;
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::{
    bounded, timeline_filter, timeline_page, ApiQuery, Caller, CustomerPath,
};
use crate::server::state::AppState;
use crate::server::suggest::suggest;
use axum::extract::State;
use axum::Json;

#[utoipa::path(get, path = "/v1/customers/lookup", tag = "customers", security(("bearer" = [])),
    params(LookupQuery),
    responses((status = 200, body = LookupResult), (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn lookup(
    State(state): State<AppState>,
    _: Caller,
    ApiQuery(q): ApiQuery<LookupQuery>,
) -> ApiResult<Json<LookupResult>> {
    let store = &state.store;
    let (normalized, matches) = match (&q.phone, &q.email, &q.account) {
        (Some(p), None, None) => {
            let e164 = phone::to_e164(p, &state.default_country_code)
                .map_err(|e| ApiError::refused("phone", e.to_string()))?;
            let found = store.lookup_phone(&e164).await?;
            (e164, found)
        }
        (None, Some(e), None) => {
            let email = text::normalize_email(e);
            if !text::is_plausible_email(&email) {
                return Err(ApiError::refused("email", "not an e-mail address"));
            }
            let found = store.lookup_email(&email).await?;
            (email, found)
        }
        (None, None, Some(a)) => {
            let account = text::normalize_account(a);
            if account.is_empty() {
                return Err(ApiError::refused("account", "empty account number"));
            }
            let found = store.lookup_account(&account).await?;
            (account, found)
        }
        _ => {
            return Err(ApiError::bad_request(
                "give exactly one of `phone`, `email` or `account`",
            ))
        }
    };
    Ok(Json(LookupResult {
        normalized,
        matches,
    }))
}

/// Looks like an account number: letters then at least four digits, e.g. AC00000001.
fn looks_like_account(q: &str) -> bool {
    let a = text::normalize_account(q);
    let digits = a.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    digits.len() >= 4 && digits.chars().all(|c| c.is_ascii_digit()) && a.len() <= 32
}

#[utoipa::path(get, path = "/v1/customers/search", tag = "customers", security(("bearer" = [])),
    params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    _: Caller,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    let limit = bounded(q.limit, 20, 100, "limit")? as usize;
    let query = q.q.trim();
    if query.is_empty() || query.chars().count() > 200 {
        return Err(ApiError::bad_request("`q` must be 1 to 200 characters").with_field("q"));
    }
    let store = &state.store;
    let mut hits: Vec<SearchHit> = Vec::new();
    let mut exact = |found: Vec<CustomerSummary>, on: MatchedOn| {
        hits.extend(found.into_iter().map(|customer| SearchHit {
            customer,
            matched_on: on,
            exact: true,
        }))
    };
    if phone::looks_like_phone(query) {
        if let Ok(e164) = phone::to_e164(query, &state.default_country_code) {
            exact(store.lookup_phone(&e164).await?, MatchedOn::Phone);
        }
    } else if query.contains('@') {
        exact(
            store.lookup_email(&text::normalize_email(query)).await?,
            MatchedOn::Email,
        );
    } else if looks_like_account(query) {
        exact(
            store
                .lookup_account(&text::normalize_account(query))
                .await?,
            MatchedOn::Account,
        );
    }
    for hit in store.search_names(query, limit).await? {
        if !hits.iter().any(|h| h.customer.id == hit.customer.id) {
            hits.push(hit);
        }
    }
    hits.truncate(limit);
    Ok(Json(SearchResults { hits }))
}

#[utoipa::path(get, path = "/v1/customers/{id}", tag = "customers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id", minimum = 1)),
    responses((status = 200, body = Customer), (status = 404, body = ErrorBody)))]
pub async fn customer(
    State(state): State<AppState>,
    Caller(agent): Caller,
    CustomerPath(id): CustomerPath,
) -> ApiResult<Json<Customer>> {
    let mut customer =
        state.store.customer(id).await?.ok_or_else(|| {
            ApiError::not_found(format!("no customer with id {id}")).with_field("id")
        })?;
    state.views.record(agent.id, id, "profile");
    state.managers_on_the_floor(&mut customer);
    Ok(Json(customer))
}

#[utoipa::path(get, path = "/v1/customers/{id}/timeline", tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id", minimum = 1), TimelineQuery),
    responses((status = 200, body = TimelinePage), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn timeline(
    State(state): State<AppState>,
    Caller(agent): Caller,
    CustomerPath(id): CustomerPath,
    ApiQuery(q): ApiQuery<TimelineQuery>,
) -> ApiResult<Json<TimelinePage>> {
    let filter = timeline_filter(&q)?;
    if !state.store.customer_exists(id).await? {
        return Err(ApiError::not_found(format!("no customer with id {id}")).with_field("id"));
    }
    state.views.record(agent.id, id, "timeline");
    let (events, next) = state.store.timeline(id, &filter).await?;
    Ok(Json(timeline_page(events, next)))
}

#[utoipa::path(get, path = "/v1/customers/{id}/suggestions", tag = "customers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Customer id", minimum = 1), SuggestionsQuery),
    responses((status = 200, body = Suggestions), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn suggestions(
    State(state): State<AppState>,
    Caller(agent): Caller,
    CustomerPath(id): CustomerPath,
    ApiQuery(q): ApiQuery<SuggestionsQuery>,
) -> ApiResult<Json<Suggestions>> {
    let mut customer =
        state.store.customer(id).await?.ok_or_else(|| {
            ApiError::not_found(format!("no customer with id {id}")).with_field("id")
        })?;
    if let Some(organisation) = q.acting_for {
        if !customer.calling_for(organisation) {
            return Err(ApiError::refused(
                "acting_for",
                format!("customer {id} holds no role at organisation {organisation}"),
            ));
        }
    }
    state.managers_on_the_floor(&mut customer);
    if q.queue
        .as_ref()
        .is_some_and(|queue| queue.is_empty() || queue.len() > 64)
    {
        return Err(ApiError::bad_request("a queue code is 1 to 64 characters").with_field("queue"));
    }
    let contact = Contact {
        channel: q.channel.unwrap_or(Channel::Voice).as_str().to_string(),
        queue: q.queue.clone(),
    };
    let made = suggest(
        &state.store,
        &state.catalog,
        &state.decay,
        &customer,
        agent.id,
        &contact,
        q.explain == Some(true),
    )
    .await?;
    // Kept in the decision log off the answer's path.
    state.decisions.save(state.store.clone(), made.record);
    let answer = made.answer;
    Ok(Json(answer))
}
