//! Request extractors that answer bad input in the `/v1` error shape, naming the
//! field at fault: JSON bodies (with the path to the bad field), query strings
//! (and their paging limits), path ids, the bearer token and the idempotency key.

use super::access;
use super::error::{ApiError, ApiResult};
use super::state::AppState;
use super::store::{Cursor, TimelineFilter};
use crate::api::{ErrorCode, TimelineQuery, IDEMPOTENCY_KEY};
use crate::domain::{Agent, CustomerId};
use axum::extract::{FromRequest, FromRequestParts, MatchedPath, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A JSON body; errors name the field path, e.g. `fees[0].amount.minor_units`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .eq_ignore_ascii_case("application/json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "the body must be JSON with Content-Type: application/json",
            ));
        }
        // A declared length far over the limit is answered at once, before
        // any of the body is waited for. Nearer the limit the body is read
        // up to it first: a client still sending a little too much then
        // reads its 413 instead of a broken pipe.
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > ANSWER_AT_ONCE_OVER) {
            return Err(too_large());
        }
        // A client that stops sending its body is not waited for.
        let timeout = state.limits.body_timeout;
        let read = tokio::time::timeout(timeout, bytes::Bytes::from_request(req, state));
        let bytes = read
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    ErrorCode::Timeout,
                    format!("the body did not arrive within {} s", timeout.as_secs()),
                )
            })?
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    ApiError::bad_request(format!("could not read the body: {e}"))
                }
            })?;
        // PostgreSQL cannot store NUL in text; refuse it here, for every database.
        if bytes.contains(&0) || bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
            return Err(ApiError::bad_request("text may not contain NUL characters"));
        }
        let value = parse_json(&bytes)?;
        Ok(ApiJson(value))
    }
}

/// Parses a body, reporting where it went wrong. A number written with a
/// zero fraction (`7.0`) is the integer it equals, as JSON Schema counts it,
/// so it fills an integer field (serde_json's `float_roundtrip` reads it
/// exactly).
fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(format!(
            "invalid JSON body: {}",
            clean_serde_message(&e.to_string())
        ))
    })?;
    integral_floats_as_integers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = format!(
            "invalid JSON body: {}",
            clean_serde_message(&inner.to_string())
        );
        let error = ApiError::bad_request(message);
        if path == "." || path.is_empty() {
            error
        } else {
            error.with_field(path)
        }
    })
}

/// `7.0` becomes `7`, below 2^53 (past that an f64 does not hold every
/// whole number exactly, so it is left a float and refused where a whole
/// number is wanted).
fn integral_floats_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let integer = n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64);
            if let Some(i) = integer {
                *value = Value::from(i);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_floats_as_integers),
        _ => {}
    }
}

/// serde's messages mention Rust types; keep the part a client understands.
fn clean_serde_message(message: &str) -> String {
    message.chars().take(300).collect()
}

/// A query string; errors name the parameter.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let pairs = form_urlencoded::parse(query.as_bytes());
        if let Some((name, _)) = pairs
            .clone()
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(ApiError::bad_request("text may not contain NUL characters")
                .with_field(name.chars().filter(|c| *c != '\0').collect::<String>()));
        }
        let de = serde_urlencoded::Deserializer::new(pairs);
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| {
                let path = e.path().to_string();
                let message = format!(
                    "invalid query: {}",
                    clean_serde_message(&e.inner().to_string())
                );
                let error = ApiError::bad_request(message);
                if path == "." {
                    error
                } else {
                    error.with_field(path)
                }
            })
    }
}

/// The customer id in `/v1/customers/{id}/…`.
pub struct CustomerPath(pub CustomerId);

impl<S: Send + Sync> FromRequestParts<S> for CustomerPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(raw): axum::extract::Path<String> =
            axum::extract::Path::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::bad_request("missing customer id").with_field("id"))?;
        raw.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(|id| CustomerPath(CustomerId(id)))
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "`{}` is not a customer id (a positive integer)",
                    raw.chars().take(40).collect::<String>()
                ))
                .with_field("id")
            })
    }
}

/// The signed-in agent, from `Authorization: Bearer <token>`.
pub struct Caller(pub Agent);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthenticated("missing Authorization: Bearer <token>"))?;
        let token = header.to_str().ok().and_then(bearer_token).ok_or_else(|| {
            ApiError::unauthenticated("the Authorization header must be `Bearer <token>`")
        })?;
        let Some(agent) = state.store.agent_by_token(token).await? else {
            return Err(ApiError::unauthenticated(
                "this token is not known to the server (revoked, or for another server)",
            ));
        };
        // The role × route matrix, before any handler runs.
        let route = parts
            .extensions
            .get::<MatchedPath>()
            .map_or("", MatchedPath::as_str);
        match access::refusal(agent.role, parts.method.as_str(), route) {
            None => Ok(Caller(agent)),
            Some(why) => Err(ApiError::forbidden(why)),
        }
    }
}

/// A declared body longer than this is refused before any of it is read.
const ANSWER_AT_ONCE_OVER: u64 = 4 * MAX_BODY_BYTES as u64;

/// 413 in the error shape, naming the limit.
fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::TooLarge,
        format!("the body is larger than {} KiB", MAX_BODY_BYTES / 1024),
    )
}

/// The token of an `Authorization` value: the scheme `Bearer` in any case
/// (RFC 9110 §11.1), then the token; `None` for another scheme or none.
pub(crate) fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The `Idempotency-Key` header every write must carry.
#[derive(utoipa::IntoParams)]
#[into_params(names("Idempotency-Key"), parameter_in = Header)]
pub struct IdempotencyKey(
    /// One key per submission: 1–255 printable ASCII characters, e.g. a UUID.
    #[param(min_length = 1, max_length = 255, pattern = "^[!-~]+$")]
    pub String,
);

/// Longest key accepted; a UUID is 36 characters.
const MAX_KEY_LEN: usize = 255;

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let field = "Idempotency-Key";
        let value = parts.headers.get(IDEMPOTENCY_KEY).ok_or_else(|| {
            ApiError::bad_request("writes need an Idempotency-Key header (e.g. a UUID)")
                .with_field(field)
        })?;
        let key = value
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|k| {
                !k.is_empty() && k.len() <= MAX_KEY_LEN && k.bytes().all(|b| b.is_ascii_graphic())
            })
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "the Idempotency-Key must be 1 to {MAX_KEY_LEN} printable ASCII characters"
                ))
                .with_field(field)
            })?;
        Ok(IdempotencyKey(key.to_string()))
    }
}

/// An ACD's call id: 1 to `MAX_CALL_ID` printable ASCII characters.
pub fn call_id(call_id: &str) -> ApiResult<&str> {
    if call_id.is_empty()
        || call_id.len() > crate::api::MAX_CALL_ID
        || !call_id.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(ApiError::bad_request(format!(
            "`call_id` must be 1 to {} printable ASCII characters",
            crate::api::MAX_CALL_ID
        ))
        .with_field("call_id"));
    }
    Ok(call_id)
}

/// A paging limit within 1..=max, defaulting to `default`.
pub fn bounded(value: Option<u32>, default: u32, max: u32, field: &str) -> ApiResult<u32> {
    match value {
        None => Ok(default),
        Some(v) if (1..=max).contains(&v) => Ok(v),
        Some(_) => {
            Err(ApiError::bad_request(format!("`{field}` must be 1 to {max}")).with_field(field))
        }
    }
}

/// The page a timeline query asks for, or why it cannot be read.
pub fn timeline_filter(q: &TimelineQuery) -> ApiResult<TimelineFilter> {
    let limit = bounded(q.limit, 50, 500, "limit")?;
    let before = match &q.before {
        None => None,
        Some(text) => Some(Cursor::decode(text).ok_or_else(|| {
            ApiError::bad_request("`before` is not a cursor from `next_before`")
                .with_field("before")
        })?),
    };
    Ok(TimelineFilter {
        before,
        limit,
        channel: q.channel,
        kind: q.kind,
    })
}

/// A page of timeline events as the routes answer it: with the cursor of
/// the next (older) page, if there is one.
pub fn timeline_page(
    events: Vec<crate::domain::TimelineEvent>,
    next: Option<Cursor>,
) -> crate::api::TimelinePage {
    crate::api::TimelinePage {
        events,
        next_before: next.map(|c| c.encode()),
    }
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn the_bearer_scheme_is_case_insensitive_and_nothing_else_passes() {
        for value in [
            "Bearer sb_1",
            "bearer sb_1",
            "BEARER  sb_1 ",
            " Bearer sb_1",
        ] {
            assert_eq!(bearer_token(value), Some("sb_1"), "{value:?}");
        }
        for value in ["Basic sb_1", "Bearer", "Bearer ", "Bearersb_1", "sb_1", ""] {
            assert_eq!(bearer_token(value), None, "{value:?}");
        }
    }
}
