//! Made-up live floors for the supervisor boards: queue boards, agent boards
//! and approvals of any size, a decision funnel and its models, the same every run, for
//! the board tests, the snapshots and the draw benchmark. Every third queue
//! misses its target; some agents are held long on a contact or in wrap-up.

#![allow(dead_code)]

use chrono::{DateTime, Duration, NaiveDate, Utc};
use switchboard::api::{
    ActionModel, AgentBoard, AgentStatus, Approval, ApprovalContext, ApprovalKind, Difference,
    Funnel, FunnelRow, Lift, Models, QueueBoard, QueueStats, Rate, RuleCount, WaiverItem,
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
        // The second queue has a key account's caller waiting.
        key_account_waiting: u32::from(i == 1).min(waiting),
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
            agents_serving: if missing { 6.4 } else { 11.8 },
            // Callers' patience is known on every queue but the last.
            patience_s: (i != 5).then_some(80.0 + 10.0 * i as f64),
            erlang_a: (i != 5).then(|| ErlangA {
                agents_needed: Some(6 + i as u32 % 4),
                predicted_service_level_pct: if missing { 57.0 } else { 95.0 },
                predicted_asa_s: Some(if missing { 28.0 } else { 3.0 }),
                predicted_abandon_pct: if missing { 9.0 } else { 1.0 },
            }),
        },
    }
}

pub fn queue_board(queues: usize, agents: usize, now: DateTime<Utc>) -> QueueBoard {
    let mut by_state = AgentsByState::default();
    for i in 0..agents {
        by_state.add(agent(i, now).state);
    }
    let queues: Vec<QueueStats> = (0..queues).map(|i| queue(i, now)).collect();
    let needed: Option<u32> = queues.iter().map(|q| q.staffing.advised_agents()).sum();
    QueueBoard {
        generated_at: now,
        agents: by_state,
        floor: FloorStaffing {
            agents_needed: needed,
            on_shift: by_state.on_shift(),
            short_by: needed.map_or(0, |n| n.saturating_sub(by_state.on_shift())),
        },
        queues,
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
        skills: match i % 3 {
            0 => vec![skill("billing", 3), skill("retention", 1)],
            1 => vec![skill("sales", 2)],
            _ => Vec::new(),
        },
        on_hold_since: None,
    }
}

fn skill(queue: &str, proficiency: u8) -> Skill {
    Skill {
        queue: queue.into(),
        proficiency,
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
            fees: vec![WaiverItem {
                fee_id: FeeId(7),
                amount: Money::new(7_500, Currency::USD),
            }],
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
            fees: vec![],
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
            // One request for two fees: one approval.
            fees: vec![
                WaiverItem {
                    fee_id: FeeId(9),
                    amount: Money::new(7_000, Currency::USD),
                },
                WaiverItem {
                    fee_id: FeeId(10),
                    amount: Money::new(5_000, Currency::USD),
                },
            ],
            reason_code: "billing_error".into(),
            note: "Charged twice".into(),
            requested_at: now - Duration::minutes(1),
            context: context(Segment::Standard, 90_000, 3),
        },
    ]
}

/// One action of the funnel: its counts, the rules that held it back, the
/// value accepted and its acceptance on each of `days` days (`every`th day
/// without answers).
struct Activity {
    code: &'static str,
    name: String,
    kind: ActionKind,
    eligible: i64,
    suppressed_by: &'static [(&'static str, i64)],
    answers: [i64; 3],
    value_minor: i64,
    share: f64,
    every: usize,
}

impl Activity {
    fn row(self, days: usize) -> FunnelRow {
        let suppressed: i64 = self.suppressed_by.iter().map(|(_, n)| n).sum();
        let [accepted, declined, ignored] = self.answers;
        let answered = accepted + declined + ignored;
        FunnelRow {
            action: ActionCode::new(self.code),
            name: self.name,
            kind: self.kind,
            eligible: self.eligible,
            suppressed,
            suppressed_by: self
                .suppressed_by
                .iter()
                .map(|(rule, count)| RuleCount {
                    rule: rule.to_string(),
                    count: *count,
                })
                .collect(),
            shown: self.eligible - suppressed,
            accepted,
            declined,
            ignored,
            not_offered: answered / 10,
            acceptance: Rate::wilson(accepted, answered),
            value_accepted: match self.value_minor {
                0 => vec![],
                v => vec![Money::new(v, Currency::USD)],
            },
            per_day: (0..days)
                .map(|d| {
                    let quiet = answered == 0 || self.every == 0 || d % self.every == 3;
                    let wave = ((d * 7) % 10) as f64 / 25.0 - 0.2;
                    (!quiet).then(|| (self.share + wave).clamp(0.0, 1.0))
                })
                .collect(),
        }
    }
}

/// The last 30 days' decisions: a waiver accepted most of the time, a
/// retention offer often held back by consent and caps, an action named
/// `hostile` (escape sequences and all, as a catalog file might), a handoff
/// shown but never answered, an upgrade always suppressed, and a birthday
/// that saw nothing (not listed).
pub fn funnel(hostile: &str, now: DateTime<Utc>) -> Funnel {
    let from = now - Duration::days(30);
    let days: Vec<NaiveDate> = (0..=30)
        .map(|d| (from + Duration::days(d)).date_naive())
        .collect();
    let activity = |code, name: &str, kind, eligible, suppressed_by, answers| Activity {
        code,
        name: name.to_string(),
        kind,
        eligible,
        suppressed_by,
        answers,
        value_minor: 0,
        share: 0.0,
        every: 0,
    };
    let actions = [
        Activity {
            value_minor: 231 * 3500,
            share: 0.65,
            every: 7,
            ..activity(
                "waive_late_fee",
                "Waive the late fee",
                ActionKind::Service,
                412,
                &[("one at a time", 30), ("outranked", 8)],
                [231, 41, 88],
            )
        },
        Activity {
            value_minor: 9 * 18_000,
            share: 0.15,
            every: 4,
            ..activity(
                "retention_offer",
                "Make a retention offer (12 months at 20% off)",
                ActionKind::Retention,
                220,
                &[
                    ("consent", 61),
                    ("cap", 52),
                    ("suppressed: declined", 25),
                    ("quiet hours", 12),
                ],
                [9, 38, 23],
            )
        },
        Activity {
            share: 0.55,
            every: 3,
            ..activity(
                "update_contact_details",
                hostile,
                ActionKind::Care,
                35,
                &[("outranked", 3)],
                [4, 1, 2],
            )
        },
        activity(
            "senior_handoff",
            "Hand to a senior agent",
            ActionKind::Service,
            18,
            &[],
            [0, 0, 0],
        ),
        activity(
            "plan_upgrade",
            "Offer the faster plan",
            ActionKind::Sales,
            64,
            &[("consent", 40), ("cap", 24)],
            [0, 0, 0],
        ),
        activity(
            "birthday",
            "Wish them a happy birthday",
            ActionKind::Care,
            0,
            &[],
            [0, 0, 0],
        ),
    ];
    Funnel {
        from,
        to: now,
        segment: None,
        decisions: 640,
        actions: actions.into_iter().map(|a| a.row(days.len())).collect(),
        days,
        lift: Lift {
            learned_decisions: 627,
            control_decisions: 13,
            acceptance: Difference::of_rates((240, 420), (4, 17)),
            value_per_decision: None,
        },
    }
}

/// What the models learned: the late-fee waiver with enough answers, its
/// best predictor and AUC; the action named `hostile` with too few.
pub fn models(hostile: &str, now: DateTime<Utc>) -> Models {
    let model = |code: &str, name: &str, summary: String| ActionModel {
        action: ActionCode::new(code),
        name: name.to_string(),
        prior: 0.4,
        answers: 0.0,
        accepted: 0.0,
        propensity: 0.4,
        enough: false,
        auc: None,
        auc_answers: 0,
        predictors: vec![],
        summary,
    };
    Models {
        generated_at: now,
        half_life_days: 30.0,
        min_responses: 30,
        actions: vec![
            ActionModel {
                answers: 360.0,
                accepted: 231.0,
                propensity: 0.64,
                enough: true,
                auc: Some(0.71),
                auc_answers: 298,
                ..model(
                    "waive_late_fee",
                    "Waive the late fee",
                    "accepted by 64% of 360 answers; most likely at high churn risk (81%)".into(),
                )
            },
            model(
                "update_contact_details",
                hostile,
                format!("too few answers to learn from yet (7 of 30) for {hostile}"),
            ),
        ],
    }
}
