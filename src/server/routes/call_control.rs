//! Call control from the desk: hold, resume, hang up and transfer a call in
//! progress. Each is stored as a command, sent to the ACD as a `call_command`
//! event (to `system` tokens), and answered 202: the ACD confirms with call
//! events (`held`, `resumed`, `ended`, and a transfer's new leg), which
//! move the floor as any call event does. Only the agent on the call, or a
//! supervisor, may ask.

use crate::api::*;
use crate::domain::{AgentId, CallAction, Role};
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::{self, ApiJson, Caller};
use crate::server::floor::LiveCall;
use crate::server::state::AppState;
use crate::server::store::{NewCommand, Transfer};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

/// Longest transfer note and passed-on notes, in characters.
const MAX_NOTE: usize = 500;
const MAX_NOTES: usize = 4000;

/// The call a control operation is about.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CallPath {
    /// The ACD's id for the call: 1 to 128 printable ASCII characters.
    #[param(min_length = 1, max_length = 128, pattern = "^[!-~]+$")]
    pub call_id: String,
}

#[utoipa::path(post, path = "/v1/calls/{call_id}/hold", tag = "floor", security(("bearer" = [])),
    params(CallPath),
    responses((status = 202, description = "Sent to the ACD, which confirms with a `held` event", body = CallCommand),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn hold(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(path): Path<CallPath>,
) -> ApiResult<(StatusCode, Json<CallCommand>)> {
    let call = on_the_call(&state, &caller, &path.call_id)?;
    if call.open_hold.is_some() {
        return Err(ApiError::refused(
            "call_id",
            "the caller is already on hold",
        ));
    }
    let seq = call.next_hold;
    send(
        &state,
        &caller,
        &path.call_id,
        &call,
        CallAction::Hold,
        seq,
        None,
    )
    .await
}

#[utoipa::path(post, path = "/v1/calls/{call_id}/resume", tag = "floor", security(("bearer" = [])),
    params(CallPath),
    responses((status = 202, description = "Sent to the ACD, which confirms with a `resumed` event", body = CallCommand),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn resume(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(path): Path<CallPath>,
) -> ApiResult<(StatusCode, Json<CallCommand>)> {
    let call = on_the_call(&state, &caller, &path.call_id)?;
    let Some(seq) = call.open_hold else {
        return Err(ApiError::refused("call_id", "the caller is not on hold"));
    };
    send(
        &state,
        &caller,
        &path.call_id,
        &call,
        CallAction::Resume,
        seq,
        None,
    )
    .await
}

#[utoipa::path(post, path = "/v1/calls/{call_id}/hang_up", tag = "floor", security(("bearer" = [])),
    params(CallPath),
    responses((status = 202, description = "Sent to the ACD, which confirms with an `ended` event", body = CallCommand),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn hang_up(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(path): Path<CallPath>,
) -> ApiResult<(StatusCode, Json<CallCommand>)> {
    let call = on_the_call(&state, &caller, &path.call_id)?;
    send(
        &state,
        &caller,
        &path.call_id,
        &call,
        CallAction::HangUp,
        0,
        None,
    )
    .await
}

#[utoipa::path(post, path = "/v1/calls/{call_id}/transfer", tag = "floor", security(("bearer" = [])),
    params(CallPath), request_body = NewTransfer,
    responses((status = 202, description = "Sent to the ACD, which confirms with the new leg's call events", body = CallCommand),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transfer(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(path): Path<CallPath>,
    ApiJson(body): ApiJson<NewTransfer>,
) -> ApiResult<(StatusCode, Json<CallCommand>)> {
    let call = on_the_call(&state, &caller, &path.call_id)?;
    let note = body.note.trim();
    if note.is_empty() || note.chars().count() > MAX_NOTE || note.contains('\0') {
        return Err(ApiError::bad_request(format!(
            "`note` must be 1 to {MAX_NOTE} characters: why the caller is handed on"
        ))
        .with_field("note"));
    }
    if body.notes.chars().count() > MAX_NOTES || body.notes.contains('\0') {
        return Err(ApiError::bad_request(format!(
            "`notes` must be at most {MAX_NOTES} characters"
        ))
        .with_field("notes"));
    }
    let to_queue = match (&body.to_agent_id, &body.to_queue) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(ApiError::refused(
                "to_agent_id",
                "name exactly one of `to_agent_id` and `to_queue`",
            ))
        }
        (Some(to), None) => receiving_agent(&state, &call, *to).await?,
        (None, Some(queue)) => match state.floor.queue(queue) {
            Some(q) => q.code.clone(),
            None => {
                return Err(ApiError::refused(
                    "to_queue",
                    format!("unknown queue `{}`", crate::domain::text::clip(queue, 40)),
                ))
            }
        },
    };
    if state.store.transfer_of(&path.call_id).await?.is_some() {
        return Err(ApiError::refused(
            "call_id",
            "this call has been transferred already",
        ));
    }
    let order = Transfer {
        to_agent_id: body.to_agent_id,
        to_queue: &to_queue,
        warm: body.warm,
        note,
        notes: &body.notes,
        by_name: &caller.name,
    };
    send(
        &state,
        &caller,
        &path.call_id,
        &call,
        CallAction::Transfer,
        0,
        Some(order),
    )
    .await
}

/// The call in progress, when the caller may control it: they are on it,
/// or a supervisor.
fn on_the_call(
    state: &AppState,
    caller: &crate::domain::Agent,
    call_id: &str,
) -> ApiResult<LiveCall> {
    let call_id = extract::call_id(call_id)?;
    let call = state.floor.live_call(call_id).ok_or_else(|| {
        ApiError::not_found(format!(
            "no call `{}` in progress (answered and not ended)",
            crate::domain::text::clip(call_id, 40)
        ))
        .with_field("call_id")
    })?;
    if caller.role == Role::Agent && call.agent != caller.id {
        return Err(ApiError::forbidden(
            "only the agent on a call, or a supervisor, may control it",
        ));
    }
    Ok(call)
}

/// The queue a transfer to agent `to` goes in (the call's own), once the
/// agent is known to take calls and is not the one on it.
async fn receiving_agent(state: &AppState, call: &LiveCall, to: AgentId) -> ApiResult<String> {
    if to == call.agent {
        return Err(ApiError::refused(
            "to_agent_id",
            "the call is already theirs",
        ));
    }
    match state.store.floor_agent(to).await? {
        Some(_) => Ok(call.queue.clone()),
        None => Err(ApiError::refused(
            "to_agent_id",
            format!("no agent with id {to} takes calls"),
        )),
    }
}

/// Stores the command, tells the ACD, and answers 202 with it.
async fn send(
    state: &AppState,
    caller: &crate::domain::Agent,
    call_id: &str,
    call: &LiveCall,
    action: CallAction,
    seq: u32,
    transfer: Option<Transfer<'_>>,
) -> ApiResult<(StatusCode, Json<CallCommand>)> {
    let command = state
        .store
        .record_call_command(NewCommand {
            call_id,
            action,
            agent_id: call.agent,
            requested_by: caller.id,
            seq,
            customer_id: call.customer,
            from_queue: &call.queue,
            transfer,
        })
        .await?;
    tracing::info!(
        call = call_id,
        action = action.as_str(),
        by = caller.id.0,
        "call command sent to the ACD"
    );
    state.floor.command(&command);
    Ok((StatusCode::ACCEPTED, Json(command)))
}
