//! `switchboard demo`, the real binary: quitting its desk ends it, signals
//! end it with or without a terminal, and it leaves its server address and
//! tokens where a new agent can find them.

mod common;

use common::pty::Desk;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A small demo: fewer customers start faster.
const DEMO: [&str; 3] = ["demo", "--customers", "50"];

/// Everything the processes started with `home` logged, oldest line first
/// per file.
fn logs(home: &Path) -> String {
    let dir = home.join("state").join("switchboard").join("logs");
    let mut all = String::new();
    for entry in std::fs::read_dir(&dir).expect("the log folder").flatten() {
        all.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    all
}

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
    let status = d
        .wait_exit(Duration::from_secs(10))
        .expect("quitting the desk ends the demo");
    let took = quit.elapsed();
    let log = logs(home.path());
    assert!(status.success(), "{status:?}\n{log}");
    assert!(took < Duration::from_secs(3), "took {took:?}\n{log}");
    let simulator = logged_at(&log, "demo simulator stopped");
    let server = logged_at(&log, "demo server stopped");
    assert!(simulator < server, "the server stopped first:\n{log}");
    assert!(!log.contains("panicked"), "{log}");
}

/// A headless demo (no terminal): its address and agent token, read from
/// what it prints.
struct Headless {
    child: Child,
    base: String,
    token: String,
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
        let (mut base, mut token) = (None, None);
        let mut line = String::new();
        while base.is_none() || token.is_none() {
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
        }
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Headless {
            child,
            base: base.unwrap_or_default(),
            token: token.unwrap_or_default(),
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

    fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        common::poll(within, || self.child.try_wait().ok().flatten())
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn sigterm_and_sigint_end_a_headless_demo_even_with_the_event_stream_open() {
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let home = tempfile::tempdir().expect("home");
        let mut demo = Headless::start(home.path());
        let _stream = demo.follow_events();
        demo.signal(signal);
        let status = demo.wait_exit(Duration::from_secs(10));
        let log = logs(home.path());
        let status = status.unwrap_or_else(|| panic!("signal {signal} did not end it:\n{log}"));
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
    let status = d.wait_exit(Duration::from_secs(10));
    let log = logs(home.path());
    let status = status.unwrap_or_else(|| panic!("SIGTERM did not end it:\n{log}"));
    assert!(status.success(), "{status:?}\n{log}");
}
