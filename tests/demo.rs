//! `switchboard demo`, the real binary: quitting its desk ends it, signals
//! end it with or without a terminal, and a new agent finds how calls start
//! coming and where its server address and tokens are.

mod common;

use common::pty::Desk;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A small demo: fewer customers start faster.
const DEMO: [&str; 3] = ["demo", "--customers", "50"];

/// Where `what` is first logged; panics with the log if it never is.
fn logged_at(log: &str, what: &str) -> usize {
    log.find(what)
        .unwrap_or_else(|| panic!("{what:?} never logged:\n{log}"))
}

#[test]
fn quitting_the_desk_ends_the_demo_simulator_first_then_the_server() {
    let home = tempfile::tempdir().expect("home");
    let mut d = Desk::start_in(home.path(), &DEMO, &[]);
    d.wait_for("Welcome, Alex Agent");
    d.wait_for("[+ online]");
    d.send("q");
    let quit = Instant::now();
    let status = d.wait_exit().expect("quitting the desk ends the demo");
    let took = quit.elapsed();
    let log = common::logs(home.path());
    assert!(status.success(), "{status:?}\n{log}");
    assert!(took < Duration::from_secs(3), "took {took:?}\n{log}");
    let simulator = logged_at(&log, "demo simulator stopped");
    let server = logged_at(&log, "demo server stopped");
    assert!(simulator < server, "the server stopped first:\n{log}");
    assert!(!log.contains("panicked"), "{log}");
}

/// The demo's tokens file under `home`.
fn tokens_file(home: &Path) -> std::path::PathBuf {
    home.join("state")
        .join("switchboard")
        .join("demo")
        .join("tokens")
}

/// The agent token `demo` printed before its desk opened.
fn printed_token(raw: &[u8]) -> String {
    let raw = String::from_utf8_lossy(raw);
    let line = raw
        .lines()
        .find(|l| l.starts_with("agent token"))
        .expect("the agent token was printed");
    let token = line.split_whitespace().find(|w| w.starts_with("sb_"));
    token.expect("a token on its line").to_string()
}

#[test]
fn a_new_agent_finds_how_to_take_calls_and_where_the_tokens_are() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().expect("home");
    let mut d = Desk::start_in(home.path(), &DEMO, &[]);
    d.wait_for("Welcome, Alex Agent");
    // The banner is gone from the screen, even without an alternate screen.
    let token = printed_token(&d.raw());
    let screen = d.contents_without_alternate_screen();
    assert!(
        !screen.contains("sb_"),
        "the banner shows through:\n{screen}"
    );
    // Its tokens are in a file of the user's own.
    let file = tokens_file(home.path());
    let mode = std::fs::metadata(&file)
        .expect("the tokens file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let text = std::fs::read_to_string(&file).expect("read the tokens");
    assert!(
        text.contains(&format!("SWITCHBOARD_TOKEN={token}\n")),
        "{text}"
    );
    assert!(text.contains("SWITCHBOARD_SUPERVISOR_TOKEN=sb_"), "{text}");
    // Home says how calls start coming; help says it too, with the server
    // and where the tokens are.
    d.wait_for("Press s and pick Available to take calls.");
    d.send("?");
    d.wait_for("Help: keys");
    d.wait_for("signed in as Alex Agent (agent)");
    d.wait_for(&format!("in {}", file.display()));
    d.wait_until("the calls line in help", |screen| {
        let line = |l: &str| l.contains(" Calls ") && l.contains("Press s and pick Available");
        screen.lines().any(line)
    });
    d.send("\u{1b}");
    d.wait_gone("Help: keys");
    // Once available, the hint has done its job.
    d.send("s");
    d.wait_for("Your state");
    d.send("\r");
    d.wait_gone("Press s and pick Available");
    d.send("q");
    d.wait_exit().expect("the demo ends");
    assert!(!file.exists(), "the tokens outlived the demo");
    let log = common::logs(home.path());
    assert!(log.contains("demo tokens written"), "{log}");
    assert!(!log.contains(&token), "a token was logged");
}

/// A headless demo (no terminal): its address and the agent's and the
/// supervisor's tokens, read from what it prints.
struct Headless {
    child: Child,
    base: String,
    token: String,
    supervisor: String,
}

impl Headless {
    fn start(home: &Path) -> Headless {
        let mut child = common::bin()
            .args(DEMO)
            .env("XDG_STATE_HOME", home.join("state"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn demo");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let (mut base, mut token, mut supervisor) = (None, None, None);
        let mut line = String::new();
        while base.is_none() || token.is_none() || supervisor.is_none() {
            line.clear();
            let read = out.read_line(&mut line).expect("read the banner");
            assert!(read > 0, "the demo ended before printing its token");
            let word = |prefix: &str| {
                line.split_whitespace()
                    .find(|w| w.starts_with(prefix))
                    .map(str::to_string)
            };
            if line.contains("listening on") {
                base = word("http://");
            }
            if line.starts_with("agent token") {
                token = word("sb_");
            }
            if line.starts_with("supervisor token") {
                supervisor = word("sb_");
            }
        }
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Headless {
            child,
            base: base.unwrap_or_default(),
            token: token.unwrap_or_default(),
            supervisor: supervisor.unwrap_or_default(),
        }
    }

    /// Opens the live event stream and keeps it open, as a desk or `curl -N`
    /// following the floor would.
    fn follow_events(&self) -> std::net::TcpStream {
        let address = self.base.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(address).expect("connect");
        let request = format!(
            "GET /v1/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\
             Authorization: Bearer {}\r\n\r\n",
            self.token
        );
        stream.write_all(request.as_bytes()).expect("send");
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).expect("the stream answers");
        assert_eq!(&head, b"HTTP/1.1 200", "the event stream opens");
        stream
    }

    fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on a pid we started; no memory is involved.
        let rc = unsafe { libc::kill(self.child.id() as i32, signal) };
        assert_eq!(rc, 0, "kill");
    }

    fn wait_exit(&mut self) -> Option<std::process::ExitStatus> {
        common::poll(common::PATIENCE, || self.child.try_wait().ok().flatten())
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo's colleague has taken calls by the time a supervisor looks: the
/// decisions board has decisions with answers, and the models have learned
/// from them.
#[tokio::test]
async fn the_demo_opens_with_decisions_on_the_board() {
    let home = tempfile::tempdir().expect("home");
    let demo = Headless::start(home.path());
    let boss = switchboard::api::Client::new(&demo.base, &demo.supervisor).expect("client");
    let query = switchboard::api::FunnelQuery::default();
    let mut funnel = None;
    for _ in 0..200 {
        let f = boss.funnel(&query).await.expect("funnel");
        let answered: i64 = f.actions.iter().map(|a| a.accepted + a.declined).sum();
        if f.decisions >= 100 && answered >= 50 {
            funnel = Some(f);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let funnel = funnel.unwrap_or_else(|| panic!("no decisions:\n{}", common::logs(home.path())));
    assert!(funnel.actions.iter().any(|a| a.accepted > 0), "{funnel:?}");
    let models = boss.models().await.expect("models");
    assert!(
        models.actions.iter().any(|m| m.answers > 0.0),
        "the models learned nothing: {models:?}"
    );
}

#[test]
fn sigterm_and_sigint_end_a_headless_demo_even_with_the_event_stream_open() {
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let home = tempfile::tempdir().expect("home");
        let mut demo = Headless::start(home.path());
        let kept = std::fs::read_to_string(tokens_file(home.path())).expect("the tokens file");
        assert!(kept.contains(&format!("SWITCHBOARD_TOKEN={}\n", demo.token)));
        assert!(kept.contains(&format!("SWITCHBOARD_SERVER={}\n", demo.base)));
        let _stream = demo.follow_events();
        demo.signal(signal);
        let status = demo.wait_exit();
        let log = common::logs(home.path());
        let status = status.unwrap_or_else(|| panic!("signal {signal} did not end it:\n{log}"));
        assert!(
            !tokens_file(home.path()).exists(),
            "the tokens outlived the demo"
        );
        assert!(status.success(), "{status:?}\n{log}");
        let simulator = logged_at(&log, "demo simulator stopped");
        assert!(simulator < logged_at(&log, "demo server stopped"), "{log}");
    }
}

#[test]
fn a_signal_ends_the_demo_while_its_desk_is_open() {
    let home = tempfile::tempdir().expect("home");
    let d = Desk::start_in(home.path(), &DEMO, &[]);
    d.wait_for("Welcome, Alex Agent");
    d.signal(libc::SIGTERM);
    let mut d = d;
    let status = d.wait_exit();
    let log = common::logs(home.path());
    let status = status.unwrap_or_else(|| panic!("SIGTERM did not end it:\n{log}"));
    assert!(status.success(), "{status:?}\n{log}");
}
