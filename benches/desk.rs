//! The desk's speed and footprint. Run: `cargo bench --bench desk`.
//!
//! In process: rendering the customer screen (80x24 and 200x60), the bytes one
//! selection move writes, and fuzzy search over 100,000 names per keystroke.
//! Against the real binary in a pseudo-terminal with a real server: start to
//! first frame, key press to updated frame, bytes and wake-ups while idle,
//! resident memory with a 2,000-event customer open, and submitting a wrap-up
//! until its result shows. `-- pop` runs only the screen pops (time and
//! bytes); `-- transfer` only a transfer reaching the receiving desk.
//! `BENCH_DUMP=DIR` keeps each pop's bytes in `DIR/pop-N.bin`, to see what
//! a pop costs the link (text, cursor moves, colours).

#[path = "../tests/common/mod.rs"]
mod common;

use chrono::Utc;
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard::api::{CustomerSummary, Suggestions, TimelinePage};
use switchboard::domain::*;
use switchboard::tui::action::{Action, Effect};
use switchboard::tui::glyphs::Glyphs;
use switchboard::tui::session::model::Connection;
use switchboard::tui::state::{AppState, Zone};
use switchboard::tui::theme::{self, ColorDepth};
use switchboard::tui::workspace::update::open_customer;
use switchboard::tui::{fuzzy, keymap, update, view};

/// A writer that keeps what the desk would send to the terminal.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("sink").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sink {
    fn take(&self) -> usize {
        std::mem::take(&mut *self.0.lock().expect("sink")).len()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1e3
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{label}: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({} samples)",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        percentile(&times, 1.0),
        times.len()
    );
}

fn usd(m: i64) -> Money {
    Money::new(m, Currency::USD)
}

/// A desk showing a customer with `events` timeline events, all loaded.
fn customer_state(events: usize) -> AppState {
    let (keymap, _) = keymap::load("default", None);
    let mut s = AppState::new(
        Arc::new(keymap),
        Glyphs::UNICODE,
        "http://bench".into(),
        Utc::now(),
    );
    s.zone = Zone::Named(chrono_tz::UTC);
    s.connection = Connection::Online;
    let summary = CustomerSummary {
        id: CustomerId(1),
        name: "Priya Raman".into(),
        account_number: "AC00000005".into(),
        phones: vec!["+14155550177".into()],
        emails: vec!["priya@example.com".into()],
        segment: Segment::Gold,
    };
    let effects = open_customer(&mut s, summary, None);
    let Some(Effect::LoadCustomer { request, .. }) = effects.first().cloned() else {
        panic!("open_customer loads the profile first");
    };
    let profile = Customer {
        id: CustomerId(1),
        name: "Priya Raman".into(),
        phones: vec!["+14155550177".into()],
        emails: vec!["priya@example.com".into()],
        account_number: "AC00000005".into(),
        segment: Segment::Gold,
        lifetime_value: usd(4_200_000),
        customer_since: chrono::NaiveDate::from_ymd_opt(2012, 5, 1).expect("date"),
        churn_risk: 0.2,
        language: "en".into(),
        time_zone: "America/Chicago".into(),
        marketing_channels: Channel::CONTACT.to_vec(),
        balance: usd(0),
        kind: switchboard::domain::PartyKind::Person,
        acts_for: vec![],
        outstanding_fees: vec![],
    };
    update::update(
        &mut s,
        Action::CustomerLoaded {
            request,
            id: CustomerId(1),
            reply: Ok(profile),
            cached_at: None,
        },
    );
    let events: Vec<TimelineEvent> = (0..events)
        .map(|i| TimelineEvent {
            id: EventId(10_000 - i as i64),
            customer_id: CustomerId(1),
            at: Utc::now() - chrono::Duration::hours(i as i64 * 7),
            channel: Channel::ALL[i % Channel::ALL.len()],
            kind: EventKind::ALL[i % EventKind::ALL.len()],
            topic: Some("billing".into()),
            summary: format!("Event number {i} about a bill, an order or a visit"),
            detail: Some("Details of what happened, as the agent wrote them.".into()),
            agent: Some("Tom Becker".into()),
            outcome: Some("resolved".into()),
            amount: (i % 3 == 0).then(|| usd(1999)),
        })
        .collect();
    update::update(
        &mut s,
        Action::TimelineLoaded {
            request,
            id: CustomerId(1),
            append: false,
            reply: Ok(TimelinePage {
                events,
                next_before: None,
            }),
        },
    );
    s
}

fn key(code: crossterm::event::KeyCode) -> Action {
    Action::Key(crossterm::event::KeyEvent::new(
        code,
        crossterm::event::KeyModifiers::NONE,
    ))
}

fn in_process() {
    let (theme, _) = theme::load("default", None, ColorDepth::Ansi256);
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut state = customer_state(2000);
        state.size = (w, h);
        let sink = Sink::default();
        let backend = CrosstermBackend::new(sink.clone());
        let mut terminal = Terminal::with_options(
            backend,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h)),
            },
        )
        .expect("terminal");
        terminal
            .draw(|f| view::view(&state, &theme, f))
            .expect("draw");
        sink.take();
        // One line down: what a key press writes to the terminal.
        update::update(&mut state, key(crossterm::event::KeyCode::Down));
        terminal
            .draw(|f| view::view(&state, &theme, f))
            .expect("draw");
        println!(
            "{w}x{h}: moving the selection one line writes {} bytes",
            sink.take()
        );
        let mut times = Vec::new();
        for i in 0..2000 {
            let code = if (i / 20) % 2 == 0 {
                crossterm::event::KeyCode::Down
            } else {
                crossterm::event::KeyCode::Up
            };
            update::update(&mut state, key(code));
            let started = Instant::now();
            terminal
                .draw(|f| view::view(&state, &theme, f))
                .expect("draw");
            times.push(started.elapsed());
        }
        report(
            &format!("customer screen {w}x{h}, 2,000 events: draw"),
            times,
        );
    }

    let names: Vec<CustomerSummary> = (0..100_000)
        .map(|i| CustomerSummary {
            id: CustomerId(i),
            name: format!(
                "{} {}",
                ["Maria", "Robert", "Oliver", "Priya", "Wang", "José", "Zoë", "Amir"]
                    [i as usize % 8],
                [
                    "Gonzalez", "Bennett", "Raman", "Xiuying", "Álvarez", "Starr", "Haddad",
                    "Okafor"
                ][(i as usize / 8) % 8]
            ),
            account_number: format!("AC{i:08}"),
            phones: vec![format!("+1415{:07}", i)],
            emails: vec![format!("c{i}@example.com")],
            segment: Segment::Standard,
        })
        .collect();
    let mut index = fuzzy::LocalIndex::default();
    for c in &names {
        index.remember(c);
    }
    // An agent typing a name: each keystroke narrows the previous results,
    // except the first, which scans all 100,000.
    let mut times = Vec::new();
    for _ in 0..5 {
        let mut narrowing = fuzzy::Narrowing::default();
        for query in [
            "m",
            "ma",
            "mar",
            "mari",
            "maria",
            "maria g",
            "maria go",
            "maria gon",
        ] {
            let started = Instant::now();
            let hits = index.search(query, &mut narrowing);
            times.push(started.elapsed());
            std::hint::black_box(hits);
        }
    }
    report("fuzzy search over 100,000 customers, per keystroke", times);
    cached_pop(&theme);
    boards(&theme);
}

/// The supervisor's boards with 200 queues and 5,000 agents: a frame drawn
/// after each live update from the event stream (the whole queue board, or
/// one agent's state), as the desk does while a supervisor watches.
fn boards(theme: &theme::Theme) {
    use switchboard::api::FloorEvent;
    let now = Utc::now();
    let (keymap, _) = keymap::load("default", None);
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut state = AppState::new(
            Arc::new(keymap.clone()),
            Glyphs::UNICODE,
            "http://sb".into(),
            now,
        );
        state.connection = Connection::Online;
        state.agent = Some(Agent {
            id: AgentId(1),
            name: "Sam Supervisor".into(),
            role: Role::Supervisor,
            waiver_limit: usd(50_000),
        });
        state.size = (w, h);
        let queues = common::boards::queue_board(200, 5_000, now);
        update::update(&mut state, Action::QueuesLoaded(Ok(queues.clone())));
        update::update(
            &mut state,
            Action::AgentBoardLoaded(Ok(common::boards::agent_board(5_000, now))),
        );
        let backend = CrosstermBackend::new(Sink::default());
        let mut terminal = Terminal::with_options(
            backend,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h)),
            },
        )
        .expect("terminal");
        for (name, key) in [
            ("queue board", crossterm::event::KeyCode::F(2)),
            ("agent board", crossterm::event::KeyCode::F(3)),
        ] {
            update::update(&mut state, self::key(key));
            let mut times = Vec::new();
            for i in 0..1000usize {
                let event = if name == "queue board" {
                    let mut board = queues.clone();
                    board.queues[i % 200].waiting += 1;
                    FloorEvent::QueueStats(board)
                } else {
                    let mut agent = common::boards::agent(i * 7 % 5_000, now);
                    agent.state = AgentState::OnContact;
                    FloorEvent::AgentState(agent)
                };
                let started = Instant::now();
                update::update(&mut state, Action::Floor(event));
                terminal
                    .draw(|f| view::view(&state, theme, f))
                    .expect("draw");
                times.push(started.elapsed());
            }
            report(
                &format!("{name} {w}x{h}, 200 queues and 5,000 agents: live update and draw"),
                times,
            );
        }
    }
}

/// A screen pop of a customer the local cache holds: the cached profile,
/// first timeline page and suggestions read, applied, and an 80x24 frame
/// drawn, as the desk does before the server has answered.
fn cached_pop(theme: &theme::Theme) {
    let dir = tempfile::tempdir().expect("cache dir");
    let opened = switchboard::cache::Cache::open(
        dir.path(),
        "http://bench",
        "1",
        switchboard::cache::CacheOptions::default(),
    )
    .expect("cache");
    let cache = opened.cache;
    let template = customer_state(50);
    let view = template.customer.as_ref().expect("customer view");
    let profile = view.profile.clone().expect("profile");
    let page = TimelinePage {
        events: view.events.clone(),
        next_before: Some("cursor".into()),
    };
    for id in 1..=1000 {
        let mut p = profile.clone();
        p.id = CustomerId(id);
        cache.put_customer(&p).expect("put");
        cache.put_timeline(CustomerId(id), &page).expect("put");
        let none = Suggestions {
            customer_id: CustomerId(id),
            generated_at: chrono::Utc::now(),
            decision_id: DecisionId(id),
            control: false,
            suggestions: vec![],
            not_shown: vec![],
        };
        cache.put_suggestions(CustomerId(id), &none).expect("put");
    }
    let mut terminal = Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("terminal");
    let mut times = Vec::new();
    for i in 0..500 {
        let mut state = customer_state(0);
        state.customer = None;
        let id = CustomerId(1 + (i * 7) % 1000);
        let summary = CustomerSummary::from(&Customer {
            id,
            ..profile.clone()
        });
        let started = Instant::now();
        for effect in open_customer(&mut state, summary, None) {
            if let Some(action) = switchboard::tui::effects::cached(&cache, &effect) {
                update::update(&mut state, action);
            }
        }
        terminal
            .draw(|f| view::view(&state, theme, f))
            .expect("draw");
        times.push(started.elapsed());
        assert!(state
            .customer
            .as_ref()
            .is_some_and(|v| v.cached_at.is_some()));
    }
    report(
        "screen pop of a cached customer to a drawn 80x24 frame",
        times,
    );
}

/// The desk's resident memory and context switches (all threads), from /proc.
fn proc_status(pid: u32) -> (u64, u64) {
    let mut rss_kb = 0;
    if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
        for line in status.lines() {
            if let Some(v) = line.strip_prefix("VmRSS:") {
                rss_kb = v.trim().trim_end_matches(" kB").trim().parse().unwrap_or(0);
            }
        }
    }
    let mut switches = 0;
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
            for line in status.lines() {
                if let Some(v) = line
                    .strip_prefix("voluntary_ctxt_switches:")
                    .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"))
                {
                    switches += v.trim().parse::<u64>().unwrap_or(0);
                }
            }
        }
    }
    (rss_kb, switches)
}

fn with_binary() {
    let srv = common::TestServer::start(common::TestDb::sqlite());
    let env = [
        ("SWITCHBOARD_SERVER", srv.base.as_str()),
        ("SWITCHBOARD_TOKEN", srv.agent_token.as_str()),
    ];
    let mut starts = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let d = common::pty::Desk::start(&[], &env);
        while !d.contents().contains("Switchboard") {
            std::thread::sleep(Duration::from_micros(200));
        }
        starts.push(started.elapsed());
    }
    report("start to first frame", starts);

    let mut d = common::pty::Desk::start(&["--pop", "+1 415 555 0177"], &env);
    d.wait_for("Priya Raman");
    d.wait_for("[1]");
    d.wait_for("Timeline 100+");
    std::thread::sleep(Duration::from_millis(500));
    let mut presses = Vec::new();
    for i in 0..200 {
        let before = d.raw().len();
        let started = Instant::now();
        d.send_now(if (i / 10) % 2 == 0 {
            "\u{1b}[B"
        } else {
            "\u{1b}[A"
        });
        while d.raw().len() == before && started.elapsed() < Duration::from_secs(2) {
            std::hint::spin_loop();
        }
        presses.push(started.elapsed());
        std::thread::sleep(Duration::from_millis(5));
    }
    report("key press to updated frame (pty round trip)", presses);

    std::thread::sleep(Duration::from_millis(1500));
    let pid = d.child.id();
    let bytes_before = d.raw().len();
    let (_, switches_before) = proc_status(pid);
    std::thread::sleep(Duration::from_secs(10));
    let (_, switches_after) = proc_status(pid);
    println!(
        "idle for 10 s: {} bytes written, {:.1} context switches per second (all threads)",
        d.raw().len() - bytes_before,
        (switches_after - switches_before) as f64 / 10.0
    );

    // Load all 2,000 events by paging to the end, then read resident memory.
    for _ in 0..40 {
        d.send_now("\u{1b}[F");
        std::thread::sleep(Duration::from_millis(100));
        if d.contents().contains("Timeline 2000 ") {
            break;
        }
    }
    d.wait_for("Timeline 2000 ");
    let (rss_kb, _) = proc_status(pid);
    println!(
        "resident memory with a 2,000-event customer open: {:.1} MB",
        rss_kb as f64 / 1024.0
    );

    // Submitting: a quick log sent from the palette, until the result shows.
    let mut submits = Vec::new();
    for i in 0..20 {
        d.send("\u{10}");
        d.wait_for("Command palette");
        d.type_text(&format!("log latefee benchmark note {i}"));
        let started = Instant::now();
        d.send_now("\r");
        while !d.contents().contains("Interaction logged")
            && started.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        submits.push(started.elapsed());
    }
    report("submit to result on screen (quick log, loopback)", submits);
    drop(d);
    screen_pop(&srv);
}

/// A contact offered by the ACD (`POST /v1/calls`) until the caller's name is
/// on the agent's screen: cold (never seen by this desk) and warm (in its
/// local cache from an earlier call).
fn screen_pop(srv: &common::TestServer) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let acd = switchboard::api::Client::new(
        &srv.base,
        &common::add_agent(&srv.db.url, "Bench ACD", "system", "0"),
    )
    .expect("client");
    let agent = rt.block_on(srv.agent().me()).expect("me");
    let mut d = common::pty::Desk::start(
        &[],
        &[
            ("SWITCHBOARD_SERVER", srv.base.as_str()),
            ("SWITCHBOARD_TOKEN", srv.agent_token.as_str()),
        ],
    );
    d.wait_for("Welcome");
    std::thread::sleep(Duration::from_millis(500));
    // Customers 21..40 of the seeded data: name and number.
    let customers: Vec<Customer> = (21..=40)
        .map(|id| {
            rt.block_on(srv.agent().customer(CustomerId(id)))
                .expect("customer")
        })
        .collect();
    let mut n = 0;
    let mut offer = |d: &mut common::pty::Desk, c: &Customer, home: bool| {
        n += 1;
        let call = switchboard::api::NewCallEvent {
            call_id: format!("bench-{n}"),
            kind: CallEventKind::Offered,
            queue: "general".into(),
            caller: c.phones.first().cloned(),
            agent_id: Some(agent.id),
            occurred_at: Utc::now(),
            seq: 0,
        };
        let bytes_before = d.raw().len();
        let started = Instant::now();
        rt.block_on(acd.post_call(&call)).expect("offered");
        let marker = format!("call from {}", c.phones.first().map_or("", |p| p.as_str()));
        while !(d.contents().contains(&c.name) && d.contents().contains(&marker))
            && started.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        let took = started.elapsed();
        // The whole screen: the timeline and suggestions loaded too.
        while d.contents().contains("Loading") && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_micros(200));
        }
        // Until the desk has written all of it: 150 ms without a byte.
        let mut seen = d.raw().len();
        let mut quiet = Instant::now();
        while quiet.elapsed() < Duration::from_millis(150)
            && started.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(5));
            let now = d.raw().len();
            if now != seen {
                (seen, quiet) = (now, Instant::now());
            }
        }
        let bytes = seen - bytes_before;
        if let Ok(dir) = std::env::var("BENCH_DUMP") {
            let raw = d.raw();
            let _ = std::fs::write(format!("{dir}/pop-{n}.bin"), &raw[bytes_before..seen]);
        }
        if home {
            // Back to the home screen, ready for the next call.
            d.send("\u{1b}");
            d.send("\u{1b}");
        }
        (took, bytes)
    };
    let (cold, cold_bytes): (Vec<Duration>, Vec<usize>) =
        customers.iter().map(|c| offer(&mut d, c, true)).unzip();
    let (warm, _): (Vec<Duration>, Vec<usize>) =
        customers.iter().map(|c| offer(&mut d, c, true)).unzip();
    report(
        "contact offered to caller on screen, cold cache (loopback)",
        cold,
    );
    report(
        "contact offered to caller on screen, warm cache (loopback)",
        warm,
    );
    report_bytes(
        "a pop from home to the finished customer screen, 80x24",
        cold_bytes,
    );
    // One loaded customer to the next, both in the local cache.
    let (_, next_bytes): (Vec<Duration>, Vec<usize>) =
        customers.iter().map(|c| offer(&mut d, c, false)).unzip();
    report_bytes(
        "a loaded customer to the next (cached) customer's screen",
        next_bytes[1..].to_vec(),
    );
}

/// A transfer to a desk: from the transferring agent's request, through the
/// ACD (this bench, reacting to the `call_command` event as an ACD would:
/// ending the first leg, ringing and answering the new one) to the note on
/// the receiving desk's screen. 30 rounds on loopback.
fn transfer(srv: &common::TestServer) {
    use futures::StreamExt;
    use switchboard::api::{Client, FloorEvent, NewAgentState, NewCallEvent, NewTransfer};
    use switchboard::domain::{AgentId, CallEventKind, SettableState};
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let acd = Client::new(
        &srv.base,
        &common::add_agent(&srv.db.url, "Bench ACD", "system", "0"),
    )
    .expect("client");
    let bo_token = common::add_agent(&srv.db.url, "Bo Chen", "agent", "50");
    let bo = Client::new(&srv.base, &bo_token).expect("client");
    let alex = srv.agent();
    let (alex_id, bo_id) = rt.block_on(async {
        (
            alex.me().await.expect("me").id,
            bo.me().await.expect("me").id,
        )
    });
    let mut commands = Box::pin(rt.block_on(acd.events(None)).expect("the ACD listens"));
    let d = common::pty::Desk::start(
        &[],
        &[
            ("SWITCHBOARD_SERVER", srv.base.as_str()),
            ("SWITCHBOARD_TOKEN", bo_token.as_str()),
        ],
    );
    d.wait_for("Welcome");
    let available = NewAgentState {
        state: SettableState::Available,
        reason: None,
    };
    let post = |id: &str, kind, agent: AgentId| {
        let event = NewCallEvent {
            call_id: id.into(),
            kind,
            queue: "billing".into(),
            caller: Some("+12125550199".into()),
            agent_id: Some(agent),
            occurred_at: Utc::now(),
            seq: 0,
        };
        rt.block_on(acd.post_call(&event)).expect("call event");
    };
    let mut times = Vec::new();
    for round in 0..30 {
        rt.block_on(async {
            alex.set_state(&available).await.expect("Alex available");
            bo.set_state(&available).await.expect("Bo available");
        });
        let call = format!("bench-t{round}");
        post(&call, CallEventKind::Offered, alex_id);
        post(&call, CallEventKind::Answered, alex_id);
        let note = format!("Round {round}: disputes a charge");
        let started = Instant::now();
        let body = NewTransfer {
            to_agent_id: Some(bo_id),
            to_queue: None,
            warm: false,
            note: note.clone(),
            notes: String::new(),
        };
        rt.block_on(alex.transfer_call(&call, &body))
            .expect("transfer");
        let order = rt.block_on(async {
            loop {
                match commands.next().await {
                    Some(Ok((_, FloorEvent::CallCommand(c)))) => {
                        break c.transfer.expect("where to")
                    }
                    Some(Ok(_)) => continue,
                    other => panic!("the ACD's stream ended: {other:?}"),
                }
            }
        });
        post(&call, CallEventKind::Ended, alex_id);
        post(&order.new_call_id, CallEventKind::Offered, bo_id);
        post(&order.new_call_id, CallEventKind::Answered, bo_id);
        while !d.contents().contains(&note) && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_micros(200));
        }
        times.push(started.elapsed());
        post(&order.new_call_id, CallEventKind::Ended, bo_id);
    }
    report(
        "a transfer, request to the note on the receiving desk (loopback, through the ACD)",
        times,
    );
}

/// Bytes written to the terminal: median and worst, and what they cost at 9600 baud.
fn report_bytes(label: &str, mut bytes: Vec<usize>) {
    bytes.sort_unstable();
    let median = bytes[bytes.len() / 2];
    let worst = bytes[bytes.len() - 1];
    println!(
        "{label}: median {median} bytes, worst {worst} ({:.1} s at 9600 baud)",
        worst as f64 * 10.0 / 9600.0
    );
}

/// `cargo bench --bench desk -- in-process` skips the pseudo-terminal part;
/// `-- pop` runs only the screen pops (time and bytes).
fn main() {
    if std::env::args().any(|a| a == "pop") {
        screen_pop(&common::TestServer::start(common::TestDb::sqlite()));
        return;
    }
    if std::env::args().any(|a| a == "transfer") {
        transfer(&common::TestServer::start(common::TestDb::sqlite()));
        return;
    }
    in_process();
    if !std::env::args().any(|a| a == "in-process") {
        with_binary();
    }
}
