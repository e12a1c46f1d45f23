//! The one error shape every `/v1` failure uses: `{code, message, field?}`.

use serde::{Deserialize, Serialize};

/// Machine-readable error codes. The HTTP status says the class; this says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the request is malformed (bad JSON, wrong type, bad parameter).
    BadRequest,
    /// 401: no token, or a token the server does not know.
    Unauthenticated,
    /// 403: the caller is known but may not do this.
    Forbidden,
    /// 404: no such resource (or route).
    NotFound,
    /// 405: the route exists but not with this method.
    MethodNotAllowed,
    /// 408: the request's body did not arrive in time.
    Timeout,
    /// 409: a request with this idempotency key is still being processed.
    InFlight,
    /// 413: the body is too large.
    TooLarge,
    /// 415: the body is not JSON.
    UnsupportedMediaType,
    /// 422: this idempotency key was used with a different request body.
    KeyReused,
    /// 422: the request is well-formed but a rule refuses it (e.g. a waiver
    /// above the fee's outstanding amount).
    Refused,
    /// 500: the server failed; the request may be retried with the same key.
    Internal,
    /// 503: the server cannot reach its database.
    Unavailable,
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// A sentence for a person: what was wrong and where.
    pub message: String,
    /// The request field at fault, as a path such as `fees[0].amount`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
