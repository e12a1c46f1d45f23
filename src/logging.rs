//! Logging through tracing to a daily-rotated file per user and process, in the
//! state directory; never to the screen. `--log-level` wins over `RUST_LOG`.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};
use tracing_subscriber::EnvFilter;

/// Log files older than this are removed at start.
const KEEP_LOGS: Duration = Duration::from_secs(7 * 24 * 3600);

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
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(format!("{process}-{}", std::process::id()))
        .filename_suffix("log")
        .build(&dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
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

fn remove_old_logs(dir: &PathBuf) {
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
        if old && entry.file_name().to_string_lossy().ends_with(".log") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
