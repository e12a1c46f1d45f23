//! Test harness: real databases (a temporary SQLite file, or a fresh schema in
//! the PostgreSQL named by SWITCHBOARD_TEST_POSTGRES), the real `switchboard`
//! binary serving on a loopback port or in a pseudo-terminal ([`pty`]), and
//! waiting for a condition with a deadline instead of for a fixed time.

#![allow(dead_code)]

pub mod boards;
pub mod decisions;
pub mod pty;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a test waits for the program before failing.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// How often a condition is looked at again while waiting for it.
const POLL_EVERY: Duration = Duration::from_millis(10);

/// Asks `found` again every few milliseconds until it gives a value, or
/// `within` has passed (then `None`).
pub fn poll<T>(within: Duration, mut found: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(value) = found() {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(POLL_EVERY);
    }
}

/// Waits until `done` holds; panics naming `what` after `within`.
pub fn wait_until(within: Duration, what: &str, mut done: impl FnMut() -> bool) {
    if poll(within, || done().then_some(())).is_none() {
        panic!("waited {within:?} in vain for {what}");
    }
}

/// Whether a process holds sled's lock on the database file `db` (a desk or
/// a command has that cache open). Looks by taking the lock for an instant.
pub fn sled_locked(db: &std::path::Path) -> bool {
    use std::os::unix::io::AsRawFd;
    let Ok(file) = std::fs::File::open(db) else {
        return false;
    };
    // SAFETY: flock on a file descriptor we own; released by LOCK_UN and
    // again when `file` is closed.
    let free = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
    if free {
        // SAFETY: as above.
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_UN) };
    }
    !free
}

/// Waits (up to 10 s) until nobody holds sled's lock on the database in `dir`.
pub fn wait_unlocked(dir: &std::path::Path) {
    let db = dir.join("db");
    let what = format!("sled to release {}", db.display());
    wait_until(Duration::from_secs(10), &what, || !sled_locked(&db));
}

/// Environment variable that switches the PostgreSQL runs on, e.g.
/// `postgres://postgres@127.0.0.1:5432/test`. `.ci/run` sets it.
pub const PG_ENV: &str = "SWITCHBOARD_TEST_POSTGRES";

/// A database for one test. SQLite lives in a temp dir; PostgreSQL gets its own
/// schema, dropped afterwards.
pub struct TestDb {
    pub url: String,
    pub label: &'static str,
    _dir: tempfile::TempDir,
    pg_schema: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestDb {
            url,
            label: "sqlite",
            _dir: dir,
            pg_schema: None,
        }
    }

    /// A fresh schema in the test PostgreSQL, or `None` (with the reason printed)
    /// when SWITCHBOARD_TEST_POSTGRES is not set.
    pub fn postgres() -> Option<TestDb> {
        let Ok(base) = std::env::var(PG_ENV) else {
            eprintln!("skipping the PostgreSQL run: {PG_ENV} is not set (.ci/run sets it)");
            return None;
        };
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        pg_execute(&base, &format!("CREATE SCHEMA {schema}"));
        ensure_pg_extensions(&base);
        let sep = if base.contains('?') { '&' } else { '?' };
        Some(TestDb {
            // `public` after the test's own schema: where the extensions are.
            url: format!("{base}{sep}options[search_path]={schema},public"),
            label: "postgres",
            _dir: tempfile::tempdir().expect("tempdir"),
            pg_schema: Some((base, schema)),
        })
    }

    /// SQLite always, PostgreSQL when enabled.
    pub fn all() -> Vec<TestDb> {
        std::iter::once(TestDb::sqlite())
            .chain(TestDb::postgres())
            .collect()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.pg_schema {
            pg_execute(base, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// Installs the extensions the migrations ask for (pg_trgm) once, in `public`,
/// where every test schema finds them. Were a test's migration to install one
/// into its own schema, dropping that schema would take the extension, and
/// the indexes of every other test using it, along.
fn ensure_pg_extensions(base: &str) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| pg_execute(base, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"));
}

/// Runs one statement through a short-lived sqlx connection.
fn pg_execute(url: &str, sql: &str) {
    let url = url.to_string();
    let sql = sql.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&url)
                .await
                .unwrap_or_else(|e| panic!("{PG_ENV}={url} is set but cannot connect: {e}"));
            sqlx::query(&sql)
                .execute(&mut conn)
                .await
                .expect("schema statement");
        })
    })
    .join()
    .expect("PostgreSQL helper thread");
}

/// Everything the processes started with `home` as their home logged,
/// oldest line first per file (none when nothing logged yet).
pub fn logs(home: &std::path::Path) -> String {
    let dir = home.join("state").join("switchboard").join("logs");
    let mut all = String::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        all.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    all
}

pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    // Keep logs and config of tests out of the user's home.
    let home = std::env::temp_dir().join("switchboard-test-home");
    cmd.env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("SWITCHBOARD_DB")
        .env_remove("SWITCHBOARD_TOKEN")
        .env_remove("SWITCHBOARD_SERVER");
    cmd
}

/// Runs the binary to completion, panicking with its output if it fails.
pub fn run_ok(args: &[&str]) -> String {
    let out = bin().args(args).output().expect("run switchboard");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "switchboard {args:?} failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Adds an agent with a limit in dollars and returns the token printed on
/// the last line.
pub fn add_agent(db: &str, name: &str, role: &str, limit: &str) -> String {
    add_agent_in(db, name, role, limit, "USD")
}

/// [`add_agent`] with the limit in `currency`.
pub fn add_agent_in(db: &str, name: &str, role: &str, limit: &str, currency: &str) -> String {
    let out = run_ok(&[
        "agent",
        "add",
        name,
        "--role",
        role,
        "--waiver-limit",
        limit,
        "--currency",
        currency,
        "--db",
        db,
    ]);
    out.lines().last().expect("token line").trim().to_string()
}

/// A running `switchboard serve` with seeded data and two agents.
pub struct TestServer {
    pub base: String,
    /// Agent with a $50.00 waiver limit.
    pub agent_token: String,
    /// Supervisor with a $5,000.00 waiver limit (in USD).
    pub supervisor_token: String,
    pub db: TestDb,
    /// What `serve` was started with besides its address and database.
    serve_args: Vec<String>,
    pub child: Child,
}

/// Customers seeded for API tests (the fixtures plus some generated ones).
pub const SEEDED: &str = "60";

impl TestServer {
    pub fn start(db: TestDb) -> TestServer {
        TestServer::start_with(db, &[])
    }

    /// [`TestServer::start`] with more arguments for `serve`.
    pub fn start_with(db: TestDb, serve_args: &[&str]) -> TestServer {
        run_ok(&[
            "seed",
            "--db",
            &db.url,
            "--customers",
            SEEDED,
            "--seed",
            "7",
        ]);
        let agent_token = add_agent(&db.url, "Alex Agent", "agent", "50.00");
        let supervisor_token = add_agent(&db.url, "Sam Supervisor", "supervisor", "5000");
        let serve_args: Vec<String> = serve_args.iter().map(|a| a.to_string()).collect();
        let (child, base) = serve(&db.url, "127.0.0.1:0", &serve_args).expect("serve starts");
        TestServer {
            base,
            serve_args,
            agent_token,
            supervisor_token,
            db,
            child,
        }
    }

    /// Kills the server (SIGKILL: no graceful shutdown).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again on the same address and database (after
    /// `kill`); retries while the port is still being released.
    pub fn restart(&mut self) {
        let listen = self.base.trim_start_matches("http://").to_string();
        let started = poll(PATIENCE, || serve(&self.db.url, &listen, &self.serve_args));
        match started {
            Some((child, _)) => self.child = child,
            None => panic!("the server did not start again on {listen}"),
        }
    }

    /// Another `serve` on the same database (a replica, on PostgreSQL).
    pub fn replica(&self) -> Replica {
        let (child, base) = serve(&self.db.url, "127.0.0.1:0", &self.serve_args).expect("serve");
        Replica { child, base }
    }

    pub fn agent(&self) -> switchboard::api::Client {
        switchboard::api::Client::new(&self.base, &self.agent_token).expect("client")
    }

    pub fn supervisor(&self) -> switchboard::api::Client {
        switchboard::api::Client::new(&self.base, &self.supervisor_token).expect("client")
    }

    /// Who the call simulator calls from: the seeded customers' numbers.
    pub async fn sim_callers(&self) -> Vec<switchboard::sim::calls::SimCaller> {
        let store = switchboard::server::store::Store::open(&self.db.url)
            .await
            .expect("store");
        let callers = switchboard::commands::simulate::directory(&store)
            .await
            .expect("the directory");
        store.close().await;
        callers
    }

    /// A raw HTTP client for requests the typed client would never send.
    pub fn raw(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("reqwest")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The OpenAPI document the server serves.
    pub async fn openapi(&self) -> serde_json::Value {
        self.raw()
            .get(self.url("/v1/openapi.json"))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json")
    }

    /// Waits until the decision log holds `n` decisions: they are written
    /// off the answer's path.
    pub async fn wait_for_decisions(&self, n: i64) {
        let sup = self.supervisor();
        let query = switchboard::api::FunnelQuery::default();
        let deadline = Instant::now() + PATIENCE;
        loop {
            let funnel = sup.funnel(&query).await.expect("funnel");
            if funnel.decisions >= n {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{}: {} of {n} decisions logged",
                self.db.label,
                funnel.decisions
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A second `serve` on a test server's database, killed when dropped.
pub struct Replica {
    pub child: Child,
    pub base: String,
}

impl Replica {
    /// Kills it (SIGKILL: no graceful shutdown).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `switchboard serve` on `listen`; the child and its address, or `None`
/// when it exited without listening (e.g. the port is still taken).
fn serve(db: &str, listen: &str, more: &[String]) -> Option<(Child, String)> {
    let mut child = bin()
        .args(["serve", "--listen", listen, "--db", db])
        .args(more)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn serve");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("read listen line");
    let listening = |w: &&str| w.starts_with("http://") || w.starts_with("https://");
    let Some(base) = line.split_whitespace().find(listening) else {
        let _ = child.kill();
        let _ = child.wait();
        return None;
    };
    let base = base.to_string();
    // Keep draining, as a terminal would, so the server never blocks on it.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    Some((child, base))
}

/// The first customer a lookup of `phone` finds.
pub async fn customer_at(
    client: &switchboard::api::Client,
    phone: &str,
) -> switchboard::domain::CustomerId {
    let query = switchboard::api::LookupQuery {
        phone: Some(phone.into()),
        email: None,
        account: None,
    };
    let found = client.lookup(&query).await.expect("lookup");
    found
        .matches
        .first()
        .unwrap_or_else(|| panic!("nobody at {phone}"))
        .id
}

/// A fresh idempotency key.
pub fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}
