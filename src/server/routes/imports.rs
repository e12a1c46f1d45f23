//! The import API, for systems that push records instead of dropping files:
//! a customer put under the source system's own id, and timeline events in
//! batches. Checked exactly as `switchboard import` checks a file's rows
//! (`server::import::records`), and idempotent by source id: the same record
//! twice changes nothing. Only `system` tokens may push.

use crate::api::*;
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::{ApiJson, Caller};
use crate::server::import::records::{self, Rejected, Row, MAX_CONTACTS};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::Json;

/// Most events in one batch.
const MAX_BATCH: usize = 1_000;

#[utoipa::path(put, path = "/v1/customers/{source}/{source_id}", tag = "import",
    security(("bearer" = [])),
    params(("source" = String, Path, description = "The source system's name", pattern = "^[A-Za-z0-9_-]{1,40}$"),
        ("source_id" = String, Path, description = "The customer's id in that system")),
    request_body = ImportCustomer,
    responses((status = 200, body = Imported), (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_customer(
    State(state): State<AppState>,
    _: Caller,
    Path((source, source_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ImportCustomer>,
) -> ApiResult<Json<Imported>> {
    check_source(&source)?;
    for (field, items) in [("phones", &body.phones), ("emails", &body.emails)] {
        if items.len() > MAX_CONTACTS {
            return Err(
                ApiError::bad_request(format!("at most {MAX_CONTACTS} {field}")).with_field(field),
            );
        }
    }
    let row = customer_row(&body, &source_id);
    let today = state.store.now().date_naive();
    let record = records::customer(&row, &state.default_country_code, today).map_err(refusal)?;
    let (applied, refused) = state.store.import_customers(&source, &[record]).await?;
    if let Some((_, why)) = refused.into_iter().next() {
        return Err(refusal(why));
    }
    let customer_id = state
        .store
        .imported_customer(&source, &source_id)
        .await?
        .ok_or_else(|| ApiError::not_found("the customer was not kept"))?;
    let result = match (applied.created, applied.updated) {
        (1, _) => ImportResult::Created,
        (_, 1) => ImportResult::Updated,
        _ => ImportResult::Unchanged,
    };
    Ok(Json(Imported {
        customer_id,
        result,
    }))
}

#[utoipa::path(post, path = "/v1/events:batch", tag = "import", security(("bearer" = [])),
    request_body = EventBatch,
    responses((status = 200, body = EventBatchResult), (status = 400, body = ErrorBody)))]
pub async fn post_events(
    State(state): State<AppState>,
    _: Caller,
    ApiJson(batch): ApiJson<EventBatch>,
) -> ApiResult<Json<EventBatchResult>> {
    check_source(&batch.source)?;
    if batch.events.is_empty() || batch.events.len() > MAX_BATCH {
        return Err(
            ApiError::bad_request(format!("`events` must hold 1 to {MAX_BATCH} events"))
                .with_field("events"),
        );
    }
    let mut rejected = Vec::new();
    let mut valid = Vec::new();
    let mut positions = Vec::new();
    for (index, event) in batch.events.into_iter().enumerate() {
        let checked = records::event(&event_row(&event));
        match checked {
            Ok(record) => {
                valid.push(record);
                positions.push(index);
            }
            Err(why) => rejected.push(rejection(index, why)),
        }
    }
    let (applied, refused) = state.store.import_events(&batch.source, &valid).await?;
    rejected.extend(
        refused
            .into_iter()
            .map(|(i, why)| rejection(positions[i], why)),
    );
    rejected.sort_by_key(|r| r.index);
    Ok(Json(EventBatchResult {
        created: applied.created,
        updated: applied.updated,
        unchanged: applied.unchanged,
        rejected,
    }))
}

/// The customer as a row of the file layout, checked by the same rules.
fn customer_row(c: &ImportCustomer, source_id: &str) -> Row {
    // A `;` inside one would split it: the row's lists are `;`-separated.
    let texts = |items: &[String]| {
        items
            .iter()
            .map(|t| t.replace(';', ","))
            .collect::<Vec<_>>()
            .join(";")
    };
    let channels: Vec<&str> = c.marketing_channels.iter().map(|ch| ch.as_str()).collect();
    let fields = [
        ("source_id", Some(source_id.to_string())),
        ("name", Some(c.name.clone())),
        ("account_number", c.account_number.clone()),
        ("phones", Some(texts(&c.phones))),
        ("emails", Some(texts(&c.emails))),
        ("segment", c.segment.map(|s| s.as_str().to_string())),
        (
            "lifetime_value_minor",
            c.lifetime_value_minor.map(|v| v.to_string()),
        ),
        ("balance_minor", c.balance_minor.map(|v| v.to_string())),
        ("currency", c.currency.clone()),
        ("customer_since", c.customer_since.map(|d| d.to_string())),
        ("churn_risk", c.churn_risk.map(|r| r.to_string())),
        ("language", c.language.clone()),
        ("time_zone", c.time_zone.clone()),
        ("marketing_channels", Some(channels.join(";"))),
    ];
    row_from(fields)
}

/// The event as a row of the file layout.
fn event_row(e: &ImportEvent) -> Row {
    let fields = [
        ("source_id", Some(e.source_id.clone())),
        ("customer_id", Some(e.customer_id.clone())),
        ("at", Some(e.at.to_rfc3339())),
        ("channel", Some(e.channel.as_str().to_string())),
        ("kind", Some(e.kind.as_str().to_string())),
        ("summary", Some(e.summary.clone())),
        ("topic", e.topic.clone()),
        ("detail", e.detail.clone()),
        ("agent", e.agent.clone()),
        ("outcome", e.outcome.clone()),
        ("amount_minor", e.amount_minor.map(|v| v.to_string())),
        ("currency", e.currency.clone()),
    ];
    row_from(fields)
}

fn row_from<const N: usize>(fields: [(&str, Option<String>); N]) -> Row {
    Row::new(
        fields
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| (name.to_string(), v)))
            .collect(),
    )
}

fn check_source(source: &str) -> ApiResult<()> {
    let fine = (1..=40).contains(&source.len())
        && source
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match fine {
        true => Ok(()),
        false => Err(ApiError::bad_request(
            "the source must be 1 to 40 letters, digits, `-` or `_`",
        )
        .with_field("source")),
    }
}

fn refusal(why: Rejected) -> ApiError {
    ApiError::refused(&why.field, why.why)
}

fn rejection(index: usize, why: Rejected) -> RejectedEvent {
    RejectedEvent {
        index,
        field: (!why.field.is_empty()).then_some(why.field),
        message: why.why,
    }
}
