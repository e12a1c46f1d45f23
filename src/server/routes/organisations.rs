//! Business accounts: an organisation's account (tier, manager, terms,
//! contacts, invoices, orders, rebates) and the whole account's timeline,
//! every contact's events for it on every channel.

use crate::api::{ErrorBody, TimelinePage, TimelineQuery};
use crate::domain::Organisation;
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::{timeline_filter, timeline_page, ApiQuery, Caller, CustomerPath};
use crate::server::state::AppState;
use axum::extract::State;
use axum::Json;

#[utoipa::path(get, path = "/v1/organisations/{id}", tag = "organisations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation's customer id", minimum = 1)),
    responses((status = 200, body = Organisation), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn organisation(
    State(state): State<AppState>,
    Caller(agent): Caller,
    CustomerPath(id): CustomerPath,
) -> ApiResult<Json<Organisation>> {
    let account = state
        .store
        .organisation(id)
        .await?
        .ok_or_else(|| not_an_organisation(id))?;
    state.views.record(agent.id, id, "account");
    Ok(Json(account))
}

#[utoipa::path(get, path = "/v1/organisations/{id}/timeline", tag = "organisations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation's customer id", minimum = 1), TimelineQuery),
    responses((status = 200, body = TimelinePage), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn timeline(
    State(state): State<AppState>,
    Caller(agent): Caller,
    CustomerPath(id): CustomerPath,
    ApiQuery(q): ApiQuery<TimelineQuery>,
) -> ApiResult<Json<TimelinePage>> {
    let filter = timeline_filter(&q)?;
    let (is_one, (events, next)) = tokio::try_join!(
        state.store.is_organisation(id),
        state.store.account_timeline(id, &filter)
    )?;
    if !is_one {
        return Err(not_an_organisation(id));
    }
    state.views.record(agent.id, id, "account_timeline");
    Ok(Json(timeline_page(events, next)))
}

fn not_an_organisation(id: crate::domain::CustomerId) -> ApiError {
    ApiError::not_found(format!("no organisation with id {id}")).with_field("id")
}
