//! Where a cache lives on disk and who may read it: the per-server, per-agent
//! directory (names derived from untrusted input, so no path traversal), owner-only
//! permissions, and moving a directory aside instead of deleting it.
//!
//! Permissions: every directory we create or use is set to 0700, so nobody else
//! can even list it. After sled has opened the database we chmod the files it
//! created to 0600 (and its `blobs/` directory to 0700). We do not change the
//! process umask: it is process-wide and the desk runs other threads while the
//! cache opens. Files sled creates later (new `snap.*` snapshots) get the default
//! mode from the umask, but they sit inside the 0700 directory, which is the
//! actual protection; [`super::Cache::tighten_permissions`] tightens them again
//! and runs at every open and every maintenance pass.

use super::CacheError;
use chrono::Utc;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// Longest slug we derive, before the hash suffix.
const MAX_SLUG: usize = 64;

/// The directory holding the cache of `agent` against `server` under `root`:
/// `root/<server-slug>/<agent-slug>`.
pub fn cache_dir(root: &Path, server: &str, agent: &str) -> PathBuf {
    root.join(server_slug(server)).join(agent_slug(agent))
}

/// A file name for a server URL: the host, port and path without the scheme,
/// e.g. `https://crm.example.com:8443/` -> `crm.example.com_8443-1a2b3c4d`.
pub fn server_slug(url: &str) -> String {
    let trimmed = url.trim();
    let without_scheme = match trimmed.find("://") {
        Some(at) => &trimmed[at + 3..],
        None => trimmed,
    };
    slug(without_scheme.trim_end_matches('/'), url)
}

/// A file name for an agent id, e.g. `alice` -> `alice`, `Ann Lee` -> `ann_lee-…`.
pub fn agent_slug(agent: &str) -> String {
    slug(agent, agent)
}

/// Keeps ASCII letters, digits, `-`, `_` and `.`, lower-cased; anything else
/// becomes `_`. The result never contains a separator, never starts with `.` or
/// `-` (so it is never `.`, `..` or a hidden or option-like name) and is never
/// empty. Whenever it differs from `original`, a short hash of `original` is
/// appended, so two different inputs do not share a directory.
fn slug(display: &str, original: &str) -> String {
    let mut s: String = display
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(MAX_SLUG)
        .collect();
    if s.starts_with('.') || s.starts_with('-') {
        s.insert(0, '_');
    }
    if s.is_empty() || s != original {
        if !s.is_empty() {
            s.push('-');
        }
        s.push_str(&short_hash(original));
    }
    s
}

fn short_hash(input: &str) -> String {
    let digest = Sha256::digest(input.as_bytes());
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates `dir` (and any missing parents) with mode 0700 and makes sure `root`,
/// the server directory and `dir` are real directories, not symlinks, with mode
/// 0700. Fails if we cannot make them private (e.g. owned by someone else).
pub(crate) fn ensure_private_dirs(root: &Path, dir: &Path) -> Result<(), CacheError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| CacheError::Io {
        action: "create the cache directory",
        path: dir.to_path_buf(),
        source,
    })?;

    let mut levels = vec![dir.to_path_buf()];
    if let Some(server_dir) = dir.parent() {
        if server_dir != root && server_dir.starts_with(root) {
            levels.push(server_dir.to_path_buf());
        }
    }
    for level in &levels {
        let meta = fs::symlink_metadata(level).map_err(|source| CacheError::Io {
            action: "inspect",
            path: level.clone(),
            source,
        })?;
        if meta.file_type().is_symlink() {
            return Err(CacheError::Unsafe {
                path: level.clone(),
                reason: "it is a symbolic link".into(),
            });
        }
        if !meta.is_dir() {
            return Err(CacheError::Unsafe {
                path: level.clone(),
                reason: "it is not a directory".into(),
            });
        }
        make_private(level, 0o700)?;
    }
    // The root may be a symlink the user chose; it must still be private.
    make_private(root, 0o700)?;
    Ok(())
}

/// Sets the permission bits of `path` to `mode` if they differ.
#[cfg(unix)]
fn make_private(path: &Path, mode: u32) -> Result<(), CacheError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = fs::metadata(path).map_err(|source| CacheError::Io {
        action: "inspect",
        path: path.to_path_buf(),
        source,
    })?;
    if meta.permissions().mode() & 0o777 != mode {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(|source| {
            CacheError::Io {
                action: "make private",
                path: path.to_path_buf(),
                source,
            }
        })?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_path: &Path, _mode: u32) -> Result<(), CacheError> {
    Ok(())
}

/// Sets files under `dir` to 0600 and directories to 0700, one level of
/// subdirectories deep (sled keeps `blobs/` there). Symlinks are left alone and
/// never followed; files that vanish meanwhile (sled rotates snapshots) are fine.
pub(crate) fn tighten_tree(dir: &Path) -> Result<(), CacheError> {
    tighten_level(dir, 2)
}

fn tighten_level(dir: &Path, depth: u8) -> Result<(), CacheError> {
    let entries = fs::read_dir(dir).map_err(|source| CacheError::Io {
        action: "list",
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| CacheError::Io {
            action: "list",
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let kind = match entry.file_type() {
            Ok(kind) => kind,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(CacheError::Io {
                    action: "inspect",
                    path,
                    source,
                })
            }
        };
        let result = if kind.is_dir() {
            make_private(&path, 0o700).and_then(|()| {
                if depth > 1 {
                    tighten_level(&path, depth - 1)
                } else {
                    Ok(())
                }
            })
        } else if kind.is_file() {
            make_private(&path, 0o600)
        } else {
            Ok(())
        };
        match result {
            Err(CacheError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            }
            other => other?,
        }
    }
    Ok(())
}

/// The label of a cache moved aside because sled could not read it.
pub(crate) const CORRUPT: &str = "corrupt";
/// The label of a cache of another schema kept aside because it held drafts or
/// queued writes.
pub(crate) const OLD_SCHEMA: &str = "old-schema";

/// If `name` is the directory name [`move_aside`] gives a cache directory, the
/// name of that cache directory: `alice.corrupt-20261122T213754Z-2` -> `alice`.
/// A live cache's name never matches: slugs are lower-case, the stamp is not.
pub fn moved_aside_from(name: &str) -> Option<&str> {
    let (base, suffix) = name.rsplit_once('.')?;
    let stamp = [CORRUPT, OLD_SCHEMA]
        .iter()
        .find_map(|label| suffix.strip_prefix(label)?.strip_prefix('-'))?;
    let (stamp, counter) = match stamp.split_once('-') {
        Some((stamp, n)) => (stamp, Some(n)),
        None => (stamp, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let stamp_ok = stamp.len() == 16
        && digits(&stamp[..8])
        && &stamp[8..9] == "T"
        && digits(&stamp[9..15])
        && &stamp[15..] == "Z";
    (stamp_ok && counter.is_none_or(digits) && !base.is_empty()).then_some(base)
}

/// Renames `dir` to a sibling `<dir>.<label>-<UTC timestamp>` (with `-2`, `-3`…
/// if that exists) and returns the new path. Never deletes anything.
pub(crate) fn move_aside(dir: &Path, label: &str) -> Result<PathBuf, CacheError> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| CacheError::Unsafe {
            path: dir.to_path_buf(),
            reason: "it has no directory name to move aside".into(),
        })?;
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let base = format!("{name}.{label}-{stamp}");
    let mut target = dir.with_file_name(&base);
    let mut n = 2;
    while fs::symlink_metadata(&target).is_ok() {
        target = dir.with_file_name(format!("{base}-{n}"));
        n += 1;
    }
    fs::rename(dir, &target).map_err(|source| CacheError::Io {
        action: "move aside",
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_names() {
        assert_eq!(agent_slug("alice"), "alice");
        assert_eq!(agent_slug("alice-2.b_c"), "alice-2.b_c");
        for hostile in [
            "..",
            ".",
            "../../etc",
            "/etc/passwd",
            "a/b",
            "a\\b",
            "",
            "-rf",
            ".hidden",
            "x\0y",
            "émile",
            &"a".repeat(500),
        ] {
            let s = agent_slug(hostile);
            assert!(!s.is_empty(), "{hostile:?}");
            assert!(!s.contains('/') && !s.contains('\\') && !s.contains('\0'));
            assert!(!s.starts_with('.') && !s.starts_with('-'), "{s}");
            assert!(s.len() <= MAX_SLUG + 9, "{s}");
            assert!(s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
            let dir = cache_dir(Path::new("/root"), hostile, hostile);
            assert_eq!(dir.components().count(), 4, "{dir:?}");
            assert!(dir.starts_with("/root"));
        }
    }

    #[test]
    fn moved_aside_names_are_recognised() {
        assert_eq!(
            moved_aside_from("alice.corrupt-20261122T213754Z"),
            Some("alice")
        );
        assert_eq!(
            moved_aside_from("a.b.old-schema-20261122T213754Z-3"),
            Some("a.b")
        );
        for live in [
            "alice",
            "alice.b",
            &agent_slug("alice.corrupt-20261122T213754Z"),
            "alice.corrupt-2026",
            "alice.corrupt-20261122T213754Z-",
            ".corrupt-20261122T213754Z",
            "alice.other-20261122T213754Z",
        ] {
            assert_eq!(moved_aside_from(live), None, "{live}");
        }
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("alice");
        for label in [CORRUPT, OLD_SCHEMA, CORRUPT] {
            fs::create_dir(&dir).unwrap();
            let aside = move_aside(&dir, label).unwrap();
            let name = aside.file_name().unwrap().to_string_lossy().into_owned();
            assert_eq!(moved_aside_from(&name), Some("alice"), "{name}");
        }
    }

    #[test]
    fn slugs_keep_different_inputs_apart() {
        assert_ne!(agent_slug("Alice"), agent_slug("alice"));
        assert_ne!(agent_slug("a/b"), agent_slug("a_b"));
        assert_ne!(
            server_slug("http://127.0.0.1:8080"),
            server_slug("https://127.0.0.1:8080")
        );
        assert!(server_slug("https://crm.example.com:8443/").starts_with("crm.example.com_8443-"));
    }
}
