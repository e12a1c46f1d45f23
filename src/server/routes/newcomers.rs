//! Callers the server did not know, written from the desk through the
//! idempotent write path: a new customer (or a record of the number alone)
//! and a number added to a known customer. The number is normalised as a
//! lookup does, so the caller is found by it next time.

use crate::api::Write;
use crate::api::*;
use crate::domain::{phone, text, Customer};
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::{ApiJson, Caller, CustomerPath, IdempotencyKey};
use crate::server::state::AppState;
use crate::server::write_path::write;
use axum::extract::State;
use axum::response::Response;

/// Longest name, in characters.
const MAX_NAME: usize = 100;

#[utoipa::path(post, path = "/v1/customers", tag = "writes", security(("bearer" = [])),
    request_body = NewCustomerRecord,
    params(IdempotencyKey),
    responses((status = 201, description = "Created", body = Customer), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_customer(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    ApiJson(mut body): ApiJson<NewCustomerRecord>,
) -> ApiResult<Response> {
    if let Some(name) = &body.name {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control)
        {
            return Err(ApiError::bad_request(format!(
                "`name` must be 1 to {MAX_NAME} printable characters"
            ))
            .with_field("name"));
        }
        body.name = Some(name.to_string());
    }
    body.phone = dialable(&state, &body.phone)?;
    if let Some(email) = &body.email {
        let email = text::normalize_email(email);
        if !text::is_plausible_email(&email) {
            return Err(ApiError::refused("email", "not an e-mail address"));
        }
        body.email = Some(email);
    }
    if let Some(language) = &body.language {
        let (code, region) = language.split_once('-').unwrap_or((language, ""));
        let fine = (2..=3).contains(&code.len())
            && code.chars().all(|c| c.is_ascii_lowercase())
            && (region.is_empty()
                || (region.len() == 2 && region.chars().all(|c| c.is_ascii_uppercase())));
        if !fine {
            return Err(
                ApiError::bad_request("`language` must be a code such as `en` or `pt-BR`")
                    .with_field("language"),
            );
        }
    }
    if let Some(zone) = &body.time_zone {
        if zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(ApiError::refused(
                "time_zone",
                format!(
                    "`{}` is not a time zone; use an IANA name such as `Europe/London`",
                    text::clip(zone, 40)
                ),
            ));
        }
    }
    write(&state, caller, key, Write::NewCustomer(body)).await
}

#[utoipa::path(post, path = "/v1/customers/{id}/phones", tag = "writes", security(("bearer" = [])),
    request_body = NewPhone,
    params(("id" = i64, Path, description = "Customer id", minimum = 1), IdempotencyKey),
    responses((status = 200, description = "Added, or theirs already", body = Customer), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_phone(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    CustomerPath(id): CustomerPath,
    ApiJson(body): ApiJson<NewPhone>,
) -> ApiResult<Response> {
    let phone = dialable(&state, &body.phone)?;
    let added = PhoneWrite {
        customer_id: id,
        phone: NewPhone { phone },
    };
    write(&state, caller, key, Write::AddPhone(added)).await
}

/// The number in E.164, or 422 saying why it cannot be dialled.
fn dialable(state: &AppState, raw: &str) -> ApiResult<String> {
    if raw.chars().count() > 64 || raw.chars().any(char::is_control) {
        return Err(
            ApiError::bad_request("`phone` must be at most 64 printable characters")
                .with_field("phone"),
        );
    }
    phone::to_e164(raw, &state.default_country_code)
        .map_err(|e| ApiError::refused("phone", e.to_string()))
}
