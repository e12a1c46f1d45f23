//! The terminal the desk draws on: entering and leaving the full screen (raw
//! mode, the alternate screen, bracketed paste; mouse capture stays off so
//! copy and paste over SSH keep working), [`Output`], the writer under the
//! ratatui backend, and [`lean::LeanBackend`], which writes few bytes and
//! colours every terminal understands. Leaving restores everything, also
//! from a panic.
//!
//! A terminal can go away under the desk (a dropped SSH session): the first
//! write that fails marks it [`lost`], and from then on nothing is written to
//! it, by the desk, the panic hook or the exit path. (Writing to a terminal
//! that is gone fails, and `eprintln!` panics when it does.)

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

pub mod lean;

/// Set once a write to the terminal has failed: it has gone away.
static LOST: AtomicBool = AtomicBool::new(false);

/// Whether the terminal has gone away; then nothing may be written to it
/// (stdout and stderr are that terminal).
pub fn lost() -> bool {
    LOST.load(Ordering::Relaxed)
}

/// Notes that the terminal has gone away (e.g. reading it failed).
pub fn mark_lost() {
    LOST.store(true, Ordering::Relaxed);
}

/// The desk's output: stdout, with nothing written once the terminal is lost
/// (a write then reports success, so that nothing downstream panics or
/// prints a complaint).
pub struct Output {
    out: Stdout,
}

impl Default for Output {
    fn default() -> Self {
        Output::new()
    }
}

impl Output {
    pub fn new() -> Output {
        Output { out: io::stdout() }
    }

    fn checked<T>(result: io::Result<T>) -> io::Result<T> {
        if result.is_err() {
            mark_lost();
        }
        result
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if lost() {
            return Ok(buf.len());
        }
        Output::checked(self.out.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        if lost() {
            return Ok(());
        }
        Output::checked(self.out.flush())
    }
}

/// Whether the terminal erases characters in place (ECH): every VT220-class
/// terminal and emulator does; a VT100 (or one that says only `ansi`) may not.
pub fn erases_chars() -> bool {
    let term = std::env::var("TERM").unwrap_or_default();
    !(term.starts_with("vt100") || term.starts_with("vt52") || term == "ansi" || term == "dumb")
}

/// Restores the terminal when dropped.
pub struct TerminalGuard;

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        let guard = TerminalGuard;
        let mut out = Output::new();
        execute!(
            out,
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

/// Puts the terminal back, unless it is gone; errors are ignored.
pub fn restore() {
    let mut out = Output::new();
    // The desk's last colours and attributes do not follow the agent out.
    let _ = out.write_all(b"\x1b[0m");
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

/// On a panic in the desk's own thread, restore the terminal before the
/// message is printed (not at all when the terminal is gone: the log has
/// it). A panic on another thread (an effect task, or the server's handlers
/// in `demo`) is logged and left to its task: the desk keeps the screen.
fn install_panic_hook() {
    let ui_thread = std::thread::current().id();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(%info, "panic");
        if std::thread::current().id() == ui_thread {
            restore();
            if !lost() {
                previous(info);
            }
        }
    }));
}
