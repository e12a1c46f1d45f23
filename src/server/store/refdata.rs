//! Reference data: disposition codes, escalation reasons and targets, waiver
//! reasons, queues and not-ready reasons. A new database starts with a sensible default set, which a
//! contact center can edit in the tables. Writes look up the label of a code
//! here, inside their transaction.

use super::db::{col, Store, StoreResult};
use super::tx::Tx;
use crate::domain::{Code, DispositionCode, EscalationTarget, Queue, RefData, TargetKind};

const DISPOSITIONS: &[(&str, &str, &str)] = &[
    ("billing.late_fee", "Billing", "Late fee explained"),
    ("billing.fee_waived", "Billing", "Fee waived"),
    ("billing.payment_plan", "Billing", "Payment plan set up"),
    ("billing.dispute", "Billing", "Charge disputed"),
    ("billing.balance", "Billing", "Balance enquiry"),
    ("orders.status", "Orders", "Order status"),
    ("orders.return", "Orders", "Return or refund"),
    ("orders.damaged", "Orders", "Damaged item"),
    ("account.update", "Account", "Details updated"),
    ("account.close", "Account", "Closure request"),
    ("account.access", "Account", "Login or access help"),
    ("tech.outage", "Technical", "Service outage"),
    ("tech.setup", "Technical", "Setup help"),
    ("sales.upgrade", "Sales", "Upgrade accepted"),
    ("sales.retention", "Sales", "Retention offer made"),
    ("complaint.logged", "Complaints", "Complaint logged"),
    ("complaint.resolved", "Complaints", "Complaint resolved"),
    ("general.info", "General", "Information given"),
    ("general.wrong_number", "General", "Wrong number"),
    ("billing.autopay", "Billing", "Autopay set up"),
    ("sales.add_on", "Sales", "Add-on offered"),
    ("sales.loyalty", "Sales", "Loyalty reward given"),
    (
        "complaint.apology_credit",
        "Complaints",
        "Apology credit given",
    ),
    ("general.callback", "General", "Specialist callback booked"),
    (
        "account.overdue_warning",
        "Account",
        "Overdue invoices raised",
    ),
    ("account.renewal", "Account", "Renewal conversation started"),
];

const ESCALATION_REASONS: &[(&str, &str)] = &[
    ("repeat_contact", "Repeat contact, not resolved"),
    ("complaint", "Formal complaint"),
    ("vulnerable", "Vulnerable customer"),
    ("authority", "Beyond agent authority"),
    ("technical", "Technical fault needs specialist"),
    ("legal", "Legal or regulatory"),
];

const ESCALATION_TARGETS: &[(&str, &str, TargetKind)] = &[
    ("tier2", "Tier 2 support", TargetKind::Tier),
    ("tier3", "Tier 3 specialists", TargetKind::Tier),
    ("senior", "Senior agent", TargetKind::Tier),
    ("complaints", "Complaints team", TargetKind::Queue),
    ("retention", "Retention team", TargetKind::Queue),
    ("billing_ops", "Billing operations", TargetKind::Queue),
    (
        "key_account_manager",
        "Key-account manager",
        TargetKind::Tier,
    ),
    ("executive", "Executive sponsor", TargetKind::Tier),
];

const WAIVER_REASONS: &[(&str, &str)] = &[
    ("goodwill", "Goodwill gesture"),
    ("first_time", "First late payment"),
    ("service_failure", "Our service failure"),
    ("hardship", "Financial hardship"),
    ("bank_error", "Bank or processing error"),
];

const QUEUES: &[(&str, &str, u8, u32)] = &[
    ("general", "General enquiries", 80, 20),
    ("billing", "Billing", 80, 30),
    ("tech", "Technical support", 70, 60),
    ("retention", "Retention", 90, 15),
    ("premier", "Premier line", 90, 10),
];

const TARGET_LIST: &str = "escalation_target";
const REASON_LIST: &str = "escalation_reason";
const WAIVER_LIST: &str = "waiver_reason";
/// Filled by migration 2 (`schema/v2.sql`).
pub(super) const NOT_READY_LIST: &str = "not_ready_reason";

/// The reference data a new database starts with.
pub fn defaults() -> RefData {
    let codes = |list: &[(&str, &str)]| -> Vec<Code> {
        list.iter()
            .map(|(code, label)| Code {
                code: code.to_string(),
                label: label.to_string(),
            })
            .collect()
    };
    RefData {
        dispositions: DISPOSITIONS
            .iter()
            .map(|(code, category, label)| DispositionCode {
                code: code.to_string(),
                category: category.to_string(),
                label: label.to_string(),
            })
            .collect(),
        escalation_reasons: codes(ESCALATION_REASONS),
        escalation_targets: ESCALATION_TARGETS
            .iter()
            .map(|(code, label, kind)| EscalationTarget {
                code: code.to_string(),
                label: label.to_string(),
                kind: *kind,
            })
            .collect(),
        waiver_reasons: codes(WAIVER_REASONS),
        queues: QUEUES
            .iter()
            .map(|(code, name, pct, secs)| Queue {
                code: code.to_string(),
                name: name.to_string(),
                target_pct: *pct,
                target_seconds: *secs,
            })
            .collect(),
        not_ready_reasons: Vec::new(),
    }
}

/// Fills empty reference tables with the default set.
pub(super) async fn ensure_defaults(store: &Store) -> StoreResult<()> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dispositions")
        .fetch_one(store.pool())
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let defaults = defaults();
    let mut tx = store.begin_write().await?;
    for (position, d) in defaults.dispositions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO dispositions (code, category, label, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(&d.code)
        .bind(&d.category)
        .bind(&d.label)
        .bind(position as i64)
        .execute(&mut *tx.tx)
        .await?;
    }
    let lists = defaults
        .escalation_reasons
        .iter()
        .map(|c| (REASON_LIST, &c.code, &c.label, ""))
        .chain(
            defaults
                .escalation_targets
                .iter()
                .map(|t| (TARGET_LIST, &t.code, &t.label, target_kind_str(t.kind))),
        )
        .chain(
            defaults
                .waiver_reasons
                .iter()
                .map(|c| (WAIVER_LIST, &c.code, &c.label, "")),
        );
    for (position, (list, code, label, extra)) in lists.enumerate() {
        sqlx::query(
            "INSERT INTO ref_codes (list, code, label, extra, position) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(list)
        .bind(code)
        .bind(label)
        .bind(extra)
        .bind(position as i64)
        .execute(&mut *tx.tx)
        .await?;
    }
    for (position, q) in defaults.queues.iter().enumerate() {
        sqlx::query(
            "INSERT INTO queues (code, name, target_pct, target_seconds, position) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&q.code)
        .bind(&q.name)
        .bind(q.target_pct as i64)
        .bind(q.target_seconds as i64)
        .bind(position as i64)
        .execute(&mut *tx.tx)
        .await?;
    }
    tx.commit().await
}

fn target_kind_str(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Queue => "queue",
        TargetKind::Tier => "tier",
    }
}

impl Store {
    pub async fn refdata(&self) -> StoreResult<RefData> {
        let dispositions =
            sqlx::query("SELECT code, category, label FROM dispositions ORDER BY position, code")
                .fetch_all(self.pool())
                .await?
                .iter()
                .map(|r| {
                    Ok(DispositionCode {
                        code: col(r, "code")?,
                        category: col(r, "category")?,
                        label: col(r, "label")?,
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
        let codes =
            sqlx::query("SELECT list, code, label, extra FROM ref_codes ORDER BY position, code")
                .fetch_all(self.pool())
                .await?;
        let mut refdata = RefData {
            dispositions,
            escalation_reasons: vec![],
            escalation_targets: vec![],
            waiver_reasons: vec![],
            queues: vec![],
            not_ready_reasons: vec![],
        };
        for row in &codes {
            let list: String = col(row, "list")?;
            let code = Code {
                code: col(row, "code")?,
                label: col(row, "label")?,
            };
            match list.as_str() {
                REASON_LIST => refdata.escalation_reasons.push(code),
                NOT_READY_LIST => refdata.not_ready_reasons.push(code),
                WAIVER_LIST => refdata.waiver_reasons.push(code),
                TARGET_LIST => refdata.escalation_targets.push(EscalationTarget {
                    code: code.code,
                    label: code.label,
                    kind: if col::<String>(row, "extra")? == "queue" {
                        TargetKind::Queue
                    } else {
                        TargetKind::Tier
                    },
                }),
                _ => {}
            }
        }
        refdata.queues = sqlx::query(
            "SELECT code, name, target_pct, target_seconds FROM queues ORDER BY position, code",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Queue {
                code: col(r, "code")?,
                name: col(r, "name")?,
                target_pct: col::<i64>(r, "target_pct")?.clamp(0, 100) as u8,
                target_seconds: col::<i64>(r, "target_seconds")?.max(0) as u32,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(refdata)
    }
}

/// A disposition's category and label, or `None` when the code is not in the
/// list.
pub(super) async fn disposition_label(
    tx: &mut Tx,
    code: &str,
) -> StoreResult<Option<(String, String)>> {
    let row = sqlx::query("SELECT category, label FROM dispositions WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| Ok((col(&r, "category")?, col(&r, "label")?)))
        .transpose()
}

/// The label of a code in the list `list`, or `None` when it is not in it.
pub(super) async fn code_label(tx: &mut Tx, list: &str, code: &str) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT label FROM ref_codes WHERE list = $1 AND code = $2")
            .bind(list)
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?,
    )
}
