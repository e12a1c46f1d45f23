//! Signing in and starting: the sign-in form's keys, the server's answer, a
//! start without the server, and what a signed-in desk loads first.

use crate::domain::Agent;
use crate::tui::action::{Effect, Failure, Reply, Secret};
use crate::tui::boards::model::BoardKind;
use crate::tui::boards::update as boards;
use crate::tui::input::TextInput;
use crate::tui::keymap::Command;
use crate::tui::offline::model::LocalCache;
use crate::tui::search::pop::pop;
use crate::tui::session::model::{Connection, SignIn};
use crate::tui::state::{AppState, Level, Screen};

pub fn sign_in_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Screen::SignIn(form) = &mut state.screen else {
        return vec![];
    };
    match command {
        Command::Quit | Command::Cancel | Command::Back => {
            state.quit = true;
            vec![]
        }
        Command::FocusNext | Command::Next | Command::Prev => {
            form.focus = 1 - form.focus.min(1);
            vec![]
        }
        Command::Submit | Command::Open => {
            if form.focus == 0 && form.token.text.is_empty() {
                form.focus = 1;
                return vec![];
            }
            let server = form.server.text.trim().to_string();
            let token = form.token.text.trim().to_string();
            if server.is_empty() || token.is_empty() {
                state.notify(Level::Warning, "Enter the server address and your token");
                return vec![];
            }
            form.busy = true;
            state.server = server.clone();
            state.connection = Connection::Connecting;
            vec![Effect::SignIn {
                server,
                token: Secret(token),
            }]
        }
        _ => vec![],
    }
}

pub fn signed_in(state: &mut AppState, reply: Reply<Agent>) -> Vec<Effect> {
    match reply {
        Ok(agent) => {
            state.connection = Connection::Online;
            state.notify(
                Level::Success,
                format!("Signed in as {} ({})", agent.name, agent.role.as_str()),
            );
            start(state, agent)
        }
        Err(failure) => {
            let (connection, text) = match &failure {
                Failure::Unreachable(m) => (
                    Connection::Offline(m.clone()),
                    format!(
                        "Cannot reach the server at {}: {m}. Check the address \
                         (SWITCHBOARD_SERVER) and that the server is running.",
                        state.server
                    ),
                ),
                Failure::Unauthenticated(m) => (
                    Connection::Online,
                    format!("The server refused the token: {m}. Ask a supervisor for a new one."),
                ),
                Failure::Refused(m) | Failure::Retry(m) => {
                    (Connection::Online, format!("Sign-in failed: {m}"))
                }
            };
            state.connection = connection;
            state.notify(Level::Error, text);
            let mut form = match std::mem::replace(&mut state.screen, Screen::Home) {
                Screen::SignIn(form) => form,
                _ => Box::new(SignIn {
                    server: TextInput::with(&state.server),
                    ..SignIn::default()
                }),
            };
            form.busy = false;
            form.focus = 1;
            state.screen = Screen::SignIn(form);
            vec![]
        }
    }
}

/// The server cannot be reached, but this desk knows the agent: it works from
/// the local cache, and the outbox sends what is confirmed once it is back.
pub fn started_offline(state: &mut AppState, agent: Agent, reason: String) -> Vec<Effect> {
    state.notify(
        Level::Warning,
        format!(
            "Working offline as {}: the server cannot be reached ({reason}). Saved \
             customers open; what you confirm is sent when it is back.",
            agent.name
        ),
    );
    state.connection = Connection::Offline(reason);
    let effects = start(state, agent);
    // The sync probes the server and says when it is back.
    [effects, vec![Effect::RetryNow]].concat()
}

/// The desk for a signed-in agent: reference data, the event stream, the local
/// cache, then the caller to pop, or a supervisor's queue board.
fn start(state: &mut AppState, agent: Agent) -> Vec<Effect> {
    let mut effects = vec![Effect::LoadRefData, Effect::Subscribe];
    if state.local == LocalCache::Opening {
        effects.push(Effect::OpenLocal {
            agent: agent.id.to_string(),
        });
    }
    state.agent = Some(agent);
    state.screen = Screen::Home;
    // Offline, only the local cache can find the caller: the pop waits until
    // it is open.
    let offline = matches!(state.connection, Connection::Offline(_));
    let pop_now = !(offline && state.local == LocalCache::Opening);
    if let Some(number) = state.pop_on_start.take_if(|_| pop_now) {
        effects.extend(pop(state, &number));
    } else if boards::allowed(state) {
        // A supervisor starts on the queue board, knowing what waits.
        effects.extend(boards::open(state, BoardKind::Queues));
        effects.push(Effect::LoadApprovals);
    }
    effects
}
