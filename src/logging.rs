//! Logging through tracing to a file per user and process, in the state
//! directory; never to the screen. Each process's log is capped: at
//! `MAX_FILE_BYTES` it moves to `.1` (older ones up the count) and only
//! `KEEP_ROTATED` are kept, so a flood of requests cannot fill the disk.
//! Files are 0600 in a 0700 folder. `--log-level` wins over `RUST_LOG`.

use file_rotate::compression::Compression;
use file_rotate::suffix::AppendCount;
use file_rotate::{ContentLimit, FileRotate};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tracing_subscriber::EnvFilter;

/// Log files older than this are removed at start.
const KEEP_LOGS: Duration = Duration::from_secs(7 * 24 * 3600);
/// A process's log file moves aside when it passes this size.
const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Moved-aside files kept per process: at most 5 × 16 MiB in all.
const KEEP_ROTATED: usize = 4;

/// Starts logging for `process` (e.g. "serve"); returns the log file's folder and
/// a guard that flushes on drop. Failing to log is not fatal.
pub fn init(
    process: &str,
    level: Option<&str>,
) -> Option<(PathBuf, tracing_appender::non_blocking::WorkerGuard)> {
    let dir = crate::config::log_dir();
    if std::fs::create_dir_all(&dir).is_err() {
        return None;
    }
    // Logs are the user's own, even on a shared host.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    remove_old_logs(&dir);
    let file = capped_log(&dir, process, MAX_FILE_BYTES);
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = match level {
        Some(level) => EnvFilter::try_new(level).ok(),
        None => EnvFilter::try_from_default_env().ok(),
    }
    .unwrap_or_else(|| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some((dir, guard))
}

/// The size-capped, private log file of this process.
fn capped_log(dir: &Path, process: &str, max_bytes: usize) -> FileRotate<AppendCount> {
    let path = dir.join(format!("{process}-{}.log", std::process::id()));
    let mut open = std::fs::OpenOptions::new();
    open.read(true).create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    FileRotate::new(
        path,
        AppendCount::new(KEEP_ROTATED),
        ContentLimit::BytesSurpassed(max_bytes),
        Compression::None,
        Some(open),
    )
}

/// A log file of ours: `serve-123.log`, or one moved aside, `serve-123.log.2`.
fn is_log_file(name: &str) -> bool {
    name.ends_with(".log")
        || name
            .rsplit_once(".log.")
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn remove_old_logs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > KEEP_LOGS);
        if old && is_log_file(&entry.file_name().to_string_lossy()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_log_is_capped_in_size_and_count_and_private() {
        let dir = tempfile::tempdir().expect("dir");
        let mut log = capped_log(dir.path(), "serve", 1000);
        let line = format!("{}\n", "x".repeat(99));
        for _ in 0..200 {
            log.write_all(line.as_bytes()).expect("write");
        }
        log.flush().expect("flush");
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read")
            .flatten()
            .collect();
        // 20,000 bytes written; the live file and four moved aside are kept.
        assert_eq!(files.len(), 1 + KEEP_ROTATED);
        for file in &files {
            let meta = file.metadata().expect("meta");
            assert!(
                meta.len() <= 1000 + 100,
                "{:?} is {} bytes",
                file.path(),
                meta.len()
            );
            assert!(is_log_file(&file.file_name().to_string_lossy()));
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                assert_eq!(
                    meta.permissions().mode() & 0o777,
                    0o600,
                    "{:?}",
                    file.path()
                );
            }
        }
        assert!(!is_log_file("serve-1.log.txt") && !is_log_file("notes.md"));
    }
}
