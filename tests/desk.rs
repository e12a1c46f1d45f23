//! End-to-end: the real desk in a pseudo-terminal against a real `switchboard
//! serve` on loopback.

mod common;

use common::pty::Desk;
use common::{TestDb, TestServer};

const ESC: &str = "\u{1b}";

fn desk(srv: &TestServer, args: &[&str]) -> Desk {
    Desk::start(
        args,
        &[
            ("SWITCHBOARD_SERVER", &srv.base),
            ("SWITCHBOARD_TOKEN", &srv.agent_token),
        ],
    )
}

/// Sequences our own drawing never writes but hostile data would.
fn assert_no_data_escapes(raw: &[u8]) {
    let raw = String::from_utf8_lossy(raw);
    for bad in ["]0;pwned", "\u{1b}[31mRed", "\u{9b}1m", "\u{1b}[2J\u{1b}]"] {
        assert!(
            !raw.contains(bad),
            "data escape {bad:?} reached the terminal"
        );
    }
    assert!(!raw.contains('\u{7}'), "a bell reached the terminal");
}

#[test]
fn search_open_filter_help_and_quit_restores_the_terminal() {
    let srv = TestServer::start(TestDb::sqlite());
    let mut d = desk(&srv, &[]);
    d.wait_for("Welcome, Alex Agent");
    d.wait_for("[+ online]");
    d.send("/");
    d.wait_for("Search: name, phone");
    d.type_text("maria gonz");
    d.wait_for("Maria Gonzalez");
    d.send("\r");
    d.wait_for("AC00000001");
    d.wait_for("Timeline");
    d.wait_for("[1]");
    d.send("f");
    d.wait_for("channel Voice");
    d.send("f");
    d.wait_for("channel Email");
    d.send("c");
    d.wait_for("channel all");
    d.send("/");
    d.type_text("late");
    d.wait_for("filter \"late");
    d.send("\r");
    d.send("?");
    d.wait_for("Help: keys in this view");
    d.send(ESC);
    d.wait_gone("Help: keys");
    d.send("q");
    let status = d.wait_exit().expect("quit ends the desk");
    assert!(status.success());
    let raw = String::from_utf8_lossy(&d.raw()).into_owned();
    let after = |marker: &str| {
        &raw[raw
            .rfind(marker)
            .unwrap_or_else(|| panic!("{marker:?} never written"))..]
    };
    assert!(
        after("\u{1b}[?1049h").contains("\u{1b}[?1049l"),
        "left the alternate screen"
    );
    assert!(
        after("\u{1b}[?25l").contains("\u{1b}[?25h"),
        "cursor shown again"
    );
    assert!(
        after("\u{1b}[?2004h").contains("\u{1b}[?2004l"),
        "bracketed paste on, then off"
    );
    assert!(!raw.contains("\u{1b}[?1000h"), "mouse capture stays off");
}

#[test]
fn a_caller_is_popped_by_a_differently_written_number() {
    let srv = TestServer::start(TestDb::sqlite());
    let mut d = desk(&srv, &["--pop", "+44 (0)20 7946 0018"]);
    d.wait_for("Oliver Bennett");
    d.wait_for("popped for +44 (0)20 7946 0018");
    // Exploration may hold the handoff back from one decision: f5 asks again.
    d.suggestion_shown("Hand to a senior agent");
    d.send("q");
    d.wait_exit().expect("exits");

    // A household number: both match, the agent chooses.
    let mut d = desk(&srv, &["--pop", "(415) 555-0134"]);
    d.wait_for("2 customers match (415) 555-0134");
    d.send("\u{1b}[B");
    d.send("\r");
    d.wait_for("Robert Gonzalez");
    d.wait_for("AC00000002");
    // A number nobody has offers the ways on; "Search instead" lands in
    // search, filled in.
    d.send("p");
    d.wait_for("Pop a caller");
    d.type_text("+1 999 555 0000");
    d.send("\r");
    d.wait_for("No customer has +1 999 555 0000");
    for _ in 0..3 {
        d.send("\u{1b}[B");
    }
    d.send("\r");
    d.wait_for("+1 999 555 0000_");
}

#[test]
fn escape_sequences_in_data_never_reach_the_terminal() {
    let srv = TestServer::start(TestDb::sqlite());
    let mut d = desk(&srv, &[]);
    d.wait_for("Welcome");
    for (query, shown) in [
        ("red alert", "Red Alert"),
        ("oscar", "Oscar"),
        ("amir", "Amir"),
    ] {
        d.send("/");
        d.type_text(query);
        d.wait_for(shown);
        d.send("\r");
        d.wait_for("Timeline");
        // All of the customer's data is drawn before leaving, so that every
        // hostile text has passed through the terminal checked below.
        d.wait_until("the customer fully loaded", |screen| {
            !screen.to_lowercase().contains("loading")
        });
        // Back to the results, then home.
        d.send(ESC);
        d.wait_for(&format!("{query}_"));
        d.send(ESC);
        d.wait_for("Welcome");
    }
    // Pasted text is text: a paste holding `q` does not quit.
    d.send("/");
    d.send("\u{1b}[200~q\u{1b}]0;pwned\u{7}uit\u{1b}[201~");
    d.wait_for("quit_");
    assert!(
        d.child.try_wait().ok().flatten().is_none(),
        "a paste quit the desk"
    );
    assert_no_data_escapes(&d.raw());
}

#[test]
fn sighup_and_a_lost_terminal_end_the_desk_promptly() {
    let srv = TestServer::start(TestDb::sqlite());
    let mut d = desk(&srv, &[]);
    d.wait_for("Welcome");
    let pid = d.child.id();
    let killed = std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status();
    assert!(killed.is_ok_and(|s| s.success()));
    assert!(d.wait_exit().is_some(), "SIGHUP did not end the desk");

    let mut d = desk(&srv, &[]);
    d.wait_for("Welcome");
    d.hang_up();
    assert!(
        d.wait_exit().is_some(),
        "a lost terminal did not end the desk"
    );
}

#[test]
fn a_refused_token_and_an_unreachable_server_say_which() {
    let srv = TestServer::start(TestDb::sqlite());
    let mut d = Desk::start(
        &[],
        &[
            ("SWITCHBOARD_SERVER", &srv.base),
            ("SWITCHBOARD_TOKEN", "sb_wrong"),
        ],
    );
    d.wait_for("refused the token");
    d.wait_for("Sign in");
    // Typing a correct token at the prompt signs in.
    d.type_text(&srv.agent_token);
    d.send("\r");
    d.wait_for("Welcome, Alex Agent");
    drop(d);
    let d = Desk::start(
        &[],
        &[
            ("SWITCHBOARD_SERVER", "http://127.0.0.1:9"),
            ("SWITCHBOARD_TOKEN", "sb_x"),
        ],
    );
    d.wait_for("Cannot reach the server");
    d.wait_for("OFFLINE");
}

#[test]
fn a_broken_keymap_is_reported_by_check_config_and_shown_at_start() {
    let srv = TestServer::start(TestDb::sqlite());
    let home = tempfile::tempdir().expect("home");
    let config = home.path().join("config").join("switchboard");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("keymap.toml"),
        "[customer]\n\"x\" = \"expnd\"\n\"ctrl-i\" = \"help\"\n",
    )
    .expect("keymap");
    let out = common::bin()
        .arg("check-config")
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .expect("check-config");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "check-config must fail: {printed}");
    assert!(
        printed.contains("keymap.toml:2:7: unknown action `expnd` (did you mean `expand`?)"),
        "{printed}"
    );
    assert!(
        printed.contains("keymap.toml:3:1:")
            && printed.contains("ctrl-i cannot be told apart from tab"),
        "{printed}"
    );

    let d = Desk::start_in(
        home.path(),
        &[],
        &[
            ("SWITCHBOARD_SERVER", &srv.base),
            ("SWITCHBOARD_TOKEN", &srv.agent_token),
        ],
    );
    d.wait_for("Configuration problems (defaults in use)");
    d.wait_for("unknown action `expnd`");
    // The defaults work.
    d.wait_for("Welcome, Alex Agent");
}
