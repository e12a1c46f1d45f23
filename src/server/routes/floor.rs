//! The live floor's `/v1` handlers: call events from the ACD, agent states, the
//! queue and agent boards, staffing, and approvals (decided through the
//! idempotent write path). The event stream is in `events.rs`.

use crate::api::*;
use crate::api::{DecisionWrite, Write};
use crate::domain::{phone, AgentId, CallEventKind, SettableState, Staffing};
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::{self, ApiJson, ApiQuery, Caller, IdempotencyKey};
use crate::server::floor::{board, erlang, KnownCaller};
use crate::server::state::AppState;
use crate::server::write_path::{json_response, write};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;

/// How far ahead of the server's clock an event time may be.
const MAX_CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;
/// How old an event may be and still be accepted.
const MAX_EVENT_AGE_MS: i64 = 7 * 24 * 3600 * 1000;
/// Longest caller number accepted.
const MAX_CALLER: usize = 64;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[utoipa::path(post, path = "/v1/calls", tag = "floor", security(("bearer" = [])),
    request_body = NewCallEvent,
    responses((status = 200, description = "Stored, or already stored (then with `Idempotent-Replayed: true`)", body = CallEvent),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_call(
    State(state): State<AppState>,
    _caller: Caller,
    ApiJson(body): ApiJson<NewCallEvent>,
) -> ApiResult<Response> {
    let call_id = extract::call_id(&body.call_id)?;
    if state.floor.queue(&body.queue).is_none() {
        return Err(ApiError::refused(
            "queue",
            format!(
                "unknown queue `{}`",
                crate::domain::text::clip(&body.queue, 40)
            ),
        ));
    }
    let now = now_ms();
    let at = body.occurred_at.timestamp_millis();
    if at > now + MAX_CLOCK_SKEW_MS || at < now - MAX_EVENT_AGE_MS {
        return Err(ApiError::refused(
            "occurred_at",
            "`occurred_at` must be within the last 7 days and not in the future",
        ));
    }
    if body.seq > 1000 {
        return Err(ApiError::bad_request("`seq` must be 0 to 1000").with_field("seq"));
    }
    if body.seq > 0 && !matches!(body.kind, CallEventKind::Held | CallEventKind::Resumed) {
        return Err(ApiError::refused(
            "seq",
            "only `held` and `resumed` events are numbered; `seq` must be 0",
        ));
    }
    if body.kind == CallEventKind::Answered && body.agent_id.is_none() {
        return Err(ApiError::refused(
            "agent_id",
            "an `answered` event needs the `agent_id`",
        ));
    }
    let agent =
        match body.agent_id {
            None => None,
            Some(id) => {
                Some(state.store.floor_agent(id).await?.ok_or_else(|| {
                    ApiError::refused("agent_id", format!("no agent with id {id}"))
                })?)
            }
        };
    if let Some(raw) = &body.caller {
        if raw.chars().count() > MAX_CALLER || raw.chars().any(char::is_control) {
            return Err(ApiError::bad_request(format!(
                "`caller` must be at most {MAX_CALLER} printable characters"
            ))
            .with_field("caller"));
        }
    }
    let (caller_number, customer) = match body.caller.as_deref().map(str::trim) {
        None | Some("") => (None, None),
        Some(raw) => match phone::to_e164(raw, &state.default_country_code) {
            Ok(e164) => {
                let found = state.store.lookup_phone(&e164).await?;
                let customer = match found.as_slice() {
                    [only] => {
                        let key_account = state.store.key_account_of(only.id).await?;
                        Some((
                            only.id,
                            KnownCaller {
                                name: only.name.clone(),
                                key_account: key_account.is_some(),
                            },
                            key_account.flatten(),
                        ))
                    }
                    _ => None,
                };
                (Some(e164), customer)
            }
            Err(_) => (Some(raw.to_string()), None),
        },
    };
    let event = CallEvent {
        call_id: call_id.to_string(),
        kind: body.kind,
        queue: body.queue.clone(),
        caller: caller_number,
        customer_id: customer.as_ref().map(|(id, _, _)| *id),
        agent_id: body.agent_id,
        occurred_at: body.occurred_at,
        received_at: chrono::DateTime::from_timestamp_millis(now).unwrap_or_default(),
        key_account_manager: None,
        seq: body.seq,
    };
    let (mut stored, inserted) = state.store.record_call_event(&event).await?;
    if inserted {
        let caller = customer.as_ref().map(|(_, caller, _)| caller);
        // A transferred call's new leg pops with who handed it on and why.
        let transfer = match stored.kind {
            CallEventKind::Offered | CallEventKind::Answered if call_id.starts_with('t') => {
                state.store.transfer_into(call_id).await?
            }
            _ => None,
        };
        state
            .floor
            .apply(&stored, agent.as_ref(), caller, transfer.as_ref(), now);
    }
    stored.key_account_manager = customer.and_then(|(_, _, manager)| manager);
    let json = serde_json::to_string(&stored).unwrap_or_else(|_| "{}".into());
    Ok(json_response(StatusCode::OK.as_u16(), json, !inserted))
}

/// Checks a state a person (or the simulator) may set.
async fn checked_state(state: &AppState, body: &NewAgentState) -> ApiResult<()> {
    match (body.state, &body.reason) {
        (SettableState::Available, None) => Ok(()),
        (SettableState::Available, Some(_)) => Err(ApiError::refused(
            "reason",
            "a reason goes only with `not_ready`",
        )),
        (SettableState::NotReady, None) => Err(ApiError::refused(
            "reason",
            "`not_ready` needs a reason from `not_ready_reasons` in /v1/refdata",
        )),
        (SettableState::NotReady, Some(reason)) => {
            let known = state.store.refdata().await?.not_ready_reasons;
            if known.iter().any(|c| &c.code == reason) {
                Ok(())
            } else {
                Err(ApiError::refused(
                    "reason",
                    format!(
                        "unknown not-ready reason `{}`",
                        crate::domain::text::clip(reason, 40)
                    ),
                ))
            }
        }
    }
}

#[utoipa::path(put, path = "/v1/agents/me/state", tag = "floor", security(("bearer" = [])),
    request_body = NewAgentState,
    responses((status = 200, body = AgentStatus), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_my_state(
    State(state): State<AppState>,
    Caller(caller): Caller,
    ApiJson(body): ApiJson<NewAgentState>,
) -> ApiResult<Json<AgentStatus>> {
    checked_state(&state, &body).await?;
    let agent = state
        .store
        .floor_agent(caller.id)
        .await?
        .ok_or_else(|| ApiError::forbidden("only agents take calls and have a state"))?;
    Ok(Json(state.floor.set_state(
        &agent,
        body.state.into(),
        body.reason,
        now_ms(),
    )))
}

#[utoipa::path(put, path = "/v1/agents/{id}/state", tag = "floor", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Agent id", minimum = 1)),
    request_body = NewAgentState,
    responses((status = 200, body = AgentStatus), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_agent_state(
    State(state): State<AppState>,
    _caller: Caller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<NewAgentState>,
) -> ApiResult<Json<AgentStatus>> {
    let id = positive_id(&raw)?;
    checked_state(&state, &body).await?;
    let agent =
        state.store.floor_agent(AgentId(id)).await?.ok_or_else(|| {
            ApiError::not_found(format!("no agent with id {id}")).with_field("id")
        })?;
    Ok(Json(state.floor.set_state(
        &agent,
        body.state.into(),
        body.reason,
        now_ms(),
    )))
}

fn positive_id(raw: &str) -> ApiResult<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::bad_request("the id must be a positive integer").with_field("id"))
}

#[utoipa::path(get, path = "/v1/queues", tag = "floor", security(("bearer" = [])),
    responses((status = 200, body = QueueBoard), (status = 403, body = ErrorBody)))]
pub async fn queues(State(state): State<AppState>, _caller: Caller) -> ApiResult<Json<QueueBoard>> {
    Ok(Json(state.floor.queue_board(now_ms())))
}

#[utoipa::path(get, path = "/v1/agents/board", tag = "floor", security(("bearer" = [])),
    responses((status = 200, body = AgentBoard), (status = 403, body = ErrorBody)))]
pub async fn agent_board(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<Json<AgentBoard>> {
    let agents = state.store.floor_agents().await?;
    let now = now_ms();
    Ok(Json(AgentBoard {
        generated_at: chrono::DateTime::from_timestamp_millis(now).unwrap_or_default(),
        wrap_up_limit_s: u32::try_from(state.floor.wrap_up_limit().as_secs()).unwrap_or(u32::MAX),
        agents: state.floor.agent_board(&agents, now),
    }))
}

#[utoipa::path(get, path = "/v1/queues/{id}/staffing", tag = "floor", security(("bearer" = [])),
    params(("id" = String, Path, description = "Queue code"), StaffingQuery),
    responses((status = 200, body = Staffing), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn staffing(
    State(state): State<AppState>,
    _caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<StaffingQuery>,
) -> ApiResult<Json<Staffing>> {
    let board = state.floor.queue_board(now_ms());
    let row = board
        .queues
        .iter()
        .find(|r| r.queue.code == code)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "no queue `{}`",
                crate::domain::text::clip(&code, 40)
            ))
            .with_field("id")
        })?;
    let live = board::live_demand(&row.queue, row.last_30_min.offered, row.today.aht_s);
    let in_range = |v: f64, lo: f64, hi: f64, field: &str| -> ApiResult<f64> {
        if v.is_finite() && (lo..=hi).contains(&v) {
            Ok(v)
        } else {
            Err(ApiError::bad_request(format!("`{field}` must be {lo} to {hi}")).with_field(field))
        }
    };
    let demand = erlang::Demand {
        calls_per_interval: match q.calls_per_interval {
            Some(v) => in_range(v, 0.0, 1_000_000.0, "calls_per_interval")?,
            // The live rate per 30 minutes, scaled to the asked interval.
            None => {
                live.calls_per_interval * q.interval_s.unwrap_or(board::WINDOW_S) as f64
                    / board::WINDOW_S as f64
            }
        },
        interval_s: match q.interval_s {
            Some(v) => in_range(v as f64, 60.0, 86_400.0, "interval_s")? as u32,
            None => board::WINDOW_S,
        },
        aht_s: match q.aht_s {
            Some(v) => in_range(v, 1.0, 86_400.0, "aht_s")?,
            None => live.aht_s,
        },
        target_pct: match q.target_pct {
            Some(v) => in_range(v, 1.0, 99.9, "target_pct")?,
            None => live.target_pct,
        },
        target_s: match q.target_s {
            Some(v) => in_range(v as f64, 1.0, 3_600.0, "target_s")? as u32,
            None => live.target_s,
        },
    };
    let (agents, serving) = match q.agents {
        Some(v) => {
            let v = in_range(v as f64, 0.0, erlang::MAX_AGENTS as f64, "agents")?;
            (v as u32, v)
        }
        None => (row.staffing.agents, row.staffing.agents_serving),
    };
    let patience = match q.patience_s {
        Some(v) => Some(in_range(v, 1.0, 86_400.0, "patience_s")?),
        None => row.staffing.patience_s,
    };
    Ok(Json(board::advise(&demand, agents, serving, patience)))
}

#[utoipa::path(get, path = "/v1/approvals", tag = "floor", security(("bearer" = [])),
    responses((status = 200, body = Approvals), (status = 403, body = ErrorBody)))]
pub async fn approvals(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<Json<Approvals>> {
    Ok(Json(Approvals {
        approvals: state.store.pending_approvals().await?,
    }))
}

#[utoipa::path(post, path = "/v1/approvals/{kind}/{id}", tag = "floor", security(("bearer" = [])),
    params(("kind" = ApprovalKind, Path, description = "`fee_waiver` or `escalation`"),
        ("id" = i64, Path, description = "The waiver's or escalation's id", minimum = 1),
        IdempotencyKey),
    request_body = NewDecision,
    responses((status = 200, body = ApprovalDecision), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "Already decided, or cannot be applied", body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path((kind, id)): Path<(String, String)>,
    key: IdempotencyKey,
    ApiJson(body): ApiJson<NewDecision>,
) -> ApiResult<Response> {
    let kind = ApprovalKind::parse(&kind).ok_or_else(|| {
        ApiError::bad_request("the kind must be `fee_waiver` or `escalation`").with_field("kind")
    })?;
    let id = positive_id(&id)?;
    let request = Write::Decision(DecisionWrite {
        kind,
        id,
        decision: body,
    });
    write(&state, caller, key, request).await
}
