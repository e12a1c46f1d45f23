//! How fast `switchboard import` loads a CRM's files, and how much memory it
//! holds while it does. Run: `cargo bench --bench import` (PostgreSQL too
//! when `SWITCHBOARD_TEST_POSTGRES` is set); `IMPORT_CUSTOMERS=N` and
//! `IMPORT_EVENTS_PER=N` change the size (default 100,000 customers with 10
//! events each), and `IMPORT_EXPORT_ROWS=N` the export's (default 1,000,000
//! interactions).
//!
//! Writes the files, then runs the real binary on them and polls its peak
//! resident memory of its own (`RssAnon`), then runs it again (nothing
//! changes), then exports that many interactions as CSV.

#[path = "../tests/common/mod.rs"]
mod common;

use common::TestDb;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let customers: usize = env_or("IMPORT_CUSTOMERS", 100_000);
    let per: usize = env_or("IMPORT_EVENTS_PER", 10);
    let dir = tempfile::tempdir().expect("tempdir");
    let (people, events) = (
        dir.path().join("customers.csv"),
        dir.path().join("events.jsonl"),
    );
    let started = Instant::now();
    write_files(&people, &events, customers, per);
    println!(
        "files: {customers} customers, {} events, {:.0} MB, written in {:.1}s",
        customers * per,
        (size(&people) + size(&events)) as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    for db in std::iter::once(TestDb::sqlite()).chain(TestDb::postgres()) {
        let (seconds, peak) = run(&db.url, &people, &events);
        println!(
            "{}: imported in {seconds:.1}s: {:.0} customers/s with their events ({:.0} events/s); peak RSS {:.0} MB",
            db.label,
            customers as f64 / seconds,
            (customers * per) as f64 / seconds,
            peak as f64 / 1024.0
        );
        let (again, peak) = run(&db.url, &people, &events);
        println!(
            "{}: the same files again (nothing changes) in {again:.1}s; peak RSS {:.0} MB",
            db.label,
            peak as f64 / 1024.0
        );
        export(&db.url, dir.path());
    }
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn write_files(people: &Path, events: &Path, customers: usize, per: usize) {
    let mut c = std::io::BufWriter::new(std::fs::File::create(people).expect("customers"));
    writeln!(c, "source_id,name,phones,emails,segment,lifetime_value_minor,customer_since,churn_risk,time_zone,marketing_channels,balance_minor").expect("write");
    let mut e = std::io::BufWriter::new(std::fs::File::create(events).expect("events"));
    let kinds = [
        ("voice", "contact"),
        ("store", "purchase"),
        ("billing", "payment"),
        ("email", "complaint"),
        ("web", "life_event"),
    ];
    for i in 0..customers {
        writeln!(
            c,
            "C{i},Customer {i} Example,+1 917 {:03} {:04},c{i}@example.com,{},{},2020-01-{:02},0.{},America/New_York,email;sms,0",
            (i / 10_000) % 1000,
            i % 10_000,
            ["standard", "silver", "gold", "premier"][i % 4],
            (i % 500) * 1000,
            1 + i % 28,
            i % 10
        )
        .expect("write");
        for n in 0..per {
            let (channel, kind) = kinds[n % kinds.len()];
            writeln!(
                e,
                r#"{{"source_id":"E{i}-{n}","customer_id":"C{i}","at":"2026-{:02}-{:02}T10:{:02}:00Z","channel":"{channel}","kind":"{kind}","summary":"Event {n} of customer {i}","amount_minor":{}}}"#,
                1 + n % 11,
                1 + n % 28,
                n % 60,
                n * 100
            )
            .expect("write");
        }
    }
    c.flush().expect("flush");
    e.flush().expect("flush");
}

/// Runs the import; its time and its peak anonymous resident memory in kB
/// (`RssAnon`: the process's own; SQLite's memory-mapped pages of the
/// database file are the page cache's, shared and given back on demand).
fn run(db: &str, people: &Path, events: &Path) -> (f64, u64) {
    let started = Instant::now();
    let mut child = common::bin()
        .args(["import", "--db", db, "--customers"])
        .arg(people)
        .arg("--events")
        .arg(events)
        .stdout(std::process::Stdio::inherit())
        .spawn()
        .expect("import");
    let mut peak = 0;
    loop {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
        if let Some(kb) = status
            .lines()
            .find_map(|l| l.strip_prefix("RssAnon:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
        {
            peak = peak.max(kb);
        }
        if let Ok(Some(status)) = child.try_wait() {
            assert!(status.success(), "the import failed");
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (started.elapsed().as_secs_f64(), peak)
}

/// Writes interactions straight into the database, then times exporting
/// them as CSV.
fn export(db: &str, dir: &Path) {
    let rows: usize = env_or("IMPORT_EXPORT_ROWS", 1_000_000);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = switchboard::server::store::Store::open(db)
            .await
            .expect("store");
        let (agent, _) = store
            .add_agent(
                "Export Bench",
                switchboard::domain::Role::Agent,
                switchboard::domain::Money::new(0, switchboard::domain::Currency::USD),
            )
            .await
            .expect("agent");
        store.close().await;
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(db).await.expect("pool");
        sqlx::query(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < $1) \
             INSERT INTO interactions (customer_id, agent_id, channel, disposition_code, outcome, \
             tags, notes, created_at_ms) SELECT (x % 1000) + 1, $2, 'voice', 'billing.late_fee', \
             'resolved', '', 'Explained the fee, with a comma', 1700000000000 + x FROM n",
        )
        .bind(rows as i64)
        .bind(agent.id.0)
        .execute(&pool)
        .await
        .expect("interactions");
        pool.close().await;
    });
    let out = dir.join("interactions.csv");
    let started = Instant::now();
    let done = common::bin()
        .args([
            "export",
            "interactions",
            "--format",
            "csv",
            "--settle-seconds",
            "0",
            "--db",
            db,
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("export");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "export of {rows} interactions as CSV: {seconds:.1}s, {:.0} rows/s ({:.0} MB)",
        rows as f64 / seconds,
        size(&out) as f64 / 1e6
    );
}
