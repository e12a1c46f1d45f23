//! One server per SQLite file. SQLite serialises writers within a process
//! and the floor lives in the server's memory, so two `serve` processes on
//! one file would be two floors (a call posted to one never pops on a desk
//! of the other). `serve` on SQLite therefore holds an exclusive lock on
//! `<file>.serve-lock`, with its pid in it, for as long as it runs; the
//! kernel releases it when the process ends, however it ends. PostgreSQL
//! needs no such lock.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};

/// The lock, held while this value lives.
#[derive(Debug)]
pub struct ServeLock {
    _file: File,
}

/// Takes the lock for the SQLite database at `url`; `None` for PostgreSQL
/// or an in-memory database. An error says which process holds it and why
/// a second server is refused.
pub fn claim(url: &str) -> anyhow::Result<Option<ServeLock>> {
    let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
    else {
        return Ok(None);
    };
    if path.is_empty() || path.contains(":memory:") {
        return Ok(None);
    }
    let lock_path = format!("{path}.serve-lock");
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&lock_path)
        .map_err(|e| anyhow::anyhow!("cannot open the lock file {lock_path}: {e}"))?;
    match try_lock(&file) {
        Ok(true) => {
            file.set_len(0)?;
            file.rewind()?;
            write!(file, "{}", std::process::id())?;
            file.flush()?;
            Ok(Some(ServeLock { _file: file }))
        }
        Ok(false) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = match holder.trim() {
                pid if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => {
                    format!(" (pid {pid})")
                }
                _ => String::new(),
            };
            anyhow::bail!(
                "another `switchboard serve`{holder} is serving {path}. SQLite takes one server: \
                 the live floor is in the server's memory, so a second one would be a second \
                 floor. For several servers use PostgreSQL (--db postgres://…)"
            )
        }
        Err(e) => anyhow::bail!("cannot lock {lock_path}: {e}"),
    }
}

/// An exclusive, non-blocking `flock`: `false` when another open file
/// holds it. (`File::try_lock` needs Rust 1.89; the crate builds with 1.85.)
#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<bool> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a descriptor this `File` owns and keeps open.
    let done = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if done == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(code) if code == libc::EWOULDBLOCK => Ok(false),
        _ => Err(e),
    }
}

/// Elsewhere there is no lock: the one-server rule is the operator's.
#[cfg(not(unix))]
fn try_lock(_: &File) -> std::io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_on_one_file_is_refused_naming_the_holder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/sb.db?mode=rwc", dir.path().display());
        let first = claim(&url).expect("free").expect("a lock");
        let e = claim(&url).expect_err("held");
        let said = e.to_string();
        assert!(
            said.contains(&format!("(pid {})", std::process::id())),
            "{said}"
        );
        assert!(said.contains("SQLite takes one server"), "{said}");
        drop(first);
        assert!(claim(&url).expect("free again").is_some());
        assert!(claim("postgres://u@h/db").expect("no lock").is_none());
        assert!(claim("sqlite::memory:").expect("no lock").is_none());
    }
}
