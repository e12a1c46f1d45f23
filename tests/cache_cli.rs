//! `switchboard cache stats|purge|verify|recover`, run as the real binary against
//! caches made through the library in a temporary `XDG_CACHE_HOME`.

mod common;

use chrono::NaiveDate;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Output;
use switchboard::api::{NewInteraction, Suggestions, TimelinePage, Write};
use switchboard::cache::{self, Cache, CacheOptions, OpenOutcome, Opened, OutboxEntry};
use switchboard::domain::{
    Channel, Currency, Customer, CustomerId, DecisionId, InteractionOutcome, Money, Segment,
};
use tempfile::TempDir;

const SERVER: &str = "http://127.0.0.1:7878";
const AGENT: &str = "3";

/// A temporary `XDG_CACHE_HOME`.
struct Home(TempDir);

impl Home {
    fn new() -> Home {
        Home(tempfile::tempdir().expect("temp dir"))
    }

    fn root(&self) -> PathBuf {
        self.0.path().join("switchboard")
    }

    fn dir(&self, agent: &str) -> PathBuf {
        cache::cache_dir(&self.root(), SERVER, agent)
    }

    fn open(&self, agent: &str) -> Opened {
        Cache::open(&self.root(), SERVER, agent, CacheOptions::default())
            .unwrap_or_else(|e| panic!("open: {e}"))
    }

    /// Runs `switchboard ARGS` with this cache home.
    fn run(&self, args: &[&str]) -> Run {
        let out: Output = common::bin()
            .env("XDG_CACHE_HOME", self.0.path())
            .args(args)
            .output()
            .expect("run switchboard");
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn run_ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(run.ok, "switchboard {args:?} failed: {run:?}");
        assert!(!run.stderr.contains("panicked"), "{run:?}");
        run.stdout
    }

    /// A cache for `agent` with 3 customers (profile, timeline page,
    /// suggestions), 2 drafts and a queued write; closed again. Returns the
    /// write's idempotency key.
    fn make_cache(&self, agent: &str) -> String {
        let opened = self.open(agent);
        let cache = &opened.cache;
        for id in 1..=3 {
            cache.put_customer(&customer(id)).expect("customer");
            let page = TimelinePage {
                events: vec![],
                next_before: None,
            };
            cache.put_timeline(CustomerId(id), &page).expect("timeline");
            let none = Suggestions {
                customer_id: CustomerId(id),
                generated_at: chrono::Utc::now(),
                decision_id: DecisionId(id),
                control: false,
                suggestions: vec![],
                not_shown: vec![],
            };
            cache
                .put_suggestions(CustomerId(id), &none)
                .expect("suggestions");
        }
        cache
            .save_draft("wrapup:1", &json!({"note": "typed by the agent"}))
            .expect("draft");
        cache
            .save_draft("escalate:2", &json!({"summary": "half done"}))
            .expect("draft");
        let entry = OutboxEntry::new(
            &uuid::Uuid::new_v4().to_string(),
            Write::Interaction(NewInteraction {
                customer_id: CustomerId(1),
                channel: Channel::Voice,
                disposition_code: "billing.late_fee".into(),
                outcome: InteractionOutcome::Resolved,
                tags: vec![],
                notes: "typed by the agent".into(),
                suggestion_outcomes: vec![],
                follow_up_at: None,
                acting_for: None,
                tone_flagged: false,
            }),
        );
        let key = entry.idempotency_key.clone();
        cache.enqueue(entry).expect("enqueue");
        self.close(opened, agent);
        key
    }

    /// Drops `opened` and waits until sled has let go of its lock, so the
    /// binary does not see this process as a running desk.
    fn close(&self, opened: Opened, agent: &str) {
        drop(opened);
        common::wait_unlocked(&self.dir(agent));
    }
}

#[derive(Debug)]
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn customer(id: i64) -> Customer {
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
        kind: switchboard::domain::PartyKind::Person,
        acts_for: vec![],
        outstanding_fees: vec![],
    }
}

/// The counts (customers, drafts, outbox, attention) in the `stats` row of
/// `agent`.
fn counts(stdout: &str, agent: &str) -> [usize; 4] {
    let slug = cache::agent_slug(agent);
    let row = stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(slug.as_str()))
        .unwrap_or_else(|| panic!("no row for {slug} in:\n{stdout}"));
    let cells: Vec<&str> = row.split_whitespace().collect();
    std::array::from_fn(|i| {
        cells[2 + i]
            .parse()
            .unwrap_or_else(|_| panic!("not a count in {row:?}"))
    })
}

/// The directories beside `dir` (the cache and any moved-aside copies).
fn beside(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir.parent().expect("parent"))
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    out.sort();
    out
}

#[test]
fn stats_on_an_empty_root_says_so_and_creates_nothing() {
    let home = Home::new();
    let out = home.run_ok(&["cache", "stats"]);
    assert!(out.contains("No caches under"), "{out}");
    assert!(out.contains(&home.root().display().to_string()), "{out}");
    assert!(!home.root().exists(), "stats created the cache root");

    let run = home.run(&["cache", "verify", "--server", SERVER, "--agent", AGENT]);
    assert!(!run.ok, "{run:?}");
    assert!(run.stderr.contains("there is no cache"), "{run:?}");
    assert!(!home.root().exists(), "verify created the cache root");
}

#[test]
fn stats_purge_and_verify_a_cache_made_by_the_library() {
    let home = Home::new();
    let key = home.make_cache(AGENT);
    home.make_cache("other");

    let out = home.run_ok(&["cache", "stats"]);
    assert!(out.contains(&cache::server_slug(SERVER)), "{out}");
    assert!(
        out.contains("customers") && out.contains("on disk"),
        "{out}"
    );
    assert_eq!(counts(&out, AGENT), [3, 2, 1, 0], "{out}");
    assert_eq!(counts(&out, "other"), [3, 2, 1, 0], "{out}");
    assert!(!out.contains("Moved-aside"), "{out}");

    let out = home.run_ok(&["cache", "verify"]);
    assert_eq!(out.matches(": no problems").count(), 2, "{out}");

    // Purging one cache removes its server data only; the other keeps its own.
    let out = home.run_ok(&["cache", "purge", "--server", SERVER, "--agent", AGENT]);
    assert!(out.contains("removed 9 cached record(s)"), "{out}");
    assert!(
        out.contains("kept 2 draft(s), 1 queued write(s) and 0 needing attention"),
        "{out}"
    );
    let out = home.run_ok(&["cache", "stats"]);
    assert_eq!(counts(&out, AGENT), [0, 2, 1, 0], "{out}");
    assert_eq!(counts(&out, "other"), [3, 2, 1, 0], "{out}");
    let out = home.run_ok(&["cache", "stats", "--server", SERVER, "--agent", AGENT]);
    assert!(!out.contains(" other "), "only the chosen cache: {out}");
    home.run_ok(&["cache", "verify", "--server", SERVER, "--agent", AGENT]);

    // What the agent typed and confirmed is still there, unchanged.
    let opened = home.open(AGENT);
    assert_eq!(opened.outcome, OpenOutcome::Reused);
    assert!(opened.cache.customer(CustomerId(1)).unwrap().is_none());
    assert_eq!(
        opened.cache.draft("wrapup:1").unwrap(),
        Some(json!({"note": "typed by the agent"}))
    );
    let pending = opened.cache.pending().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].1.idempotency_key, key);
}

#[test]
fn verify_reports_a_value_that_does_not_decode_and_fails() {
    let home = Home::new();
    home.make_cache(AGENT);
    let dir = home.dir(AGENT);
    {
        let db = sled::Config::new().path(&dir).open().expect("raw open");
        let mut bad = chrono::Utc::now().timestamp_millis().to_be_bytes().to_vec();
        bad.extend_from_slice(b"[1,2]");
        db.open_tree("customers")
            .unwrap()
            .insert(5i64.to_be_bytes(), bad)
            .unwrap();
        db.flush().unwrap();
    }
    common::wait_unlocked(&dir);

    let run = home.run(&["cache", "verify"]);
    assert!(!run.ok, "verify must fail: {run:?}");
    assert!(
        run.stdout
            .contains(&format!("1 problem(s) in {}", dir.display())),
        "{run:?}"
    );
    assert!(run.stdout.contains("customers: customer 5:"), "{run:?}");
    assert!(run.stderr.contains("1 problem(s) found"), "{run:?}");
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    // Stats still reads it: the bad value is one more customer record.
    assert_eq!(
        counts(&home.run_ok(&["cache", "stats"]), AGENT),
        [4, 2, 1, 0]
    );
}

/// Overwrites sled's snapshots with garbage (making one if there is none), so
/// the next open moves the cache aside while its log is intact.
fn corrupt_snapshots(dir: &Path) {
    let garbage = b"garbage garbage garbage garbage garbage";
    let snaps: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("snap.")
        })
        .collect();
    if snaps.is_empty() {
        std::fs::write(dir.join("snap.0000000000000000"), garbage).unwrap();
    }
    for snap in snaps {
        std::fs::write(snap, garbage).unwrap();
    }
}

#[test]
fn recover_brings_back_drafts_and_queued_writes_from_a_moved_aside_copy() {
    let home = Home::new();
    let key = home.make_cache(AGENT);
    corrupt_snapshots(&home.dir(AGENT));
    // The desk opens it: the corrupt cache is moved aside and a fresh one started.
    let opened = home.open(AGENT);
    let OpenOutcome::MovedAside { path: aside, .. } = opened.outcome.clone() else {
        panic!("expected MovedAside, got {:?}", opened.outcome);
    };
    assert!(opened.cache.pending().unwrap().is_empty());
    home.close(opened, AGENT);

    let out = home.run_ok(&["cache", "stats"]);
    assert_eq!(counts(&out, AGENT), [0, 0, 0, 0], "{out}");
    assert!(out.contains("Moved-aside copies"), "{out}");
    assert!(out.contains(&aside.display().to_string()), "{out}");

    let aside_arg = aside.to_str().expect("utf-8 path");
    let recover = ["cache", "recover", aside_arg, "--server", SERVER];
    let out = home.run_ok(&[&recover[..], &["--agent", AGENT]].concat());
    assert!(out.contains("1 queued write(s) requeued"), "{out}");
    assert!(out.contains("2 draft(s) restored"), "{out}");
    assert!(aside.join("db").exists(), "the copy is left as it was");

    let opened = home.open(AGENT);
    let pending = opened.cache.pending().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].1.idempotency_key, key, "same key: sent once");
    assert_eq!(
        opened.cache.draft("wrapup:1").unwrap(),
        Some(json!({"note": "typed by the agent"}))
    );
    home.close(opened, AGENT);

    // Again: nothing twice.
    let out = home.run_ok(&[&recover[..], &["--agent", AGENT]].concat());
    assert!(out.contains("0 queued write(s) requeued"), "{out}");
    assert!(out.contains("0 draft(s) restored"), "{out}");
    assert!(out.contains("3 already here"), "{out}");

    // Another agent's copy is refused: its writes are not this agent's.
    let run = home.run(&[&recover[..], &["--agent", "4"]].concat());
    assert!(!run.ok, "{run:?}");
    assert!(run.stderr.contains("belong to that agent"), "{run:?}");
    assert!(!home.dir("4").exists(), "nothing opened for agent 4");
}

#[test]
fn a_cache_a_desk_holds_is_reported_not_touched() {
    let home = Home::new();
    home.make_cache(AGENT);
    let desk = home.open(AGENT);
    let expected = format!(
        "a desk is using this cache ({}); close it first",
        home.dir(AGENT).display()
    );
    for args in [
        &["cache", "stats"][..],
        &["cache", "purge"],
        &["cache", "verify", "--server", SERVER, "--agent", AGENT],
    ] {
        let run = home.run(args);
        assert!(!run.ok, "{args:?} must fail: {run:?}");
        assert!(run.stderr.contains(&expected), "{args:?}: {run:?}");
        assert!(!run.stderr.contains("panicked"), "{args:?}: {run:?}");
    }
    assert_eq!(desk.cache.stats().unwrap().customers, 3, "nothing purged");
}

#[test]
fn stats_leaves_a_cache_of_another_schema_as_it_is() {
    let home = Home::new();
    home.make_cache(AGENT);
    let dir = home.dir(AGENT);
    {
        let db = sled::Config::new().path(&dir).open().expect("raw open");
        db.open_tree("meta")
            .unwrap()
            .insert("schema_version", "99")
            .unwrap();
        db.flush().unwrap();
    }
    common::wait_unlocked(&dir);

    let run = home.run(&["cache", "stats"]);
    assert!(!run.ok, "{run:?}");
    assert!(run.stderr.contains("schema version 99"), "{run:?}");
    assert!(run.stderr.contains("left as it is"), "{run:?}");
    assert_eq!(beside(&dir), vec![dir.clone()], "nothing moved aside");

    // The desk's open still finds the drafts and queued writes to keep aside.
    let opened = home.open(AGENT);
    assert!(
        matches!(
            opened.outcome,
            OpenOutcome::Rebuilt {
                kept_aside: Some(_),
                ..
            }
        ),
        "{:?}",
        opened.outcome
    );
}
