//! Finding caches on disk without opening them: every cache directory under the
//! root (`<root>/<server-slug>/<agent-slug>`) and the moved-aside copies beside
//! each, for the `cache` verbs.

use super::layout::moved_aside_from;
use super::CacheError;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// One cache directory and the moved-aside copies of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCache {
    /// The server's directory name under the root (a slug of its URL).
    pub server_dir: String,
    /// The agent's directory name under the server's (a slug of the agent id).
    pub agent_dir: String,
    /// The live cache directory. It may be missing when only moved-aside
    /// copies are left.
    pub path: PathBuf,
    /// Copies set aside by the desk (corrupt, or of another schema), oldest
    /// first.
    pub moved_aside: Vec<PathBuf>,
}

/// Every cache under `root`, sorted by server and agent directory. A missing
/// root holds none. Symlinks and hidden entries (recovery's working copies) are
/// skipped.
pub fn find_caches(root: &Path) -> Result<Vec<FoundCache>, CacheError> {
    let mut found = Vec::new();
    for (server_dir, server_path) in subdirs(root)? {
        let mut by_agent: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        for (name, path) in subdirs(&server_path)? {
            match moved_aside_from(&name) {
                Some(base) => by_agent.entry(base.to_string()).or_default().push(path),
                None => {
                    by_agent.entry(name).or_default();
                }
            }
        }
        for (agent_dir, mut moved_aside) in by_agent {
            moved_aside.sort();
            found.push(FoundCache {
                path: server_path.join(&agent_dir),
                server_dir: server_dir.clone(),
                agent_dir,
                moved_aside,
            });
        }
    }
    Ok(found)
}

/// The moved-aside copies of the cache in `dir`, oldest first.
pub fn moved_aside_copies(dir: &Path) -> Result<Vec<PathBuf>, CacheError> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Ok(Vec::new());
    };
    let name = name.to_string_lossy();
    let mut copies: Vec<PathBuf> = subdirs(parent)?
        .into_iter()
        .filter(|(sibling, _)| moved_aside_from(sibling) == Some(&*name))
        .map(|(_, path)| path)
        .collect();
    copies.sort();
    Ok(copies)
}

/// The real (not symlinked), non-hidden subdirectories of `dir` with their names;
/// none when `dir` does not exist.
fn subdirs(dir: &Path) -> Result<Vec<(String, PathBuf)>, CacheError> {
    let io = |source| CacheError::Io {
        action: "list",
        path: dir.to_path_buf(),
        source,
    };
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.file_type().map_err(io)?.is_dir() {
            continue;
        }
        out.push((name, entry.path()));
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_caches_and_their_moved_aside_copies() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("switchboard");
        assert_eq!(find_caches(&root).unwrap(), vec![]);
        let server = root.join("host_8080-12345678");
        for dir in [
            "alice",
            "alice.corrupt-20261122T213754Z",
            "alice.b",
            "bob.old-schema-20261122T213754Z",
            ".switchboard-recover-x",
        ] {
            fs::create_dir_all(server.join(dir)).unwrap();
        }
        fs::write(server.join("stray-file"), b"x").unwrap();

        let found = find_caches(&root).unwrap();
        let summary: Vec<(&str, &str, usize)> = found
            .iter()
            .map(|f| {
                (
                    f.server_dir.as_str(),
                    f.agent_dir.as_str(),
                    f.moved_aside.len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("host_8080-12345678", "alice", 1),
                ("host_8080-12345678", "alice.b", 0),
                ("host_8080-12345678", "bob", 1),
            ]
        );
        assert_eq!(found[0].path, server.join("alice"));
        assert_eq!(
            moved_aside_copies(&server.join("alice")).unwrap(),
            vec![server.join("alice.corrupt-20261122T213754Z")]
        );
        assert!(
            !found[2].path.exists(),
            "only a copy of bob's cache is left"
        );
    }
}
