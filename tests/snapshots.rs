//! Snapshot tests of every screen at 80x24 and 160x48, in the default and mono
//! themes, including a Chinese name, a 300-character name and hostile records
//! (escape sequences, bidi overrides, emoji). States are built through `update`
//! with replies as the server would send them, sanitised as the desk does.

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use ratatui::Terminal;
use std::sync::Arc;
use switchboard::api::{CustomerSummary, MatchedOn, NotShown, Suggestions, TimelinePage};
use switchboard::cache::{AttentionEntry, OutboxEntry};
use switchboard::domain::*;
use switchboard::tui::action::Action;
use switchboard::tui::glyphs::Glyphs;
use switchboard::tui::input::TextInput;
use switchboard::tui::offline::model::{LocalCache, OutboxView};
use switchboard::tui::sanitize::Sanitize;
use switchboard::tui::session::model::{Connection, SignIn};
use switchboard::tui::state::{AppState, Level, Overlay, Screen, Zone};
use switchboard::tui::theme::{self, ColorDepth, Theme};
use switchboard::tui::workspace::update::open_customer;
use switchboard::tui::{keymap, update, view};

const HOSTILE_NAME: &str = "\u{1b}]0;pwned\u{7}\u{1b}[31mRed\u{1b}[0m Alert \u{202e}gnp.exe";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T17:04:00Z")
        .map(|t| t.with_timezone(&Utc))
        .expect("time")
}

fn usd(m: i64) -> Money {
    Money::new(m, Currency::USD)
}

fn base_state(glyphs: Glyphs) -> AppState {
    let (keymap, _) = keymap::load("default", None);
    let mut s = AppState::new(
        Arc::new(keymap),
        glyphs,
        "http://127.0.0.1:7878".into(),
        now(),
    );
    s.zone = Zone::Named(chrono_tz::UTC);
    s.connection = Connection::Online;
    s.agent = Some(Agent {
        id: AgentId(1),
        name: "Alex Agent".into(),
        role: Role::Agent,
        waiver_limit: usd(5000),
    });
    s
}

fn summary(id: i64, name: &str) -> CustomerSummary {
    CustomerSummary {
        id: CustomerId(id),
        name: name.into(),
        account_number: format!("AC{id:08}"),
        phones: vec![format!("+1415555{id:04}")],
        emails: vec![format!("c{id}@example.com")],
        segment: Segment::Gold,
    }
    .sanitize()
}

fn customer(id: i64, name: &str, tz: &str) -> Customer {
    Customer {
        id: CustomerId(id),
        name: name.into(),
        phones: vec!["+14155550134".into()],
        emails: vec!["maria.gonzalez@example.com".into()],
        account_number: format!("AC{id:08}"),
        segment: Segment::Gold,
        lifetime_value: usd(1_850_000),
        customer_since: NaiveDate::from_ymd_opt(2019, 3, 2).expect("date"),
        churn_risk: 0.7,
        language: "en".into(),
        time_zone: tz.into(),
        marketing_channels: Channel::CONTACT.to_vec(),
        balance: usd(12_450),
        kind: switchboard::domain::PartyKind::Person,
        acts_for: vec![],
        outstanding_fees: vec![Fee {
            id: FeeId(3),
            kind: FeeKind::LatePayment,
            charged_at: now() - chrono::Duration::days(10),
            amount: usd(3500),
            outstanding: usd(3500),
            waiver_pending: false,
        }],
    }
    .sanitize()
}

/// Channel, kind, summary, outcome and amount of a timeline row.
type Row = (
    Channel,
    EventKind,
    &'static str,
    Option<&'static str>,
    Option<Money>,
);

fn events(id: i64) -> Vec<TimelineEvent> {
    let rows: [Row; 8] = [
        (
            Channel::Voice,
            EventKind::Contact,
            "Third contact this week about the late fee",
            Some("follow_up"),
            None,
        ),
        (
            Channel::Chat,
            EventKind::Contact,
            "Chased the late fee on chat \u{1b}[2J\u{1b}]0;owned\u{7}",
            Some("follow_up"),
            None,
        ),
        (
            Channel::Billing,
            EventKind::Fee,
            "Late payment fee charged",
            None,
            Some(usd(3500)),
        ),
        (
            Channel::Store,
            EventKind::Purchase,
            "Bought a phone case in the Market St store",
            None,
            Some(usd(2999)),
        ),
        (
            Channel::Email,
            EventKind::Complaint,
            "Complained about a missed engineer visit",
            Some("resolved"),
            None,
        ),
        (
            Channel::Web,
            EventKind::Offer,
            "Loyalty discount offered",
            Some("declined"),
            None,
        ),
        (
            Channel::Field,
            EventKind::LifeEvent,
            "Moved to a new address 🏠",
            None,
            None,
        ),
        (
            Channel::Billing,
            EventKind::Payment,
            "Direct debit collected",
            None,
            Some(usd(8566)),
        ),
    ];
    rows.iter()
        .enumerate()
        .map(|(i, (channel, kind, summary, outcome, amount))| {
            TimelineEvent {
                id: EventId(100 - i as i64),
                customer_id: CustomerId(id),
                at: now() - chrono::Duration::hours(30 * i as i64 + 1),
                channel: *channel,
                kind: *kind,
                topic: Some("billing".into()),
                summary: summary.to_string(),
                detail: Some(
                    "Says the payment left her bank on time;\ncallback promised. \u{1b}[5mblink"
                        .into(),
                ),
                agent: Some("Tom Becker".into()),
                outcome: outcome.map(str::to_string),
                amount: *amount,
            }
            .sanitize()
        })
        .collect()
}

/// A decision as the server sends it: two shown, and what was not shown.
fn suggestions(customer: CustomerId) -> Suggestions {
    let shown =
        |code: &str, title: &str, opens, kind, reasons: &[&str], value, means: &str| Suggestion {
            action: ActionCode::new(code),
            title: title.into(),
            kind,
            opens,
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
            propensity: 0.5,
            value,
            value_means: means.into(),
            priority: 1.0,
            parameters: Default::default(),
        };
    let not = |code: &str, name: &str, eligible, rule: &str| NotShown {
        action: ActionCode::new(code),
        name: name.into(),
        eligible,
        rule: rule.into(),
        rule_kind: String::new(),
        value: None,
    };
    Suggestions {
        customer_id: customer,
        generated_at: DateTime::from_timestamp(1_764_500_000, 0).unwrap_or_default(),
        decision_id: DecisionId(77),
        control: false,
        suggestions: vec![
            shown(
                "escalate",
                "Escalate to tier 2",
                Opens::Escalation,
                ActionKind::Service,
                &["3 contacts in 7 days", "1 open complaint(s)"],
                Some(usd(24_000)),
                "a fifth of the value at risk",
            ),
            shown(
                "waive_late_fee",
                "Waive the late fee",
                Opens::Waiver,
                ActionKind::Service,
                &[
                    "late fee $35.00 10 days ago",
                    "no waiver in 12 months",
                    "customer 6 years",
                ],
                Some(usd(3500)),
                "the fee",
            ),
        ],
        not_shown: vec![
            not(
                "retention_offer",
                "Offer 20% off for 12 months",
                true,
                "consent: no marketing consent",
            ),
            not(
                "plan_upgrade",
                "Offer the plan upgrade",
                true,
                "suppressed: declined 2 times in 30 days (until 2026-12-20)",
            ),
            not(
                "senior_handoff",
                "Hand to a senior agent",
                false,
                "not eligible: segment is gold, not premier",
            ),
            not(
                "birthday",
                "Wish them a happy birthday",
                false,
                "not eligible: no birthday on record",
            ),
        ],
    }
    .sanitize()
}

/// The customer screen for `profile`, with its timeline and suggestions loaded.
fn customer_state(glyphs: Glyphs, profile: Customer) -> AppState {
    let mut s = base_state(glyphs);
    let id = profile.id;
    let effects = open_customer(
        &mut s,
        summary(id.0, &profile.name),
        Some("popped for 415.555.0134".into()),
    );
    let request = match effects.first() {
        Some(switchboard::tui::action::Effect::LoadCustomer { request, .. }) => *request,
        other => panic!("unexpected {other:?}"),
    };
    update::update(
        &mut s,
        Action::CustomerLoaded {
            request,
            id,
            reply: Ok(profile),
            cached_at: None,
        },
    );
    update::update(
        &mut s,
        Action::TimelineLoaded {
            request,
            id,
            append: false,
            reply: Ok(TimelinePage {
                events: events(id.0),
                next_before: Some("x".into()),
            }),
        },
    );
    update::update(
        &mut s,
        Action::SuggestionsLoaded {
            request,
            id,
            reply: Ok(suggestions(id)),
        },
    );
    s
}

/// Helen Marsh, finance director at a key account, with the account loaded.
/// Helen popped for a call, acting for Harbor and for a second
/// organisation: the chooser asks which one she is calling for.
fn business_state_asked(glyphs: Glyphs) -> AppState {
    let harbor = CustomerId(900);
    let manager = AccountManager {
        agent_id: AgentId(7),
        name: "Ava Brooks".into(),
        state: Some(AgentState::Available),
    };
    let mut helen = customer(901, "Helen Marsh", "America/Chicago");
    helen.acts_for = vec![Affiliation {
        organisation_id: harbor,
        organisation: "Harbor Industrial Supply".into(),
        tier: Tier::KeyAccount,
        role: ContactRole::Finance,
        authority: None,
        key_account_manager: Some(manager.clone()),
        last_chosen: None,
        charges: vec![],
        annual_revenue: None,
    }];
    // A second organisation with a hostile name: cleaned where it enters.
    helen.acts_for.push(Affiliation {
        organisation_id: CustomerId(903),
        organisation: HOSTILE_NAME.into(),
        tier: Tier::Standard,
        role: ContactRole::User,
        authority: None,
        key_account_manager: None,
        last_chosen: None,
        charges: vec![],
        annual_revenue: None,
    });
    let mut s = customer_state(glyphs, helen.sanitize());
    let day = |d: i64| now().date_naive() - chrono::Duration::days(d);
    let organisation = Organisation {
        id: harbor,
        name: "Harbor Industrial Supply".into(),
        account_number: "HIS00001".into(),
        industry: "Industrial distribution".into(),
        size_band: "250-999".into(),
        address: "1200 Dockside Ave, Oakland, CA 94607".into(),
        tier: Tier::KeyAccount,
        key_account_manager: Some(manager),
        annual_revenue: usd(194_025_000),
        margin_bp: 1_850,
        lifetime_value: usd(920_000_000),
        payment_terms_days: 30,
        credit_limit: usd(25_000_000),
        renewal_on: day(-45),
        contacts: vec![
            OrganisationContact {
                contact_id: CustomerId(902),
                name: "Karen Liu".into(),
                role: ContactRole::DecisionMaker,
                authority: Some(usd(50_000_000)),
            },
            OrganisationContact {
                contact_id: CustomerId(901),
                name: "Helen Marsh".into(),
                role: ContactRole::Finance,
                authority: None,
            },
            OrganisationContact {
                contact_id: CustomerId(903),
                name: HOSTILE_NAME.into(),
                role: ContactRole::User,
                authority: None,
            },
        ],
        invoices: vec![Invoice {
            id: 11,
            number: "HIS-0011".into(),
            issued_on: day(70),
            due_on: day(40),
            paid_on: None,
            amount: usd(16_850_000),
            late_fee: Some(FeeId(97)),
        }],
        orders: vec![Order {
            id: 1,
            number: "HO-2291".into(),
            description: "Bearings and seals, quarterly".into(),
            placed_on: day(20),
            promised_on: day(5),
            delivered_on: None,
            status: OrderStatus::Delayed,
            amount: usd(4_825_000),
        }],
        rebates: vec![],
    };
    let request = s.customer.as_ref().map_or(0, |v| v.request);
    update::update(
        &mut s,
        Action::OrganisationLoaded {
            request,
            id: CustomerId(901),
            reply: Ok(organisation.sanitize()),
        },
    );
    s
}

/// Helen's screen once the agent took the organisation she called for last.
fn business_state(glyphs: Glyphs) -> AppState {
    let mut s = business_state_asked(glyphs);
    update::update(&mut s, special(crossterm::event::KeyCode::Enter));
    s.notice = None;
    s
}

fn screens(glyphs: Glyphs) -> Vec<(&'static str, AppState)> {
    let long_name: String = "Bartholomew-Alexander ".repeat(14);
    let mut out = Vec::new();

    let mut home = base_state(glyphs);
    home.recent = vec![
        summary(1, "Maria Gonzalez"),
        summary(4, "王秀英"),
        summary(9, &long_name),
    ];
    home.config_errors = vec![
        "/home/a/.config/switchboard/keymap.toml:3:1: unknown action `qiut` (did you mean `quit`?)"
            .into(),
    ];
    out.push(("home", home));

    let mut search = base_state(glyphs);
    search.screen = Screen::Search;
    search.search.input = TextInput::with("gonz");
    search.search.rows = [
        (summary(1, "Maria Gonzalez"), MatchedOn::Phone, true),
        (summary(2, "Robert Gonzalez"), MatchedOn::Name, false),
        (summary(4, "王秀英"), MatchedOn::Name, false),
        (summary(7, HOSTILE_NAME), MatchedOn::Name, false),
        (summary(9, &long_name), MatchedOn::Name, false),
    ]
    .into_iter()
    .map(
        |(customer, matched_on, exact)| switchboard::tui::search::model::SearchRow {
            customer,
            matched_on,
            exact,
            from_server: true,
        },
    )
    .collect();
    search.search.selected = 1;
    out.push(("search", search));

    out.push((
        "customer",
        customer_state(glyphs, customer(1, "Maria Gonzalez", "America/Los_Angeles")),
    ));
    out.push((
        "customer_chinese",
        customer_state(glyphs, customer(4, "王秀英", "Asia/Shanghai")),
    ));
    out.push((
        "customer_long_name",
        customer_state(glyphs, customer(9, &long_name, "Europe/London")),
    ));
    out.push((
        "customer_hostile",
        customer_state(
            glyphs,
            customer(7, &format!("{HOSTILE_NAME} Zoë 🚀 محمد العلي"), "Not/AZone"),
        ),
    ));

    let mut expanded = customer_state(glyphs, customer(1, "Maria Gonzalez", "America/Los_Angeles"));
    update::update(&mut expanded, key('x'));
    out.push(("customer_expanded", expanded));

    let mut filtered = customer_state(glyphs, customer(1, "Maria Gonzalez", "America/Los_Angeles"));
    update::update(&mut filtered, key('/'));
    for c in "late".chars() {
        update::update(&mut filtered, key(c));
    }
    out.push(("customer_text_filter", filtered));

    let mut help = customer_state(glyphs, customer(1, "Maria Gonzalez", "America/Los_Angeles"));
    help.overlay = Some(Overlay::Help { scroll: 0 });
    out.push(("help", help));

    let mut why_not = customer_state(glyphs, customer(1, "Maria Gonzalez", "America/Los_Angeles"));
    update::update(&mut why_not, key('n'));
    assert!(matches!(why_not.overlay, Some(Overlay::WhyNot { .. })));
    out.push(("why_not", why_not));

    let mut palette = base_state(glyphs);
    palette.overlay = Some(Overlay::Palette {
        input: TextInput::with("fil"),
        selected: 0,
    });
    out.push(("palette", palette));

    let mut chooser = base_state(glyphs);
    chooser.overlay = Some(Overlay::Chooser {
        query: "415.555.0134".into(),
        matches: vec![summary(1, "Maria Gonzalez"), summary(2, "Robert Gonzalez")],
        selected: 0,
    });
    out.push(("chooser", chooser));

    for (name, keys, profile) in [
        (
            "form_log",
            "llate",
            customer(1, "Maria Gonzalez", "America/Los_Angeles"),
        ),
        (
            "form_escalate",
            "e",
            customer(1, "Maria Gonzalez", "America/Los_Angeles"),
        ),
        (
            "form_waive",
            "w",
            customer(1, "Maria Gonzalez", "America/Los_Angeles"),
        ),
        ("form_waive_above_limit", "w", big_fee_customer()),
    ] {
        let mut s = customer_state(glyphs, profile);
        s.refdata = Some(refdata());
        for c in keys.chars() {
            update::update(&mut s, key(c));
        }
        out.push((name, s));
    }
    let mut confirm = customer_state(glyphs, customer(1, "Maria Gonzalez", "America/Los_Angeles"));
    confirm.refdata = Some(refdata());
    for c in "llate".chars() {
        update::update(&mut confirm, key(c));
    }
    update::update(&mut confirm, special(crossterm::event::KeyCode::Enter));
    for c in "Explained the fee.".chars() {
        update::update(&mut confirm, key(c));
    }
    update::update(
        &mut confirm,
        Action::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('s'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    out.push(("form_log_confirm", confirm));

    let mut sign_in = base_state(glyphs);
    sign_in.agent = None;
    sign_in.connection = Connection::Offline("connection refused".into());
    sign_in.screen = Screen::SignIn(Box::new(SignIn {
        server: TextInput::with("http://127.0.0.1:7878"),
        token: TextInput::with("sb_secret"),
        focus: 1,
        busy: false,
    }));
    out.push(("sign_in", sign_in));

    out.push(("acting_for_chooser", business_state_asked(glyphs)));
    out.push(("customer_business", business_state(glyphs)));
    // `a`: the whole account, each event saying whose it is.
    let mut account_timeline = business_state(glyphs);
    let effects = update::update(&mut account_timeline, key('a'));
    let Some(switchboard::tui::action::Effect::LoadTimeline { request, .. }) = effects.first()
    else {
        panic!("a reloads the timeline: {effects:?}");
    };
    let mut merged = events(901);
    for (i, e) in merged.iter_mut().enumerate() {
        e.customer_id = CustomerId([901, 902, 900][i % 3]);
    }
    update::update(
        &mut account_timeline,
        Action::TimelineLoaded {
            request: *request,
            id: CustomerId(901),
            append: false,
            reply: Ok(TimelinePage {
                events: merged,
                next_before: None,
            }),
        },
    );
    out.push(("customer_business_account", account_timeline));
    let mut account = business_state(glyphs);
    update::update(&mut account, key('o'));
    assert!(matches!(account.overlay, Some(Overlay::Account { .. })));
    out.push(("account_overlay", account));

    out.push(("customer_offline", offline_state(glyphs)));
    let mut attention = offline_state(glyphs);
    update::update(&mut attention, special(crossterm::event::KeyCode::F(6)));
    assert!(matches!(attention.overlay, Some(Overlay::Attention { .. })));
    out.push(("needs_attention", attention));

    let mut drafts = base_state(glyphs);
    drafts.kept_drafts = vec![switchboard::tui::forms::draft::Draft {
        customer: summary(1, "Maria Gonzalez"),
        kind: switchboard::tui::forms::model::FormKind::Log,
        opened_at: now(),
        fields: Default::default(),
    }];
    drafts.recent = vec![summary(1, "Maria Gonzalez"), summary(4, "王秀英")];
    drafts.local = LocalCache::Without(
        "Another desk uses this cache; this one runs without it (server only)".into(),
    );
    out.push(("home_drafts_no_cache", drafts));
    out.extend(board_screens(glyphs));
    out
}

/// The supervisor's boards, fed as the server would (sanitised like the desk).
fn board_screens(glyphs: Glyphs) -> Vec<(&'static str, AppState)> {
    let supervisor = || {
        let mut s = base_state(glyphs);
        s.agent = Some(Agent {
            id: AgentId(2),
            name: "Sam Supervisor".into(),
            role: Role::Supervisor,
            waiver_limit: usd(50_000),
        });
        s.refdata = Some(refdata());
        let floor = [
            Action::QueuesLoaded(Ok(common::boards::queue_board(6, 20, now()).sanitize())),
            Action::AgentBoardLoaded(Ok(common::boards::agent_board(20, now()))),
            Action::ApprovalsLoaded(Ok(common::boards::approvals(HOSTILE_NAME, now()).sanitize())),
            Action::FunnelLoaded {
                segment: None,
                reply: Ok(common::boards::funnel(HOSTILE_NAME, now()).sanitize()),
            },
            Action::ModelsLoaded(Ok(common::boards::models(HOSTILE_NAME, now()).sanitize())),
        ];
        for action in floor {
            update::update(&mut s, action);
        }
        s
    };
    let mut out = Vec::new();
    for (name, key) in [
        ("queue_board", crossterm::event::KeyCode::F(2)),
        ("agent_board", crossterm::event::KeyCode::F(3)),
        ("approvals", crossterm::event::KeyCode::F(4)),
        ("decisions_board", crossterm::event::KeyCode::F(7)),
    ] {
        let mut s = supervisor();
        update::update(&mut s, special(key));
        out.push((name, s));
    }
    // A supervisor whose own limit ($50.00) is below the first waiver: the
    // detail says it is not theirs to approve, and why.
    let mut low = supervisor();
    if let Some(me) = low.agent.as_mut() {
        me.waiver_limit = usd(5_000);
    }
    update::update(&mut low, special(crossterm::event::KeyCode::F(4)));
    out.push(("approvals_above_my_limit", low));
    let mut decision = supervisor();
    update::update(&mut decision, special(crossterm::event::KeyCode::F(4)));
    update::update(&mut decision, key('d'));
    for c in "Two waivers this year already; offer a payment plan".chars() {
        update::update(&mut decision, key(c));
    }
    assert!(matches!(decision.overlay, Some(Overlay::Decision(_))));
    out.push(("approval_deny", decision));
    out
}

/// Offline: a saved copy of the customer, writes waiting, one refused.
fn offline_state(glyphs: Glyphs) -> AppState {
    let mut offline = customer_state(glyphs, customer(1, "Maria Gonzalez", "America/Los_Angeles"));
    if let Some(view) = offline.customer.as_mut() {
        view.cached_at = Some(now() - chrono::TimeDelta::hours(3));
    }
    offline.connection = Connection::Offline("connection refused".into());
    offline.outbox = OutboxView {
        waiting: 3,
        attention: vec![refused_write()],
    };
    offline
}

/// A fee waiver the server refused when the outbox replayed it.
fn refused_write() -> AttentionEntry {
    AttentionEntry {
        seq: 7,
        entry: OutboxEntry {
            idempotency_key: "5f0c".into(),
            write: switchboard::api::Write::FeeWaiver(switchboard::api::NewFeeWaiver {
                customer_id: switchboard::domain::CustomerId(1),
                fees: vec![],
                reason_code: "goodwill".into(),
                note: String::new(),
            }),
            created_at: now() - chrono::TimeDelta::minutes(40),
        },
        reason: "the waiver is above your limit of $50.00 and needs approval".into(),
        flagged_at: now(),
    }
}

fn special(code: crossterm::event::KeyCode) -> Action {
    Action::Key(crossterm::event::KeyEvent::new(
        code,
        crossterm::event::KeyModifiers::NONE,
    ))
}

fn refdata() -> RefData {
    let code = |c: &str, l: &str| Code {
        code: c.into(),
        label: l.into(),
    };
    RefData {
        dispositions: vec![
            DispositionCode {
                code: "billing.late_fee".into(),
                category: "Billing".into(),
                label: "Late fee explained".into(),
            },
            DispositionCode {
                code: "billing.dispute".into(),
                category: "Billing".into(),
                label: "Charge disputed".into(),
            },
            DispositionCode {
                code: "orders.status".into(),
                category: "Orders".into(),
                label: "Order status".into(),
            },
        ],
        escalation_reasons: vec![
            code("repeat_contact", "Repeat contact, not resolved"),
            code("complaint", "Formal complaint"),
        ],
        escalation_targets: vec![
            EscalationTarget {
                code: "tier2".into(),
                label: "Tier 2 support".into(),
                kind: TargetKind::Tier,
            },
            EscalationTarget {
                code: "senior".into(),
                label: "Senior agent".into(),
                kind: TargetKind::Tier,
            },
        ],
        waiver_reasons: vec![
            code("goodwill", "Goodwill gesture"),
            code("first_time", "First late payment"),
            code("billing_error", "Our billing error"),
        ],
        queues: vec![],
        not_ready_reasons: vec![],
    }
}

/// A customer owing a fee above the agent's $50.00 limit.
fn big_fee_customer() -> Customer {
    let mut c = customer(12, "Dana Whitfield", "America/New_York");
    c.outstanding_fees = vec![Fee {
        id: FeeId(40),
        kind: FeeKind::Overdraft,
        charged_at: now() - chrono::Duration::days(3),
        amount: usd(75_000),
        outstanding: usd(75_000),
        waiver_pending: false,
    }];
    c
}

fn key(c: char) -> Action {
    Action::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char(c),
        crossterm::event::KeyModifiers::NONE,
    ))
}

fn render(state: &AppState, theme: &Theme, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| view::view(state, theme, f))
        .expect("draw");
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn every_screen_at_both_sizes_in_default_and_mono() {
    for (theme_name, depth) in [("default", ColorDepth::Ansi16), ("mono", ColorDepth::None)] {
        let (theme, errors) = theme::load(theme_name, None, depth);
        assert!(errors.is_empty(), "{errors:?}");
        for (name, state) in screens(Glyphs::UNICODE) {
            for (w, h) in [(80, 24), (160, 48)] {
                let buffer = render(&state, &theme, w, h);
                let shown = text(&buffer);
                // Nothing from the data reaches the screen as a control.
                assert!(
                    !shown.chars().any(|c| c.is_control() && c != '\n'),
                    "{name}: control character"
                );
                assert!(
                    !shown.contains("pwned") && !shown.contains("owned"),
                    "{name}: OSC payload leaked"
                );
                if theme_name == "mono" {
                    let colour = buffer
                        .content
                        .iter()
                        .any(|c| !matches!(c.fg, Color::Reset) || !matches!(c.bg, Color::Reset));
                    assert!(!colour, "{name}: mono uses colour");
                }
                insta::assert_snapshot!(format!("{name}_{w}x{h}_{theme_name}"), shown);
            }
        }
    }
}

#[test]
fn ascii_terminals_get_ascii_borders_and_transliterations() {
    let theme = Theme::default();
    for (name, state) in screens(Glyphs::ASCII) {
        let shown = text(&render(&state, &theme, 80, 24));
        assert!(
            shown.is_ascii(),
            "{name}: non-ASCII on an ASCII terminal:\n{shown}"
        );
        // A Chinese name is spelt in pinyin, a disposition's `›` is `>`:
        // never a `?` for a letter or a symbol of the desk (the help key
        // in the footer is a real `?`).
        let expected = match name {
            "customer_chinese" => Some("Wang Xiuying"),
            "form_log" => Some("Billing > Late fee explained"),
            _ => None,
        };
        if let Some(expected) = expected {
            assert!(
                shown.contains(expected) && !shown.replace("? help", "").contains('?'),
                "{name}: expected `{expected}` and no `?`:\n{shown}"
            );
        }
        let boards = ["queue_board", "decisions_board"];
        if expected.is_some() || name == "customer" || boards.contains(&name) {
            insta::assert_snapshot!(format!("{name}_80x24_ascii"), shown);
        }
    }
}

#[test]
fn a_small_terminal_gets_the_compact_layout_and_a_hint() {
    let theme = Theme::default();
    let state = customer_state(Glyphs::UNICODE, customer(1, "Maria Gonzalez", "UTC"));
    for (w, h) in [(79, 24), (80, 21), (60, 12)] {
        let shown = text(&render(&state, &theme, w, h));
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[0].contains("Switchboard"), "{w}x{h}: title\n{shown}");
        assert!(shown.contains("Maria Gonza"), "{w}x{h}: header\n{shown}");
        assert!(shown.contains("Timeline"), "{w}x{h}: timeline\n{shown}");
        assert!(
            lines[h as usize - 1].contains(&format!("{w}x{h}: enlarge to 80x22")),
            "{w}x{h}: the hint on the last line\n{shown}"
        );
        assert!(!shown.contains("Suggestions"), "{w}x{h}: no room for them");
    }
    insta::assert_snapshot!(
        "customer_79x24_compact",
        text(&render(&state, &theme, 79, 24))
    );
}

#[test]
fn every_screen_works_fully_at_80x22() {
    // tmux and screen take a row of an 80x24 terminal for their status line.
    let (theme, errors) = theme::load("default", None, ColorDepth::Ansi16);
    assert!(errors.is_empty(), "{errors:?}");
    for (name, state) in screens(Glyphs::UNICODE) {
        let shown = text(&render(&state, &theme, 80, 22));
        assert!(
            !shown.contains("enlarge to"),
            "{name}: full layout at 80x22"
        );
        insta::assert_snapshot!(format!("{name}_80x22_default"), shown);
    }
}

#[test]
fn no_size_makes_a_screen_panic() {
    let theme = Theme::default();
    for (_, state) in screens(Glyphs::UNICODE) {
        for w in (1..=100).step_by(7) {
            for h in 1..=26 {
                render(&state, &theme, w, h);
            }
        }
    }
}

#[test]
fn a_long_notice_is_never_cut_off() {
    let theme = Theme::default();
    let long = "Cannot reach the server at http://127.0.0.1:7878: connection refused. \
                Check the address (SWITCHBOARD_SERVER) and that the server is running.";
    let mut state = customer_state(Glyphs::UNICODE, customer(1, "Maria Gonzalez", "UTC"));
    state.notify(Level::Error, long);
    let shown = text(&render(&state, &theme, 80, 24));
    let flat: String = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("and that the server is running."), "{shown}");
    // The sign-in screen says it whole, however long.
    state.screen = Screen::SignIn(Box::default());
    state.notify(Level::Error, format!("{long} {long}"));
    let shown = text(&render(&state, &theme, 80, 24));
    let flat: String = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.matches("the server is running.").count() >= 2,
        "{shown}"
    );
}

#[test]
fn help_on_a_board_says_what_its_columns_mean() {
    let theme = Theme::default();
    let mut seen = 0;
    for (name, mut state) in board_screens(Glyphs::UNICODE) {
        let wanted: &[&str] = match name {
            "queue_board" => &[
                "service level, last 30 min",
                "agents needed (Erlang A, or C)",
            ],
            "decisions_board" => &[
                "eligible but stopped by a policy or the ranking",
                "ignored: shown, not mentioned at wrap-up",
                "accepted ÷ answered, with its 95% Wilson interval",
                "acceptance per day",
                "the rule that suppressed it most",
                "next_segment",
            ],
            _ => continue,
        };
        seen += 1;
        state.overlay = Some(Overlay::Help { scroll: 0 });
        let shown = text(&render(&state, &theme, 100, 60));
        assert!(shown.contains("Columns"), "{shown}");
        for meaning in wanted {
            assert!(shown.contains(meaning), "{name}: {meaning}\n{shown}");
        }
    }
    assert_eq!(seen, 2);
}
