//! The idempotent write path every write handler goes through: claim the
//! `Idempotency-Key` (fingerprinting the request), replay or refuse a reused
//! key, run the write in the store, keep the rendered response with the key,
//! give the key back when nothing was recorded, and tell the live floor what
//! the write changed.

use super::error::{ApiError, ApiResult};
use super::extract::{Caller, IdempotencyKey};
use super::state::AppState;
use super::store::{Claim, StoredResponse, WriteOutcome};
use crate::api::{ApprovalKind, ErrorCode, Write, IDEMPOTENT_REPLAYED};
use crate::domain::{text, Agent, WaiverStatus};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The shared write path: claim the key, replay or refuse a reused one, run the
/// write, and give the key back if nothing was recorded.
pub async fn write(
    state: &AppState,
    Caller(agent): Caller,
    IdempotencyKey(key): IdempotencyKey,
    request: Write,
) -> ApiResult<Response> {
    let store = &state.store;
    let token = match store
        .claim_key(agent.id, &key, &fingerprint(&request))
        .await?
    {
        Claim::Fresh { token } => token,
        Claim::Replay { status, body } => return Ok(json_response(status, body, true)),
        Claim::Mismatch => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::KeyReused,
                "this Idempotency-Key was already used for a different request",
            )
            .with_field("Idempotency-Key"))
        }
        Claim::InFlight => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::InFlight,
                "a request with this Idempotency-Key is still being processed; retry shortly",
            )
            .with_field("Idempotency-Key"))
        }
    };
    match store.write(&agent, &key, token, &request, render).await {
        Ok((outcome, response)) => {
            if matches!(outcome, WriteOutcome::Invalid { .. }) {
                store.release_key(agent.id, &key, token).await?;
            }
            after_write(state, &agent, &outcome).await;
            Ok(json_response(response.status, response.body, false))
        }
        Err(e) => {
            if let Err(release) = store.release_key(agent.id, &key, token).await {
                tracing::error!(error = %release, "could not release idempotency key");
            }
            Err(e.into())
        }
    }
}

/// The request's identity for key reuse: a hash of its canonical JSON, so the
/// same request written with other spacing or field order is the same request.
fn fingerprint(request: &Write) -> String {
    let json = request.content_json();
    let mut hasher = Sha256::new();
    hasher.update(request.action_name().as_bytes());
    hasher.update(json.unwrap_or_default());
    text::hex(&hasher.finalize())
}

/// The response for an outcome, as sent now and replayed later.
fn render(outcome: &WriteOutcome) -> StoredResponse {
    let (status, body) = match outcome {
        WriteOutcome::InteractionRecorded(r) => (StatusCode::CREATED, serde_json::to_string(r)),
        WriteOutcome::EscalationRecorded(r) => (StatusCode::CREATED, serde_json::to_string(r)),
        WriteOutcome::ApprovalDecided(d) => (StatusCode::OK, serde_json::to_string(d)),
        WriteOutcome::CustomerCreated(c) => (StatusCode::CREATED, serde_json::to_string(c)),
        WriteOutcome::PhoneAdded(c) => (StatusCode::OK, serde_json::to_string(c)),
        WriteOutcome::WaiverDecided(d) => {
            let status = match d.status {
                WaiverStatus::Applied => StatusCode::CREATED,
                _ => StatusCode::ACCEPTED,
            };
            (status, serde_json::to_string(d))
        }
        WriteOutcome::Refused { field, reason } => {
            let e = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Refused,
                reason.clone(),
            )
            .with_field(field.clone());
            (e.status, serde_json::to_string(&e.body))
        }
        WriteOutcome::Invalid {
            field,
            message,
            not_found,
        } => {
            // It parsed, so what refused it is a rule of the content.
            let (status, code) = if *not_found {
                (StatusCode::NOT_FOUND, ErrorCode::NotFound)
            } else {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Refused)
            };
            let e = ApiError::new(status, code, message.clone()).with_field(field.clone());
            (e.status, serde_json::to_string(&e.body))
        }
    };
    StoredResponse {
        status: status.as_u16(),
        body: body.unwrap_or_else(|_| "{}".into()),
    }
}

/// A JSON response with `status`, marked `Idempotent-Replayed` when it is a
/// replay of a stored one.
pub fn json_response(status: u16, body: String, replayed: bool) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if replayed {
        headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    response
}

/// Tells the floor what a write changed: an interaction ends the agent's
/// wrap-up; a pending waiver or a new escalation asks for approval; a decision
/// goes to the agent who asked.
async fn after_write(state: &AppState, agent: &Agent, outcome: &WriteOutcome) {
    let floor = &state.floor;
    let asked: Vec<(ApprovalKind, i64)> = match outcome {
        WriteOutcome::InteractionRecorded(_) => {
            floor.interaction_logged(agent.id, chrono::Utc::now().timestamp_millis());
            return;
        }
        WriteOutcome::ApprovalDecided(d) => {
            floor.approval_decided(d);
            return;
        }
        WriteOutcome::WaiverDecided(d) => d
            .waivers
            .iter()
            .filter(|w| w.status == WaiverStatus::PendingApproval)
            .map(|w| (ApprovalKind::FeeWaiver, w.id.0))
            .collect(),
        WriteOutcome::EscalationRecorded(e) => vec![(ApprovalKind::Escalation, e.id.0)],
        WriteOutcome::Refused { .. }
        | WriteOutcome::Invalid { .. }
        | WriteOutcome::CustomerCreated(_)
        | WriteOutcome::PhoneAdded(_) => return,
    };
    if asked.is_empty() {
        return;
    }
    match state.store.pending_approvals().await {
        Ok(all) => floor.approvals_requested(
            all.into_iter()
                .filter(|a| asked.contains(&(a.kind, a.id)))
                .collect(),
        ),
        Err(e) => tracing::warn!(error = %e, "could not announce new approvals"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Decision, DecisionWrite, NewDecision, NewInteraction};
    use crate::domain::{Channel, CustomerId, InteractionOutcome};

    fn sha(parts: &[&str]) -> String {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update(part.as_bytes());
        }
        text::hex(&hasher.finalize())
    }

    /// Keys are kept 45 days: a server upgraded meanwhile must fingerprint a
    /// replayed write exactly as before, or the replay is refused as a reused
    /// key. These are the bytes servers hashed before `api::Write` existed.
    #[test]
    fn fingerprints_are_the_ones_stored_before() {
        let interaction = Write::Interaction(NewInteraction {
            customer_id: CustomerId(1),
            channel: Channel::Voice,
            disposition_code: "billing.late_fee".into(),
            outcome: InteractionOutcome::Resolved,
            tags: vec![],
            notes: "n".into(),
            suggestion_outcomes: vec![],
            follow_up_at: None,
            acting_for: None,
            tone_flagged: false,
        });
        assert_eq!(
            fingerprint(&interaction),
            sha(&[
                "interaction",
                r#"{"customer_id":1,"channel":"voice","disposition_code":"billing.late_fee","outcome":"resolved","tags":[],"notes":"n","suggestion_outcomes":[],"follow_up_at":null}"#
            ])
        );
        let decision = Write::Decision(DecisionWrite {
            kind: ApprovalKind::FeeWaiver,
            id: 4,
            decision: NewDecision {
                decision: Decision::Deny,
                note: "no".into(),
            },
        });
        assert_eq!(
            fingerprint(&decision),
            sha(&[
                "approval",
                r#"{"kind":"fee_waiver","id":4,"decision":{"decision":"deny","note":"no"}}"#
            ])
        );
    }
}
