//! The real `switchboard` binary in a pseudo-terminal, read through vt100 the
//! way a terminal would show it, with the raw bytes kept for inspection.
//!
//! The terminal is opened here, not with portable-pty: its `openpty(3)` sets
//! close-on-exec only afterwards, and a server another test started in that
//! gap inherited the master and held it open, so a hang-up never reached the
//! desk (CI failed on it once in three runs). `posix_openpt` with
//! `O_CLOEXEC` leaves no gap.

use super::{poll, TestServer, PATIENCE};
use std::ffi::CStr;
use std::fs::File;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Desk {
    pub child: Child,
    master: Option<OwnedFd>,
    writer: Option<File>,
    screen: Arc<Mutex<(vt100::Parser, Vec<u8>)>>,
    stop_reading: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Desk {
    /// The agent's desk on the customer `pop` finds, once their profile and
    /// the reference data (which the forms need) are in.
    pub fn agent_on(srv: &TestServer, pop: &str) -> Desk {
        let mut d = Desk::agent_popping(srv, pop);
        d.wait_for("Last time: 20");
        d.wait_for("fees ");
        d.wait_for_codes();
        d
    }

    /// The agent's desk started to pop `pop`, not waited on.
    pub fn agent_popping(srv: &TestServer, pop: &str) -> Desk {
        Desk::start(
            &["--pop", pop],
            &[
                ("SWITCHBOARD_SERVER", &srv.base),
                ("SWITCHBOARD_TOKEN", &srv.agent_token),
            ],
        )
    }

    /// Starts the desk at 80x24 with `args` and extra environment.
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Desk {
        let home = tempfile::tempdir().expect("home").keep();
        Desk::start_in(&home, args, env)
    }

    /// `start` with a chosen home folder (its `config/` holds config files).
    pub fn start_in(home: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Desk {
        Desk::start_program(home, env!("CARGO_BIN_EXE_switchboard"), args, env)
    }

    /// `start_in` with another program, e.g. a shell that prints something
    /// first and then runs the desk (whose path is in `$SWITCHBOARD_BIN`).
    pub fn start_program(
        home: &std::path::Path,
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Desk {
        let (master, slave) = open_pty(24, 80);
        let mut cmd = Command::new(program);
        cmd.args(args);
        cmd.env("SWITCHBOARD_BIN", env!("CARGO_BIN_EXE_switchboard"));
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_STATE_HOME", home.join("state"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "en_US.UTF-8");
        cmd.env("TZ", "UTC");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let stdio = || Stdio::from(slave.try_clone().expect("dup the terminal"));
        cmd.stdin(stdio()).stdout(stdio()).stderr(stdio());
        // SAFETY: between fork and exec only async-signal-safe calls: a new
        // session, with the terminal (now fd 0) as its controlling one.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() == -1 || libc::ioctl(0, libc::TIOCSCTTY, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn desk");
        drop(cmd);
        drop(slave);
        let writer = File::from(master.try_clone().expect("dup the master"));
        // Read the master itself with poll(2), so that `hang_up` can stop
        // reading and really close every handle on it.
        let fd = master.as_raw_fd();
        let screen = Arc::new(Mutex::new((vt100::Parser::new(24, 80, 0), Vec::new())));
        let stop_reading = Arc::new(AtomicBool::new(false));
        let (sink, stop) = (screen.clone(), stop_reading.clone());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stop.load(Ordering::Relaxed) {
                let mut poll = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd; the fd stays open until this thread is joined.
                if unsafe { libc::poll(&mut poll, 1, 50) } <= 0 {
                    continue;
                }
                // SAFETY: reading into a buffer we own, of the length given.
                let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
                if n <= 0 {
                    break;
                }
                let mut s = sink.lock().expect("screen lock");
                s.0.process(&buf[..n as usize]);
                s.1.extend_from_slice(&buf[..n as usize]);
            }
        });
        Desk {
            child,
            master: Some(master),
            writer: Some(writer),
            screen,
            stop_reading,
            reader: Some(reader),
        }
    }

    pub fn contents(&self) -> String {
        self.screen
            .lock()
            .expect("screen lock")
            .0
            .screen()
            .contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.screen.lock().expect("screen lock").1.clone()
    }

    /// The screen as a terminal without an alternate screen would show it
    /// (GNU screen with `altscreen off`, a VT100): everything written, with
    /// the switches to and from the alternate screen ignored.
    pub fn contents_without_alternate_screen(&self) -> String {
        let mut raw = self.raw();
        for switch in [&b"\x1b[?1049h"[..], b"\x1b[?1049l"] {
            while let Some(at) = raw.windows(switch.len()).position(|w| w == switch) {
                raw.drain(at..at + switch.len());
            }
        }
        let mut parser = vt100::Parser::new(24, 80, 0);
        parser.process(&raw);
        parser.screen().contents()
    }

    /// Writes `text` to the terminal from outside the desk, as another
    /// program sharing it would (a background job, `wall`).
    pub fn scribble(&self, text: &str) {
        use std::os::unix::fs::OpenOptionsExt;
        let master = self.master.as_ref().expect("the terminal is open");
        let mut tty = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NOCTTY)
            .open(slave_path(master))
            .expect("open the terminal");
        tty.write_all(text.as_bytes())
            .expect("write to the terminal");
    }

    /// Waits until the screen shows `text`; panics with the screen if it never
    /// does. A notice too long for the status line wraps onto the row above,
    /// so `text` may also stand across two rows.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?}"), |screen| {
            screen.contains(text) || {
                let words: Vec<&str> = screen.split_whitespace().collect();
                words.join(" ").contains(text)
            }
        });
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) {
        let what = format!("{text:?} to go");
        self.wait_until(&what, |screen| !screen.contains(text));
    }

    /// Waits until `done` holds for the screen; panics naming `what`, with the
    /// screen, if it never does.
    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) {
        if poll(PATIENCE, || done(&self.contents()).then_some(())).is_none() {
            panic!("the screen never showed {what}:\n{}", self.contents());
        }
    }

    /// Waits until the reference data the desk loads at sign-in (disposition
    /// codes, reasons) is there. No screen says so by itself, so this asks
    /// the one that shows it: the state chooser lists the not-ready reasons
    /// only once they are loaded. It is opened and closed until it does, so
    /// call this where a key press (which clears a notice) does no harm.
    pub fn wait_for_codes(&mut self) {
        let loaded = poll(PATIENCE, || {
            self.send("s");
            self.wait_for("Your state");
            let listed = self.contents().contains("Not ready: Lunch");
            self.send("\u{1b}");
            self.wait_gone("Your state");
            listed.then_some(())
        });
        assert!(loaded.is_some(), "the codes never arrived");
    }

    pub fn send(&mut self, bytes: &str) {
        self.send_now(bytes);
        // Pacing the input, not waiting for the program: keys come one at a
        // time, as a person types. Sent in one burst, the desk would read
        // them as one input (ESC then a letter is alt-letter).
        std::thread::sleep(Duration::from_millis(30));
    }

    /// Writes without pausing afterwards (for timing).
    pub fn send_now(&mut self, bytes: &str) {
        let writer = self.writer.as_mut().expect("the terminal is open");
        writer.write_all(bytes.as_bytes()).expect("write to pty");
        writer.flush().expect("flush pty");
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(&c.to_string());
        }
    }

    /// Waits (up to the tests' patience) for the desk to end; `None` if it
    /// is still running then.
    pub fn wait_exit(&mut self) -> Option<ExitStatus> {
        poll(PATIENCE, || self.child.try_wait().ok().flatten())
    }

    /// Sends a signal to the desk process (e.g. `libc::SIGKILL`, `libc::SIGHUP`).
    pub fn signal(&self, signal: i32) {
        let pid = self.child.id() as i32;
        // SAFETY: kill(2) on a pid we started; no memory is involved.
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0, "kill({pid}, {signal}) failed");
    }

    /// Pastes `text` as a terminal does with bracketed paste.
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("\u{1b}[200~{text}\u{1b}[201~"));
    }

    /// Closes our end of the terminal, as a dropped SSH session does.
    pub fn hang_up(&mut self) {
        self.stop_reading.store(true, Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.writer.take();
        self.master.take();
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.hang_up();
    }
}

/// A pseudo-terminal `rows` x `cols`: its master and its slave, both
/// close-on-exec from the moment they exist.
fn open_pty(rows: u16, cols: u16) -> (OwnedFd, OwnedFd) {
    // SAFETY: posix_openpt returns a new fd or -1; ownership is taken once.
    let master = unsafe {
        let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
        assert!(fd >= 0, "posix_openpt: {}", std::io::Error::last_os_error());
        OwnedFd::from_raw_fd(fd)
    };
    // SAFETY: plain calls on the fd we own.
    unsafe {
        assert_eq!(libc::grantpt(master.as_raw_fd()), 0, "grantpt");
        assert_eq!(libc::unlockpt(master.as_raw_fd()), 0, "unlockpt");
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        assert_eq!(
            libc::ioctl(master.as_raw_fd(), libc::TIOCSWINSZ, &size),
            0,
            "TIOCSWINSZ"
        );
    }
    let path = std::ffi::CString::new(slave_path(&master)).expect("a path");
    // SAFETY: open(2) on a NUL-terminated path; ownership is taken once.
    let slave = unsafe {
        let fd = libc::open(
            path.as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        );
        assert!(
            fd >= 0,
            "open the slave: {}",
            std::io::Error::last_os_error()
        );
        OwnedFd::from_raw_fd(fd)
    };
    (master, slave)
}

/// The path of the terminal whose master is `master`.
fn slave_path(master: &OwnedFd) -> String {
    let mut name = [0 as libc::c_char; 128];
    // SAFETY: ptsname_r writes at most `name.len()` bytes into `name`.
    let rc = unsafe { libc::ptsname_r(master.as_raw_fd(), name.as_mut_ptr(), name.len()) };
    assert_eq!(rc, 0, "ptsname_r");
    // SAFETY: on success `name` holds a NUL-terminated path.
    unsafe { CStr::from_ptr(name.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

/// The number the desk shows before the suggestion titled `title`.
fn number_on(screen: &str, title: &str) -> Option<u32> {
    screen.lines().find_map(|line| {
        let at = line.find(&format!("] {title}"))?;
        line[..at].rsplit('[').next()?.trim().parse().ok()
    })
}

impl Desk {
    /// The number of the suggestion `title` on the customer screen. The
    /// server explores (Thompson sampling), so a small-value suggestion may
    /// sit out one decision: `f5` asks for another until it is shown.
    pub fn suggestion_shown(&mut self, title: &str) -> u32 {
        let found = poll(PATIENCE, || {
            if let Some(n) = number_on(&self.contents(), title) {
                return Some(n);
            }
            self.send("\u{1b}[15~");
            std::thread::sleep(Duration::from_millis(200));
            None
        });
        found.unwrap_or_else(|| panic!("no suggestion {title:?} on\n{}", self.contents()))
    }
}
