//! The desk's event loop: `tokio::select!` over terminal events, effect
//! results, the once-a-second clock and signals. It redraws only when the state
//! may have changed, so an idle desk writes nothing.

use super::action::{Action, Effect};
use super::effects::Runner;
use super::state::{AppState, Screen, SignIn, TextInput};
use super::terminal::TerminalGuard;
use super::theme::Theme;
use super::{update, view};
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::time::Duration;
use tokio::signal::unix::{signal, SignalKind};

/// How the desk starts.
pub struct Start {
    pub state: AppState,
    pub theme: Theme,
    /// Sign in straight away with this token (from the environment or config).
    pub token: Option<String>,
}

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
    } = start;
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    let (tx, mut results) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner::new(tx);
    match token {
        Some(token) if !state.server.is_empty() => runner.run(Effect::SignIn {
            server: state.server.clone(),
            token: super::action::Secret(token),
        }),
        _ => {
            state.screen = Screen::SignIn(SignIn {
                server: TextInput::with(&state.server),
                focus: usize::from(!state.server.is_empty()),
                ..SignIn::default()
            })
        }
    }
    let mut events = EventStream::new();
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    if terminal.draw(|f| view::view(&state, &theme, f)).is_err() {
        return Ok(Exit::TerminalGone);
    }
    loop {
        let action = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) => Action::Key(key),
                Some(Ok(Event::Paste(text))) => Action::Paste(text),
                Some(Ok(Event::Resize(w, h))) => Action::Resize(w, h),
                Some(Ok(_)) => continue,
                // The terminal went away (e.g. the SSH link dropped): reading
                // would only fail again, so stop instead of spinning.
                Some(Err(_)) | None => return Ok(Exit::TerminalGone),
            },
            Some(action) = results.recv() => action,
            _ = clock.tick() => Action::Tick(chrono::Utc::now()),
            _ = interrupt.recv() => return Ok(Exit::Signal("SIGINT")),
            _ = terminate.recv() => return Ok(Exit::Signal("SIGTERM")),
            _ = hangup.recv() => return Ok(Exit::Signal("SIGHUP")),
        };
        let tick = matches!(action, Action::Tick(_));
        let shown_minute = state.now;
        for effect in update::update(&mut state, action) {
            runner.run(effect);
        }
        if state.quit {
            return Ok(Exit::Quit);
        }
        if tick && state.now == shown_minute {
            continue;
        }
        if terminal.draw(|f| view::view(&state, &theme, f)).is_err() {
            return Ok(Exit::TerminalGone);
        }
    }
}
