//! The desk's local cache (sled) at size: opening a 10,000-customer cache and
//! reading one customer; a read-through hit (profile, first timeline page and
//! suggestions); and the memory used while reading every customer of a larger
//! cache with an 8 MiB page cache. Each customer holds a profile, a first
//! timeline page of 50 events and 3 suggestions. Reports p50 and p99.
//! Run: `cargo bench --bench cache` (BENCH_CACHE_LARGE=N sets the larger cache's
//! customers, default 50,000).
//!
//! The memory figures come from a child process (this program run again), so
//! the heap left over from building the caches is not counted.

use chrono::{Duration as TimeDelta, NaiveDate, TimeZone, Utc};
use std::path::Path;
use std::time::{Duration, Instant};
use switchboard::api::{Suggestions, TimelinePage};
use switchboard::cache::{self, Cache, CacheOptions};
use switchboard::domain::{
    ActionCode, ActionKind, Channel, Currency, Customer, CustomerId, DecisionId, EventId,
    EventKind, Fee, FeeId, FeeKind, Money, Opens, Segment, Suggestion, TimelineEvent,
};

const SERVER: &str = "http://127.0.0.1:7878";
const AGENT: &str = "3";
const OPEN_CUSTOMERS: i64 = 10_000;
const OPEN_RUNS: usize = 30;
const HIT_SAMPLES: usize = 2_000;
const EVENTS_PER_PAGE: i64 = 50;
/// Set in the child process that reads the large cache: its root directory.
const READ_ALL_ENV: &str = "BENCH_CACHE_READ_ALL_ROOT";
const SMALL_CAPACITY: u64 = 8 * 1024 * 1024;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{what}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} runs)",
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.99)),
        times.last().map_or(0.0, |t| ms(*t)),
        times.len()
    );
}

fn main() -> anyhow::Result<()> {
    if let Ok(root) = std::env::var(READ_ALL_ENV) {
        return read_all(Path::new(&root), large_customers());
    }
    let tmp = tempfile::tempdir()?;

    let small = tmp.path().join("small");
    build(&small, OPEN_CUSTOMERS)?;
    time_open(&small)?;
    time_hits(&small)?;

    let large = tmp.path().join("large");
    build(&large, large_customers())?;
    let status = std::process::Command::new(std::env::current_exe()?)
        .env(READ_ALL_ENV, &large)
        .status()?;
    anyhow::ensure!(status.success(), "the reading process failed: {status}");
    Ok(())
}

fn large_customers() -> i64 {
    std::env::var("BENCH_CACHE_LARGE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000)
}

fn open(root: &Path, capacity_bytes: u64) -> anyhow::Result<Cache> {
    let options = CacheOptions {
        capacity_bytes,
        ..CacheOptions::default()
    };
    Ok(Cache::open(root, SERVER, AGENT, options)?.cache)
}

/// Fills a new cache with `customers` customers, then closes it.
fn build(root: &Path, customers: i64) -> anyhow::Result<()> {
    let started = Instant::now();
    let cache = open(root, CacheOptions::default().capacity_bytes)?;
    let suggestions = suggestions();
    for n in 1..=customers {
        let id = CustomerId(n);
        cache.put_customer(&customer(id))?;
        cache.put_timeline(id, &page(id))?;
        cache.put_suggestions(id, &suggestions)?;
    }
    cache.flush()?;
    let size = cache.stats()?.size_on_disk;
    drop(cache);
    wait_unlocked(root);
    println!(
        "built a cache of {customers} customers ({} MB on disk) in {:.1}s",
        size / 1_000_000,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `Cache::open` and the first read of one customer, each time from closed.
fn time_open(root: &Path) -> anyhow::Result<()> {
    let mut times = Vec::with_capacity(OPEN_RUNS);
    for run in 0..OPEN_RUNS {
        let id = CustomerId(1 + (run as i64 * 331) % OPEN_CUSTOMERS);
        let started = Instant::now();
        let cache = open(root, CacheOptions::default().capacity_bytes)?;
        let found = cache.customer(id)?;
        times.push(started.elapsed());
        anyhow::ensure!(found.is_some(), "customer {} missing", id.0);
        drop(cache);
        wait_unlocked(root);
    }
    println!(
        "first open after building (sled replays its log): {:.2} ms",
        ms(times[0])
    );
    report(
        &format!("open a {OPEN_CUSTOMERS}-customer cache + first read of one customer"),
        times,
    );
    Ok(())
}

/// A read-through hit: profile, timeline page and suggestions of one customer.
fn time_hits(root: &Path) -> anyhow::Result<()> {
    let cache = open(root, CacheOptions::default().capacity_bytes)?;
    let mut times = Vec::with_capacity(HIT_SAMPLES);
    for n in 0..HIT_SAMPLES as i64 {
        let id = CustomerId(1 + (n * 7_919) % OPEN_CUSTOMERS);
        let started = Instant::now();
        let hit = (
            cache.customer(id)?,
            cache.timeline(id)?,
            cache.suggestions(id)?,
        );
        times.push(started.elapsed());
        anyhow::ensure!(
            hit.0.is_some() && hit.1.is_some() && hit.2.is_some(),
            "customer {} not cached",
            id.0
        );
    }
    report(
        "read-through hit (customer + timeline + suggestions)",
        times,
    );
    drop(cache);
    wait_unlocked(root);
    Ok(())
}

/// In the child process: reads every customer of the cache under `root` with an
/// 8 MiB page cache and reports resident memory against the size on disk.
fn read_all(root: &Path, customers: i64) -> anyhow::Result<()> {
    let before = rss_kib()?;
    let cache = open(root, SMALL_CAPACITY)?;
    let opened = rss_kib()?;
    let started = Instant::now();
    let mut peak = opened;
    let mut curve = Vec::new();
    for n in 1..=customers {
        let id = CustomerId(n);
        let hit = (
            cache.customer(id)?,
            cache.timeline(id)?,
            cache.suggestions(id)?,
        );
        anyhow::ensure!(hit.0.is_some(), "customer {n} not cached");
        std::hint::black_box(hit);
        if n % 1_000 == 0 {
            peak = peak.max(rss_kib()?);
        }
        if n % (customers / 5).max(1) == 0 {
            curve.push(format!("{n}: {:.1} MB", rss_kib()? as f64 / 1024.0));
        }
    }
    let after = rss_kib()?;
    let size = cache.stats()?.size_on_disk;
    println!(
        "read all {customers} customers ({} MB on disk, capacity_bytes 8 MiB) in {:.1}s: \
         RSS {:.1} MB before open, {:.1} MB after open, {:.1} MB peak while reading, \
         {:.1} MB at the end (growth from before open: {:.1} MB)",
        size / 1_000_000,
        started.elapsed().as_secs_f64(),
        before as f64 / 1024.0,
        opened as f64 / 1024.0,
        peak as f64 / 1024.0,
        after as f64 / 1024.0,
        (peak - before.min(peak)) as f64 / 1024.0,
    );
    println!("  RSS after reading N customers: {}", curve.join(", "));
    Ok(())
}

/// VmRSS of this process in KiB.
fn rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmRSS in /proc/self/status"))
}

/// Waits until sled has let go of the cache's lock after the last handle was
/// dropped (its I/O threads can hold it a moment longer), so the next open is
/// not timed waiting for it.
fn wait_unlocked(root: &Path) {
    use std::os::unix::io::AsRawFd;
    let path = cache::cache_dir(root, SERVER, AGENT).join("db");
    let Ok(file) = std::fs::File::open(&path) else {
        return;
    };
    // SAFETY: flock on a file descriptor we own; released by LOCK_UN and again
    // when `file` is closed.
    while unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        std::thread::sleep(Duration::from_millis(2));
    }
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_UN) };
}

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn customer(id: CustomerId) -> Customer {
    let n = id.0;
    let charged_at = Utc.with_ymd_and_hms(2026, 10, 3, 9, 0, 0).single();
    Customer {
        id,
        name: format!("María-José Fernández-Gonzalez {n}"),
        phones: vec![
            format!("+1415555{:04}", n % 10_000),
            format!("+1212555{:04}", (n * 7) % 10_000),
        ],
        emails: vec![format!("maria.fernandez.{n}@example.com")],
        account_number: format!("AC{n:08}"),
        segment: [Segment::Standard, Segment::Gold, Segment::Premier][n as usize % 3],
        lifetime_value: usd(125_000 + n * 37 % 900_000),
        customer_since: NaiveDate::from_ymd_opt(2015 + (n % 10) as i32, 3, 14).unwrap_or_default(),
        churn_risk: (n % 100) as f64 / 100.0,
        language: "en".into(),
        time_zone: "America/Los_Angeles".into(),
        marketing_channels: match n % 4 {
            0 => vec![],
            _ => Channel::CONTACT.to_vec(),
        },
        balance: usd(n % 50_000),
        kind: switchboard::domain::PartyKind::Person,
        acts_for: vec![],
        outstanding_fees: charged_at
            .map(|at| Fee {
                id: FeeId(n * 10),
                kind: FeeKind::LatePayment,
                charged_at: at,
                amount: usd(3500),
                outstanding: usd(3500),
                waiver_pending: false,
            })
            .into_iter()
            .collect(),
    }
}

/// The first timeline page: 50 events across channels, newest first.
fn page(id: CustomerId) -> TimelinePage {
    let newest = Utc.with_ymd_and_hms(2026, 11, 20, 17, 0, 0).single();
    let events = (0..EVENTS_PER_PAGE)
        .map(|k| {
            let channel = Channel::ALL[k as usize % Channel::ALL.len()];
            let kind = EventKind::ALL[k as usize % EventKind::ALL.len()];
            TimelineEvent {
                id: EventId(id.0 * 1_000 + k),
                customer_id: id,
                at: newest.unwrap_or_default() - TimeDelta::hours(37 * k),
                channel,
                kind,
                topic: Some(["billing", "delivery", "account", "complaint"][k as usize % 4].into()),
                summary: format!(
                    "{} via {}: asked about the charge on the statement of {}",
                    kind.label(),
                    channel.label(),
                    1 + k % 28
                ),
                detail: (k % 2 == 0).then(|| {
                    "Customer called about a late fee on the last bill; explained the due date \
                     and autopay, offered to set up a reminder. Customer agreed."
                        .to_string()
                }),
                agent: Some(format!("Agent {}", k % 40)),
                outcome: Some(["resolved", "open", "accepted", "declined"][k as usize % 4].into()),
                amount: (k % 3 == 0).then(|| usd(1999 + k * 100)),
            }
        })
        .collect();
    TimelinePage {
        events,
        next_before: Some(format!("{}:{}", id.0, EVENTS_PER_PAGE)),
    }
}

fn suggestions() -> Suggestions {
    let list = [
        ("waive_late_fee", Opens::Waiver, "Waive the late fee"),
        ("retention_offer", Opens::Offer, "Offer 3 months at 20% off"),
        ("escalate", Opens::Escalation, "Escalate to tier 2"),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (code, opens, title))| Suggestion {
        action: ActionCode::new(code),
        title: title.into(),
        kind: ActionKind::Service,
        opens,
        reasons: vec![
            "first late fee in 24 months".into(),
            "customer for 6+ years, gold segment".into(),
        ],
        propensity: 0.9 - i as f64 * 0.2,
        value: Some(usd(3500)),
        value_means: "the fee".into(),
        priority: 3000.0 - i as f64 * 500.0,
        parameters: [("fee_id".to_string(), "70".to_string())].into(),
    })
    .collect();
    Suggestions {
        customer_id: CustomerId(1),
        generated_at: chrono::Utc::now(),
        decision_id: DecisionId(1),
        control: false,
        suggestions: list,
        not_shown: vec![],
    }
}
