//! The desk's event loop: `tokio::select!` over terminal events, effect
//! results, the once-a-second clock and signals. It redraws only when the state
//! may have changed, so an idle desk writes nothing. The screen is cleared when
//! the desk starts (a terminal without an alternate screen still shows what
//! was there), when its size changes (ratatui does that) and on `redraw`.

use super::action::{Action, Effect};
use super::effects::Runner;
use super::input::TextInput;
use super::local::LocalConfig;
use super::offline::drafts::DraftSaver;
use super::session::model::SignIn;
use super::state::{AppState, Screen};
use super::terminal::lean::LeanBackend;
use super::terminal::{self, Output, TerminalGuard};
use super::theme::Theme;
use super::{update, view};
use crate::domain::CustomerId;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use ratatui::Terminal;
use std::time::Duration;
use tokio::signal::unix::{signal, SignalKind};

/// How the desk starts.
pub struct Start {
    pub state: AppState,
    pub theme: Theme,
    /// Sign in straight away with this token (from the environment or config).
    pub token: Option<String>,
    /// Where the local cache lives and how big it may grow.
    pub local: LocalConfig,
}

/// Drafts are saved this long after the last change (well within the half
/// second in which what is typed must be safe).
const DRAFT_DELAY: Duration = Duration::from_millis(250);

/// Why the loop ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    Quit,
    Signal(&'static str),
    TerminalGone,
}

pub async fn run(start: Start) -> anyhow::Result<Exit> {
    let Start {
        mut state,
        theme,
        token,
        local,
    } = start;
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(LeanBackend::new(Output::new(), terminal::erases_chars()))?;
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    let (tx, mut results) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(tx, local);
    let mut drafts = DraftSaver::default();
    let mut drafts_due: Option<tokio::time::Instant> = None;
    match token {
        Some(token) if !state.server.is_empty() => runner.run(Effect::SignIn {
            server: state.server.clone(),
            token: super::action::Secret(token),
        }),
        _ => {
            state.screen = Screen::SignIn(Box::new(SignIn {
                server: TextInput::with(&state.server),
                focus: usize::from(!state.server.is_empty()),
                ..SignIn::default()
            }))
        }
    }
    let mut settle = Settle::default();
    let mut events = EventStream::new();
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    if terminal.clear().is_err() || terminal.draw(|f| view::view(&state, &theme, f)).is_err() {
        return Ok(Exit::TerminalGone);
    }
    let exit = loop {
        let action = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) => Action::Key(key),
                Some(Ok(Event::Paste(text))) => Action::Paste(text),
                Some(Ok(Event::Resize(w, h))) => Action::Resize(w, h),
                Some(Ok(_)) => continue,
                // The terminal went away (e.g. the SSH link dropped): reading
                // would only fail again, so stop instead of spinning.
                Some(Err(_)) | None => break Exit::TerminalGone,
            },
            Some(action) = results.recv() => action,
            _ = clock.tick() => Action::Tick(chrono::Utc::now()),
            _ = sleep_until(settle.due()), if settle.due().is_some() => {
                settle.waited();
                if terminal.draw(|f| view::view(&state, &theme, f)).is_err() {
                    break Exit::TerminalGone;
                }
                continue;
            }
            _ = sleep_until(drafts_due), if drafts_due.is_some() => {
                drafts_due = None;
                if let Some(effect) = drafts.changes(&state) {
                    runner.run(effect);
                }
                continue;
            }
            _ = interrupt.recv() => break Exit::Signal("SIGINT"),
            _ = terminate.recv() => break Exit::Signal("SIGTERM"),
            _ = hangup.recv() => break Exit::Signal("SIGHUP"),
        };
        let tick = matches!(action, Action::Tick(_));
        if !tick && drafts_due.is_none() {
            drafts_due = Some(tokio::time::Instant::now() + DRAFT_DELAY);
        }
        let shown_minute = state.now;
        for effect in update::update(&mut state, action) {
            runner.run(effect);
        }
        // What else has already arrived goes into the same frame.
        while let Ok(action) = results.try_recv() {
            for effect in update::update(&mut state, action) {
                runner.run(effect);
            }
        }
        if state.quit {
            break Exit::Quit;
        }
        if tick && state.now == shown_minute {
            continue;
        }
        if settle.holds(&state) {
            continue;
        }
        // `redraw`: the whole screen again, whatever is on it now.
        if std::mem::take(&mut state.redraw) && terminal.clear().is_err() {
            break Exit::TerminalGone;
        }
        if terminal.draw(|f| view::view(&state, &theme, f)).is_err() {
            break Exit::TerminalGone;
        }
    };
    tracing::info!(?exit, "desk ending");
    if exit == Exit::TerminalGone {
        terminal::mark_lost();
    }
    // Showing the cursor here finds out whether the terminal is still there
    // (a hang-up arrives as SIGHUP): if not, it is marked lost and ratatui's
    // own attempt when `terminal` is dropped writes nothing, instead of
    // failing and complaining on stderr, which is that same lost terminal.
    let _ = terminal.show_cursor();
    // Whatever way the desk ends, what was typed is on disk first.
    if let Some(effect) = drafts.changes(&state) {
        runner.save_drafts_now(effect).await;
    }
    Ok(exit)
}

/// How long a customer being opened may keep the last frame on screen while
/// its profile, timeline and suggestions arrive, so a slow link draws the
/// finished screen once instead of an empty one and then its contents.
const SETTLE: Duration = Duration::from_millis(150);

/// Holds back drawing a customer screen that is still loading, for at most
/// [`SETTLE`] from when it was opened.
#[derive(Default)]
struct Settle {
    /// The customer view (id, request) being waited for, and until when.
    waiting: Option<((CustomerId, u64), tokio::time::Instant)>,
    /// The deadline passed (or the screen finished): draw as usual.
    done: Option<(CustomerId, u64)>,
}

impl Settle {
    /// Whether to leave the last frame on screen for now.
    fn holds(&mut self, state: &AppState) -> bool {
        let Some(view) = state
            .customer
            .as_ref()
            .filter(|_| state.screen == Screen::Customer)
        else {
            self.waiting = None;
            return false;
        };
        let which = (view.id, view.request);
        let loaded = view.profile.is_some() && view.timeline_loaded && view.suggestions.is_some();
        if loaded || self.done == Some(which) {
            self.waiting = None;
            return false;
        }
        match self.waiting {
            Some((w, _)) if w == which => true,
            _ => {
                self.waiting = Some((which, tokio::time::Instant::now() + SETTLE));
                true
            }
        }
    }

    fn due(&self) -> Option<tokio::time::Instant> {
        self.waiting.map(|(_, at)| at)
    }

    /// The deadline passed: what is there is drawn, and later changes too.
    fn waited(&mut self) {
        self.done = self.waiting.take().map(|(which, _)| which);
    }
}

/// Sleeps until `at`; never wakes when there is no deadline.
async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
