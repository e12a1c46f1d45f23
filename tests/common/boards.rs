//! Made-up live floors for the supervisor boards: queue boards, agent boards
//! and approvals of any size, the same every run, for the board tests, the
//! snapshots and the draw benchmark. Every third queue misses its target; some
//! agents are held long on a contact or in wrap-up.

#![allow(dead_code)]

use chrono::{DateTime, Duration, NaiveDate, Utc};
use switchboard::api::{
    AgentBoard, AgentStatus, Approval, ApprovalContext, ApprovalKind, QueueBoard, QueueStats,
};
use switchboard::domain::*;

pub const QUEUE_NAMES: [&str; 6] = ["Billing", "Sales", "Support", "Retention", "Fraud", "Moves"];

fn period(offered: u32, sl: Option<f64>, aht: Option<f64>) -> PeriodStats {
    let abandoned = offered / 10;
    PeriodStats {
        offered,
        answered: offered - abandoned,
        abandoned,
        answered_within: 0,
        abandoned_after: 0,
        service_level_pct: sl,
        asa_s: sl.map(|sl| (100.0 - sl) / 2.0),
        aht_s: aht,
        abandon_rate_pct: (offered > 0).then(|| abandoned as f64 * 100.0 / offered as f64),
    }
}

/// Queue `i`: its name, goal 80% in 20 s, and figures that vary with `i`.
pub fn queue(i: usize, now: DateTime<Utc>) -> QueueStats {
    let base = QUEUE_NAMES[i % QUEUE_NAMES.len()];
    let (code, name) = if i < QUEUE_NAMES.len() {
        (base.to_lowercase(), base.to_string())
    } else {
        (
            format!("{}_{i}", base.to_lowercase()),
            format!("{base} {i}"),
        )
    };
    let missing = i % 3 == 1;
    let sl = if missing {
        61.0 + i as f64 % 10.0
    } else {
        84.0 + i as f64 % 15.0
    };
    let offered = 20 + (i as u32 * 7) % 40;
    let aht = 240.0 + (i as f64 * 13.0) % 120.0;
    let waiting = if missing {
        3 + i as u32 % 4
    } else {
        i as u32 % 2
    };
    QueueStats {
        queue: Queue {
            code,
            name,
            target_pct: 80,
            target_seconds: 20,
        },
        waiting,
        longest_wait_s: (waiting > 0).then_some(if missing { 95.0 } else { 8.0 }),
        last_30_min: period(offered, Some(sl), Some(aht)),
        today: period(offered * 12, Some(sl + 4.0), Some(aht - 10.0)),
        per_minute: MinuteSeries {
            start: now - Duration::minutes(29),
            offered: (0..30).map(|m| ((m * 3 + i) % 7) as u32).collect(),
            answered: vec![0; 30],
            abandoned: vec![0; 30],
        },
        staffing: Staffing {
            calls_per_interval: offered as f64,
            interval_s: 1800,
            aht_s: aht,
            target_pct: 80.0,
            target_s: 20,
            traffic_erlangs: offered as f64 * aht / 1800.0,
            agents_needed: Some(7 + i as u32 % 4),
            agents: if missing { 6 } else { 12 },
            predicted_service_level_pct: if missing { 48.0 } else { 93.0 },
            predicted_asa_s: Some(if missing { 41.0 } else { 4.0 }),
        },
    }
}

pub fn queue_board(queues: usize, agents: usize, now: DateTime<Utc>) -> QueueBoard {
    let mut by_state = AgentsByState::default();
    for i in 0..agents {
        by_state.add(agent(i, now).state);
    }
    QueueBoard {
        generated_at: now,
        agents: by_state,
        queues: (0..queues).map(|i| queue(i, now)).collect(),
    }
}

/// Agent `i`: states in turn, a few held long (agents 3 and 8 on a contact
/// for 25 minutes, agent 4 in wrap-up for 100 s).
pub fn agent(i: usize, now: DateTime<Utc>) -> AgentStatus {
    let state = match i % 5 {
        0 => AgentState::Available,
        1 => AgentState::NotReady,
        2 | 3 => AgentState::OnContact,
        _ => AgentState::WrapUp,
    };
    let seconds = match i {
        3 | 8 => 25 * 60,
        4 => 100,
        _ => 10 + (i as i64 * 37) % 50,
    };
    let on_call = matches!(state, AgentState::OnContact | AgentState::WrapUp);
    AgentStatus {
        agent_id: AgentId(i as i64 + 1),
        name: format!("Agent {:04}", i + 1),
        simulated: true,
        state,
        reason: (state == AgentState::NotReady).then(|| "lunch".to_string()),
        since: Some(now - Duration::seconds(seconds)),
        time_in_state_s: Some(seconds as f64),
        queue: on_call.then(|| QUEUE_NAMES[i % QUEUE_NAMES.len()].to_lowercase()),
        call_id: on_call.then(|| format!("call-{i}")),
        customer_id: on_call.then_some(CustomerId(100 + i as i64)),
        customer_name: on_call.then(|| format!("Caller {i}")),
        after_call: None,
    }
}

pub fn agent_board(agents: usize, now: DateTime<Utc>) -> AgentBoard {
    AgentBoard {
        generated_at: now,
        wrap_up_limit_s: 120,
        agents: (0..agents).map(|i| agent(i, now)).collect(),
    }
}

/// Two waivers and an escalation, oldest first; `customer` names the first.
pub fn approvals(customer: &str, now: DateTime<Utc>) -> Vec<Approval> {
    let context = |segment, ltv, waivers| ApprovalContext {
        segment,
        lifetime_value: Money::new(ltv, Currency::USD),
        customer_since: NaiveDate::from_ymd_opt(2016, 3, 1).expect("date"),
        churn_risk: 0.35,
        waivers_last_year: waivers,
    };
    vec![
        Approval {
            kind: ApprovalKind::FeeWaiver,
            id: 41,
            customer_id: CustomerId(12),
            customer_name: customer.to_string(),
            agent_id: AgentId(13),
            agent_name: "Alex Agent".into(),
            amount: Some(Money::new(7_500, Currency::USD)),
            fee_id: Some(FeeId(7)),
            reason_code: "goodwill".into(),
            note: "Customer in hardship after a move".into(),
            requested_at: now - Duration::minutes(12),
            context: context(Segment::Gold, 1_240_000, 1),
        },
        Approval {
            kind: ApprovalKind::Escalation,
            id: 9,
            customer_id: CustomerId(31),
            customer_name: "Wang Xiuying 王秀英".into(),
            agent_id: AgentId(14),
            agent_name: "Robin Reyes".into(),
            amount: None,
            fee_id: None,
            reason_code: "complaint".into(),
            note: "Third call about the same outage".into(),
            requested_at: now - Duration::minutes(5),
            context: context(Segment::Premier, 5_400_000, 0),
        },
        Approval {
            kind: ApprovalKind::FeeWaiver,
            id: 42,
            customer_id: CustomerId(44),
            customer_name: "Dana Ito".into(),
            agent_id: AgentId(13),
            agent_name: "Alex Agent".into(),
            amount: Some(Money::new(12_000, Currency::USD)),
            fee_id: Some(FeeId(9)),
            reason_code: "billing_error".into(),
            note: "Charged twice".into(),
            requested_at: now - Duration::minutes(1),
            context: context(Segment::Standard, 90_000, 3),
        },
    ]
}
