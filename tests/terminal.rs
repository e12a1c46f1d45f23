//! The desk and the terminal it runs in: a hang-up ends it without a panic.
//! The real binary in a pseudo-terminal against a real `switchboard serve`.

mod common;

use common::pty::Desk;
use common::{TestDb, TestServer};
use std::path::Path;
use std::time::Duration;

fn desk_in(home: &Path, srv: &TestServer, env: &[(&str, &str)]) -> Desk {
    let mut vars = vec![
        ("SWITCHBOARD_SERVER", srv.base.as_str()),
        ("SWITCHBOARD_TOKEN", srv.agent_token.as_str()),
    ];
    vars.extend_from_slice(env);
    Desk::start_in(home, &[], &vars)
}

/// Everything the processes started with `home` logged.
fn logs(home: &Path) -> String {
    let dir = home.join("state").join("switchboard").join("logs");
    let mut all = String::new();
    for entry in std::fs::read_dir(&dir).expect("the log folder").flatten() {
        all.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    all
}

#[test]
fn a_hang_up_ends_the_desk_cleanly_without_a_panic() {
    let srv = TestServer::start(TestDb::sqlite());
    for _ in 0..3 {
        let home = tempfile::tempdir().expect("home");
        let mut d = desk_in(home.path(), &srv, &[]);
        d.wait_for("Welcome, Alex Agent");
        d.hang_up();
        let status = d
            .wait_exit(Duration::from_secs(5))
            .expect("a hang-up ends the desk");
        let logged = logs(home.path());
        assert!(!logged.contains("panicked"), "{logged}");
        assert!(status.success(), "{status:?}\n{logged}");
    }
}
