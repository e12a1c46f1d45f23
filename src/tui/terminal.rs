//! Entering and leaving the full-screen terminal: raw mode, the alternate
//! screen and bracketed paste on; mouse capture stays off so copy and paste over
//! SSH keep working. Leaving restores everything, also from a panic.

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use std::io::stdout;

/// Restores the terminal when dropped.
pub struct TerminalGuard;

impl TerminalGuard {
    pub fn enter() -> std::io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(
            stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            cursor::Hide
        )?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back; errors are ignored (the terminal may be gone).
pub fn restore() {
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

/// On a panic in the desk's own thread, restore the terminal before the
/// message is printed. A panic on another thread (an effect task, or the
/// server's handlers in `demo`) is logged and left to its task: the desk keeps
/// the screen.
fn install_panic_hook() {
    let ui_thread = std::thread::current().id();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(%info, "panic");
        if std::thread::current().id() == ui_thread {
            restore();
            previous(info);
        }
    }));
}
