//! Helpers for the cache's unit tests: real sled databases in temporary
//! directories, and sample values.

use super::{Cache, CacheOptions, Opened, OutboxEntry};
use crate::api::Suggestions;
use crate::domain::{
    ActionCode, ActionKind, Channel, Currency, Customer, CustomerId, DecisionId, Money, Opens,
    Segment, Suggestion,
};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub(crate) const SERVER: &str = "http://127.0.0.1:8080";
pub(crate) const AGENT: &str = "alice";

pub(crate) fn open_tmp() -> (TempDir, Opened) {
    open_tmp_with(CacheOptions::default())
}

pub(crate) fn open_tmp_with(options: CacheOptions) -> (TempDir, Opened) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let opened = reopen_with(tmp.path(), options);
    (tmp, opened)
}

/// Opens the test agent's cache under `root`, panicking with the error.
pub(crate) fn reopen(root: &Path) -> Opened {
    reopen_with(root, CacheOptions::default())
}

pub(crate) fn reopen_with(root: &Path, options: CacheOptions) -> Opened {
    Cache::open(root, SERVER, AGENT, options).unwrap_or_else(|e| panic!("open: {e}"))
}

/// The test agent's cache directory under `root`.
pub(crate) fn dir(root: &Path) -> PathBuf {
    super::cache_dir(root, SERVER, AGENT)
}

/// Closes `opened` and waits until sled has let go of its files: after the last
/// handle is dropped, a job on sled's I/O thread pool can hold the file (and its
/// lock) for a moment longer. Tests that touch the files directly call this
/// first, so nothing writes behind their back.
pub(crate) fn close(opened: Opened, root: &Path) {
    drop(opened);
    wait_unlocked(root);
}

/// Waits (up to 10 s) until nobody holds the `flock` on the test agent's db file.
pub(crate) fn wait_unlocked(root: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        let path = dir(root).join("db");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let file = std::fs::File::open(&path).expect("open the db file");
            // SAFETY: flock on a file descriptor we own; released by LOCK_UN and
            // again when `file` is closed.
            let got = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
            if got {
                unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_UN) };
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "sled never released {path:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

/// Runs `f` on the raw sled database of the test agent (the cache must be
/// closed), then flushes and waits until sled has let go of it again.
pub(crate) fn with_raw_db(root: &Path, f: impl FnOnce(&sled::Db)) {
    wait_unlocked(root);
    let db = sled::Config::new()
        .path(dir(root))
        .open()
        .expect("raw open");
    f(&db);
    db.flush().expect("raw flush");
    drop(db);
    wait_unlocked(root);
}

pub(crate) fn customer(id: i64) -> Customer {
    let usd = |m| Money::new(m, Currency::USD);
    Customer {
        id: CustomerId(id),
        name: format!("Customer {id}"),
        phones: vec!["+14155550134".into()],
        emails: vec![],
        account_number: format!("AC{id}"),
        segment: Segment::Gold,
        lifetime_value: usd(1_000_000),
        customer_since: NaiveDate::from_ymd_opt(2018, 1, 1).expect("date"),
        churn_risk: 0.25,
        language: "en".into(),
        time_zone: "UTC".into(),
        marketing_channels: Channel::CONTACT.to_vec(),
        balance: usd(3500),
        kind: crate::domain::PartyKind::Person,
        acts_for: vec![],
        outstanding_fees: vec![],
    }
}

/// One decision showing one fee waiver titled `title`.
pub(crate) fn suggestions(title: &str) -> Suggestions {
    Suggestions {
        customer_id: CustomerId(1),
        generated_at: chrono::DateTime::from_timestamp(1_762_905_600, 0).unwrap_or_default(),
        decision_id: DecisionId(1),
        control: false,
        suggestions: vec![Suggestion {
            action: ActionCode::new("waive_late_fee"),
            title: title.into(),
            kind: ActionKind::Service,
            opens: Opens::Waiver,
            reasons: vec!["first late fee in years".into()],
            propensity: 0.75,
            value: Some(Money::new(3500, Currency::USD)),
            value_means: "the fee".into(),
            priority: 2625.0,
            parameters: [("fee_id".to_string(), "7".to_string())].into(),
        }],
        not_shown: vec![],
    }
}

/// An outbox entry of `kind` (`interaction`, `escalation` or `fee_waiver`)
/// with a unique key and a note that says `n`.
pub(crate) fn entry(kind: &str, n: u32) -> OutboxEntry {
    use crate::api::{NewEscalation, NewFeeWaiver, NewInteraction, WaiverItem, Write};
    use crate::domain::{Channel, FeeId, InteractionOutcome, Priority};
    let note = format!("typed by the agent ({n})");
    let write = match kind {
        "interaction" => Write::Interaction(NewInteraction {
            customer_id: CustomerId(1),
            channel: Channel::Voice,
            disposition_code: "billing.late_fee".into(),
            outcome: InteractionOutcome::Resolved,
            tags: vec![],
            notes: note,
            suggestion_outcomes: vec![],
            follow_up_at: None,
            acting_for: None,
            tone_flagged: false,
        }),
        "escalation" => Write::Escalation(NewEscalation {
            customer_id: CustomerId(1),
            channel: Channel::Voice,
            target_code: "tier2".into(),
            priority: Priority::Normal,
            reason_code: "repeat_contact".into(),
            summary: note,
        }),
        "fee_waiver" => Write::FeeWaiver(NewFeeWaiver {
            customer_id: CustomerId(1),
            fees: vec![WaiverItem {
                fee_id: FeeId(7),
                amount: Money::new(3500, Currency::USD),
            }],
            reason_code: "goodwill".into(),
            note,
        }),
        other => panic!("no test entry of kind {other}"),
    };
    let key = format!("{kind}-{n}-{}", uuid::Uuid::new_v4());
    OutboxEntry::new(&key, write)
}

/// sled's snapshot files in a cache directory.
pub(crate) fn snapshots(cache_dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(cache_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("snap."))
        })
        .collect()
}
