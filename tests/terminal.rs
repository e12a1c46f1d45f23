//! The desk and the terminal it runs in: a hang-up ends it without a panic,
//! it clears what was on the screen, `ctrl-l` draws everything again, and
//! 16- and 8-colour terminals get the colour codes they know. The real binary
//! in a pseudo-terminal against a real `switchboard serve`.

mod common;

use common::pty::Desk;
use common::{TestDb, TestServer};
use std::path::Path;

fn desk_in(home: &Path, srv: &TestServer, env: &[(&str, &str)]) -> Desk {
    let mut vars = vec![
        ("SWITCHBOARD_SERVER", srv.base.as_str()),
        ("SWITCHBOARD_TOKEN", srv.agent_token.as_str()),
    ];
    vars.extend_from_slice(env);
    Desk::start_in(home, &[], &vars)
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
            .wait_exit()
            .unwrap_or_else(|| panic!("a hang-up ends the desk:\n{}", common::logs(home.path())));
        let logged = common::logs(home.path());
        assert!(!logged.contains("panicked"), "{logged}");
        assert!(status.success(), "{status:?}\n{logged}");
    }
}

#[test]
fn what_the_shell_left_on_the_screen_is_cleared_when_the_desk_starts() {
    let srv = TestServer::start(TestDb::sqlite());
    let home = tempfile::tempdir().expect("home");
    // A shell's screenful, then the desk, as `demo` prints its banner first.
    let script = "i=0; while [ $i -lt 30 ]; do \
                  echo \"     shell text shell text shell text shell text $i\"; \
                  i=$((i+1)); done; exec \"$SWITCHBOARD_BIN\"";
    let d = Desk::start_program(
        home.path(),
        "sh",
        &["-c", script],
        &[
            ("SWITCHBOARD_SERVER", &srv.base),
            ("SWITCHBOARD_TOKEN", &srv.agent_token),
        ],
    );
    d.wait_for("Welcome, Alex Agent");
    d.wait_for("Recent customers");
    // Without an alternate screen the desk draws over the shell's text.
    let screen = d.contents_without_alternate_screen();
    assert!(screen.contains("Recent customers"), "{screen}");
    assert!(!screen.contains("shell text"), "left over:\n{screen}");
}

#[test]
fn ctrl_l_draws_the_whole_screen_again() {
    let srv = TestServer::start(TestDb::sqlite());
    let home = tempfile::tempdir().expect("home");
    let mut d = desk_in(home.path(), &srv, &[]);
    d.wait_for("Welcome, Alex Agent");
    d.wait_for("Recent customers");
    // Another program writes over the desk: the frame and the welcome go.
    let mut garbage = String::from("\u{1b}[H");
    for row in 1..=24 {
        garbage.push_str(&format!("\u{1b}[{row};1H{}", "#".repeat(80)));
    }
    d.scribble(&garbage);
    d.wait_gone("Welcome");
    d.send("\u{c}");
    d.wait_for("Welcome, Alex Agent");
    d.wait_for("Recent customers");
    d.wait_gone("#");
    drop(d);
    // The vim keymap has it too.
    let env = [
        ("SWITCHBOARD_SERVER", srv.base.as_str()),
        ("SWITCHBOARD_TOKEN", srv.agent_token.as_str()),
    ];
    let mut d = Desk::start_in(home.path(), &["--keymap", "vim"], &env);
    d.wait_for("Welcome, Alex Agent");
    d.scribble("\u{1b}[5;5Hscribbled");
    d.wait_for("scribbled");
    d.send("\u{c}");
    d.wait_gone("scribbled");
}

/// The colour codes a terminal was sent: every SGR parameter list.
fn sgr_codes(raw: &[u8]) -> Vec<String> {
    let raw = String::from_utf8_lossy(raw);
    raw.split("\u{1b}[")
        .skip(1)
        .filter_map(|s| {
            let end = s.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
            (s[end..].starts_with('m')).then(|| s[..end].to_string())
        })
        .collect()
}

#[test]
fn sixteen_and_eight_colour_terminals_get_ansi_colour_codes() {
    let srv = TestServer::start(TestDb::sqlite());
    for (term, bright) in [("xterm-16color", true), ("vt220", false)] {
        let home = tempfile::tempdir().expect("home");
        let args = ["--theme", "high-contrast"];
        let env = [
            ("SWITCHBOARD_SERVER", srv.base.as_str()),
            ("SWITCHBOARD_TOKEN", srv.agent_token.as_str()),
            ("TERM", term),
        ];
        let mut d = Desk::start_in(home.path(), &args, &env);
        d.wait_for("Welcome, Alex Agent");
        d.send("?");
        d.wait_for("Help: keys");
        let raw = d.raw();
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains("38;5;"), "{term}: 256-colour syntax sent");
        assert!(!text.contains("48;5;"), "{term}: 256-colour syntax sent");
        let codes: Vec<u16> = sgr_codes(&raw)
            .iter()
            .flat_map(|s| {
                s.split(';')
                    .filter_map(|n| n.parse().ok())
                    .collect::<Vec<u16>>()
            })
            .collect();
        let colours =
            |range: std::ops::RangeInclusive<u16>| codes.iter().any(|c| range.contains(c));
        assert!(colours(30..=37) && colours(40..=47), "{term}: {codes:?}");
        assert_eq!(colours(90..=97), bright, "{term}: {codes:?}");
        assert!(!colours(100..=107) || bright, "{term}: {codes:?}");
    }
}
