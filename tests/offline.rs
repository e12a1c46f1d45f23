//! End-to-end: the desk's local cache and outbox with real processes. The real
//! binary runs in a pseudo-terminal against a real `switchboard serve`; desks
//! and servers are killed with SIGKILL at awkward moments, and what reached the
//! server is read back from its audit log and records.

mod common;

use common::pty::Desk;
use common::{TestDb, TestServer};
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use switchboard::api::AuditQuery;
use switchboard::cache::{Cache, CacheOptions};
use switchboard::domain::{CustomerId, InteractionId};

const CTRL_P: &str = "\u{10}";
const F5: &str = "\u{1b}[15~";
/// Maria Garcia, fixture customer 1.
const MARIA: &str = "AC00000001";

/// A desk for the agent in `home` (whose `cache/` holds the local cache),
/// popped on Maria, once her profile is on screen and a desk has the cache
/// open (this one, or another on the same cache).
fn desk(home: &Path, srv: &TestServer) -> Desk {
    let d = Desk::start_in(
        home,
        &["--pop", MARIA],
        &[
            ("SWITCHBOARD_SERVER", &srv.base),
            ("SWITCHBOARD_TOKEN", &srv.agent_token),
        ],
    );
    d.wait_for("Last time: 20");
    common::wait_until(common::PATIENCE, "a desk to open the cache", || {
        cache_db(home).is_some_and(|db| common::sled_locked(&db))
    });
    d
}

/// The sled database file of the desk's cache in `home`, once there is one
/// (not a copy moved aside as unreadable, whose folder says `corrupt`).
fn cache_db(home: &Path) -> Option<PathBuf> {
    let root = home.join("cache").join("switchboard");
    walk(&root).into_iter().find(|p| {
        p.file_name().is_some_and(|n| n == "db")
            && p.is_file()
            && !p.to_string_lossy().contains("corrupt")
    })
}

/// Runs the desk in `home` until its cache keeps Maria's profile and the
/// codes, and leaves it closed. Nothing on screen says when the desk has
/// written its copies, so the desk is quit and the cache looked into, again
/// until they are there.
fn keep_maria_and_the_codes(home: &Path, srv: &TestServer) {
    let what = "the desk to keep Maria and the codes";
    common::wait_until(Duration::from_secs(60), what, || {
        let mut d = desk(home, srv);
        d.wait_for("online");
        d.send("q");
        assert!(d.wait_exit().is_some(), "quits");
        drop(d);
        let Some(dir) = cache_db(home).and_then(|db| db.parent().map(Path::to_path_buf)) else {
            return false;
        };
        common::wait_unlocked(&dir);
        let cache = Cache::open_existing(&dir, CacheOptions::default()).expect("the cache");
        // The profile, its first timeline page (which the desk writes a
        // moment after it draws them) and the codes.
        let kept = cache.customer(CustomerId(1)).ok().flatten().is_some()
            && cache.timeline(CustomerId(1)).ok().flatten().is_some()
            && cache.refdata().ok().flatten().is_some();
        drop(cache);
        common::wait_unlocked(&dir);
        kept
    });
}

/// Quick-logs `note` from the palette and presses enter; returns without
/// waiting for the answer.
fn quick_log_unconfirmed(d: &mut Desk, note: &str) {
    d.send(CTRL_P);
    d.wait_for("Command palette");
    d.paste(&format!("log orders.status {note}"));
    d.wait_for(note);
    // The palette reads the line with the codes; without them enter would not log.
    d.wait_for("enter logs now");
    d.send_now("\r");
}

/// Quick-logs `note` and waits until the desk says it is saved (or already
/// logged, which implies saved). The previous write must have been answered
/// (or the desk restarted), so no older notice can be mistaken for this one.
fn quick_log(d: &mut Desk, note: &str) {
    quick_log_unconfirmed(d, note);
    d.wait_until("the desk to confirm the write", |screen| {
        !screen.contains("Command palette")
            && (screen.contains("Saved on this desk") || screen.contains("Interaction logged"))
    });
}

/// The number in the desk's "Interaction logged (#12)", if shown.
fn logged_id(screen: &str) -> Option<i64> {
    let after = screen.split("Interaction logged (#").nth(1)?;
    after.split(')').next()?.parse().ok()
}

/// Waits until the server's answer for the latest write is on screen: a
/// record number above `last`. Returns it.
fn wait_logged(d: &Desk, last: i64) -> i64 {
    let mut id = last;
    d.wait_until("the server's answer", |screen| {
        logged_id(screen).is_some_and(|n| n > last)
    });
    if let Some(n) = logged_id(&d.contents()) {
        id = n;
    }
    id
}

/// Waits until the desk has nothing left to send.
fn wait_drained(d: &Desk) {
    d.wait_until("the outbox to drain", |s| {
        !s.contains("to send") && s.contains("online")
    });
}

/// Waits until the desk has sent everything after a server crash: a write the
/// dead server had claimed is answered "in flight" (409) until the claim goes
/// stale (10 s), so f5 asks again now and then instead of waiting out the
/// backoff.
fn wait_drained_retrying(d: &mut Desk) {
    let drained = |d: &Desk| {
        let screen = d.contents();
        !screen.contains("to send") && screen.contains("online")
    };
    for _ in 0..30 {
        // Up to 2 s for the last f5's answers, then f5 again.
        if common::poll(Duration::from_secs(2), || drained(d).then_some(())).is_some() {
            return;
        }
        d.send(F5);
    }
    panic!("the outbox never drained:\n{}", d.contents());
}

/// Every interaction note the server holds for Maria, in the order the
/// server recorded them (by record id).
async fn notes_on_server(srv: &TestServer) -> Vec<String> {
    let client = srv.supervisor();
    let log = client
        .audit(&AuditQuery {
            customer_id: Some(CustomerId(1)),
            limit: Some(500),
            kind: None,
        })
        .await
        .expect("audit");
    let mut ids: Vec<i64> = log
        .entries
        .iter()
        .filter(|e| e.action == "interaction")
        .filter_map(|e| {
            e.detail
                .strip_prefix("interaction ")?
                .split(':')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    ids.sort_unstable();
    let mut notes = Vec::new();
    for id in ids {
        let record = client
            .interaction(InteractionId(id))
            .await
            .expect("interaction");
        notes.push(record.notes);
    }
    notes
}

/// The newest interaction record id on the server (0 when none).
async fn max_interaction_id(srv: &TestServer) -> i64 {
    srv.supervisor()
        .audit(&AuditQuery {
            customer_id: None,
            limit: Some(500),
            kind: None,
        })
        .await
        .expect("audit")
        .entries
        .iter()
        .filter_map(|e| {
            e.detail
                .strip_prefix("interaction ")?
                .split(':')
                .next()?
                .parse::<i64>()
                .ok()
        })
        .max()
        .unwrap_or(0)
}

fn counts(notes: &[String]) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for n in notes {
        *counts.entry(n.as_str()).or_default() += 1;
    }
    counts
}

#[tokio::test]
async fn confirmed_writes_survive_kill_9_and_reach_the_server_exactly_once() {
    let srv = TestServer::start(TestDb::sqlite());
    let home = tempfile::tempdir().expect("home");
    let seed: u64 = std::env::var("KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261122);
    eprintln!("kill schedule seed {seed} (set KILL_SEED to replay another)");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut d = desk(home.path(), &srv);
    let mut confirmed = Vec::new();
    let mut unconfirmed = Vec::new();
    let mut kills = 0;
    let mut n = 0;
    let mut last_id = 0;
    while confirmed.len() < 200 {
        let note = format!("kill-test-{n:03}");
        n += 1;
        let roll: f64 = rng.gen();
        if roll < 0.06 {
            // Killed just as enter is pressed: maybe saved, maybe not.
            quick_log_unconfirmed(&mut d, &note);
            // Part of the schedule: the kill lands 0-20 ms after enter.
            std::thread::sleep(Duration::from_millis(rng.gen_range(0..20)));
            unconfirmed.push(note);
        } else if roll < 0.12 {
            // Killed right after the screen said saved, maybe before sending.
            quick_log(&mut d, &note);
            confirmed.push(note);
        } else {
            quick_log(&mut d, &note);
            confirmed.push(note);
            last_id = wait_logged(&d, last_id);
            continue;
        }
        d.signal(libc::SIGKILL);
        assert!(d.wait_exit().is_some(), "not killed");
        kills += 1;
        d = desk(home.path(), &srv);
        // What the killed desk left is sent first; later answers are newer.
        wait_drained(&d);
        last_id = max_interaction_id(&srv).await;
    }
    wait_drained(&d);
    let notes = notes_on_server(&srv).await;
    let counts = counts(&notes);
    for note in &confirmed {
        assert_eq!(
            counts.get(note.as_str()).copied().unwrap_or(0),
            1,
            "confirmed write {note} must arrive exactly once ({kills} kills)"
        );
    }
    for note in &unconfirmed {
        assert!(
            counts.get(note.as_str()).copied().unwrap_or(0) <= 1,
            "unconfirmed write {note} arrived twice"
        );
    }
    assert!(
        kills >= 10,
        "the schedule killed the desk only {kills} times"
    );
    eprintln!(
        "{} confirmed, {} killed mid-submit, {kills} kills, {} records on the server",
        confirmed.len(),
        unconfirmed.len(),
        notes.len()
    );
}

#[tokio::test]
async fn writes_saved_while_the_server_is_down_arrive_in_order_once_each() {
    for db in TestDb::all() {
        let label = db.label;
        let mut srv = TestServer::start(db);
        let home = tempfile::tempdir().expect("home");
        let mut d = desk(home.path(), &srv);
        // Logging while the server is down needs the codes it gave at sign-in.
        d.wait_for_codes();
        srv.kill();
        let notes: Vec<String> = (0..50).map(|i| format!("offline-{i:02}")).collect();
        for note in &notes {
            quick_log(&mut d, note);
        }
        d.wait_for("OFFLINE");
        d.wait_for("50 to send");

        // Back up: the replay starts (f5 retries now instead of after the
        // backoff); the server is killed again in the middle of it.
        srv.restart();
        d.send(F5);
        let deadline = Instant::now() + Duration::from_secs(30);
        let arrived_before_kill = loop {
            // Asks again at once: the kill must land mid-replay.
            let arrived = notes_on_server(&srv).await.len();
            if arrived > 0 || Instant::now() > deadline {
                break arrived;
            }
        };
        srv.kill();
        assert!(
            (1..50).contains(&arrived_before_kill),
            "{label}: the server was to die mid-replay, after {arrived_before_kill} of 50"
        );
        srv.restart();
        wait_drained_retrying(&mut d);
        let on_server = notes_on_server(&srv).await;
        assert_eq!(on_server, notes, "{label}: all 50, once each, in order");
    }
}

#[tokio::test]
async fn drafts_survive_kill_9_sighup_and_a_lost_terminal() {
    let srv = TestServer::start(TestDb::sqlite());
    for (how, text) in [
        ("SIGKILL", "draft that outlives kill nine"),
        ("SIGHUP", "draft that outlives a hangup"),
        ("hang-up", "draft that outlives a lost session"),
    ] {
        let home = tempfile::tempdir().expect("home");
        let mut d = desk(home.path(), &srv);
        d.wait_for_codes();
        d.send("l");
        d.wait_for("Log interaction");
        d.type_text("lat");
        d.send("\r");
        d.paste(text);
        d.wait_for(text);
        match how {
            "SIGKILL" => {
                // What is tested: a draft is on disk within half a second
                // of the last key, so half a second is let pass.
                std::thread::sleep(Duration::from_millis(500));
                d.signal(libc::SIGKILL);
            }
            "SIGHUP" => d.signal(libc::SIGHUP),
            _ => d.hang_up(),
        }
        assert!(
            d.wait_exit().is_some(),
            "{how}: exit\n{}",
            common::logs(home.path())
        );
        drop(d);
        let d = desk(home.path(), &srv);
        d.wait_for("Restored your unsent Log interaction");
        d.wait_for(text);
        d.wait_for("Late fee explained");
    }
}

#[tokio::test]
async fn a_second_desk_on_the_same_cache_runs_without_it() {
    let srv = TestServer::start(TestDb::sqlite());
    let home = tempfile::tempdir().expect("home");
    let _first = desk(home.path(), &srv);
    let second = desk(home.path(), &srv);
    second.wait_for("Another desk uses this cache");
    second.wait_for("no cache");
    // It still works from the server.
    second.wait_for("Maria G");
}

#[tokio::test]
async fn a_corrupt_cache_is_moved_aside_and_the_desk_starts_fresh() {
    let srv = TestServer::start(TestDb::sqlite());
    let home = tempfile::tempdir().expect("home");
    let mut d = desk(home.path(), &srv);
    d.send("q");
    assert!(d.wait_exit().is_some(), "quits");
    drop(d);
    // Garble every file of the sled database.
    let cache_root = home.path().join("cache").join("switchboard");
    let mut garbled = 0;
    for entry in walk(&cache_root) {
        if entry.is_file() {
            std::fs::write(&entry, b"\x00garbage\xff not a sled file").expect("garble");
            garbled += 1;
        }
    }
    assert!(garbled > 0, "no cache files under {}", cache_root.display());
    let d = desk(home.path(), &srv);
    d.wait_for("cache unreadable: moved aside");
    d.wait_for("Maria G");
    let aside: Vec<_> = walk(&cache_root)
        .into_iter()
        .filter(|p| p.is_dir() && p.to_string_lossy().contains("corrupt"))
        .collect();
    assert!(!aside.is_empty(), "the corrupt cache was kept aside");
}

#[tokio::test]
async fn an_expired_cache_is_purged_at_start_and_says_so() {
    let srv = TestServer::start(TestDb::sqlite());
    let home = tempfile::tempdir().expect("home");
    let config = home.path().join("config").join("switchboard");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(config.join("config.toml"), "cache_ttl = \"1s\"\n").expect("config");
    keep_maria_and_the_codes(home.path(), &srv);
    // What is tested: a copy older than the TTL (1 s) is purged at start, so
    // the copy is let grow older than that.
    std::thread::sleep(Duration::from_millis(1500));
    let d = desk(home.path(), &srv);
    d.wait_for("older than 1 s removed");
    d.wait_for("Maria G");
}

#[tokio::test]
async fn a_saved_customer_pops_and_shows_its_age_when_the_server_is_gone() {
    let mut srv = TestServer::start(TestDb::sqlite());
    let home = tempfile::tempdir().expect("home");
    keep_maria_and_the_codes(home.path(), &srv);
    let mut d = desk(home.path(), &srv);
    srv.kill();
    // Another customer view, then Maria again by number, from the saved copy.
    d.send("p");
    d.paste("+1 415 555 0134");
    d.send("\r");
    d.wait_for("saved copy");
    d.wait_for("OFFLINE");
    d.wait_for("Maria G");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            }
            out.push(path);
        }
    }
    out
}

#[tokio::test]
async fn a_desk_starts_offline_as_the_agent_this_token_signed_in_as() {
    let mut srv = TestServer::start(TestDb::sqlite());
    let home = tempfile::tempdir().expect("home");
    keep_maria_and_the_codes(home.path(), &srv);
    srv.kill();

    // The server is gone: the desk starts as Alex from what it keeps, pops
    // Maria from the saved copy, and keeps a wrap-up for later.
    let mut d = desk(home.path(), &srv);
    d.wait_for("Alex Agent");
    d.wait_for("OFFLINE");
    d.wait_for("saved copy");
    quick_log(&mut d, "logged while the server was down");
    assert!(d.contents().contains("1 to send"), "{}", d.contents());

    // The server is back: the write goes out, once.
    srv.restart();
    wait_drained(&d);
    let notes = notes_on_server(&srv).await;
    assert_eq!(
        notes
            .iter()
            .filter(|n| *n == "logged while the server was down")
            .count(),
        1
    );

    // Another token this desk has never seen signed in starts nothing.
    srv.kill();
    let stranger = Desk::start_in(
        home.path(),
        &[],
        &[
            ("SWITCHBOARD_SERVER", &srv.base),
            ("SWITCHBOARD_TOKEN", &srv.supervisor_token),
        ],
    );
    stranger.wait_for("Cannot reach the server");
}

/// A write queued by a desk from before the typed outbox (format 1: the kind
/// and the JSON body side by side, in `tests/fixtures`) is read by today's
/// desk and delivered. The entry is put into the cache's outbox tree as that
/// desk stored it: the tree names and keys are the cache's on-disk format.
#[tokio::test]
async fn a_write_queued_in_the_old_format_is_delivered() {
    let srv = TestServer::start(TestDb::sqlite());
    let home = tempfile::tempdir().expect("home");
    keep_maria_and_the_codes(home.path(), &srv);
    let dir = cache_db(home.path())
        .and_then(|db| db.parent().map(Path::to_path_buf))
        .expect("the desk made its cache");
    let fixture = include_bytes!("fixtures/outbox-entry-format-1.json");
    let stored: serde_json::Value = serde_json::from_slice(fixture).expect("fixture");
    let key = stored["idempotency_key"].as_str().expect("key").to_string();
    {
        let db = sled::open(&dir).expect("the cache's sled database");
        let meta = db.open_tree("meta").expect("meta");
        let seq: u64 = meta.get("next_seq").expect("read").map_or(1, |v| {
            u64::from_be_bytes(v.as_ref().try_into().expect("8 bytes"))
        });
        meta.insert("next_seq", &(seq + 1).to_be_bytes())
            .expect("seq");
        let outbox = db.open_tree("outbox").expect("outbox");
        outbox
            .insert(seq.to_be_bytes(), fixture.trim_ascii())
            .expect("entry");
        let keys = db.open_tree("outbox_keys").expect("keys");
        keys.insert(key.as_bytes(), &seq.to_be_bytes())
            .expect("index");
        db.flush().expect("flush");
    }
    common::wait_unlocked(&dir);
    let mut d = desk(home.path(), &srv);
    wait_drained(&d);
    let wanted = "queued by a desk before the typed outbox";
    let mut notes = Vec::new();
    for _ in 0..100 {
        notes = notes_on_server(&srv).await;
        if notes.iter().any(|n| n == wanted) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        notes.iter().filter(|n| *n == wanted).count(),
        1,
        "the old entry reached the server once: {notes:?}"
    );
    d.send("q");
}
