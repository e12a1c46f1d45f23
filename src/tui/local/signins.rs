//! Who last signed in to a server with a token, kept on this desk so that it
//! can start while the server cannot be reached: the agent's record (id, name,
//! role, waiver limit) in a file named by a hash of the server and the token,
//! never the token itself, in a folder only the user can read. A token the
//! desk has not seen signed in starts nothing offline.

use crate::cache::ensure_private_dirs;
use crate::domain::Agent;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder under the cache root (hidden: the `cache` verbs skip it).
const DIR: &str = ".signins";

fn path(root: &Path, server: &str, token: &str) -> PathBuf {
    let digest = Sha256::digest(format!("{}\n{token}", server.trim_end_matches('/')));
    let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    root.join(DIR).join(format!("{name}.json"))
}

/// Keeps `agent` as who signs in to `server` with `token` (written whole or
/// not at all).
pub fn remember(root: &Path, server: &str, token: &str, agent: &Agent) -> Result<(), String> {
    let file = path(root, server, token);
    let dir = root.join(DIR);
    ensure_private_dirs(root, &dir).map_err(|e| e.to_string())?;
    let json = serde_json::to_vec(agent).map_err(|e| e.to_string())?;
    let tmp = dir.join(format!(".{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options
        .open(&tmp)
        .and_then(|mut f| f.write_all(&json).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, &file));
    written.map_err(|e| format!("{}: {e}", file.display()))
}

/// Who signed in to `server` with `token` last, if this desk has seen it.
pub fn recall(root: &Path, server: &str, token: &str) -> Option<Agent> {
    let file = path(root, server, token);
    let bytes = std::fs::read(&file).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(agent) => Some(agent),
        Err(e) => {
            tracing::warn!(file = %file.display(), error = %e, "an unreadable sign-in record is ignored");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AgentId, Currency, Money, Role};

    #[test]
    fn a_sign_in_is_recalled_only_for_the_same_server_and_token() {
        let root = tempfile::tempdir().expect("root");
        let alex = Agent {
            id: AgentId(13),
            name: "Alex Agent".into(),
            role: Role::Agent,
            waiver_limit: Money::new(5_000, Currency::USD),
        };
        let server = "http://127.0.0.1:7878";
        assert_eq!(recall(root.path(), server, "sb_one"), None);
        remember(root.path(), server, "sb_one", &alex).expect("remember");
        assert_eq!(
            recall(root.path(), "http://127.0.0.1:7878/", "sb_one"),
            Some(alex)
        );
        assert_eq!(recall(root.path(), server, "sb_two"), None, "another token");
        assert_eq!(recall(root.path(), "http://other:7878", "sb_one"), None);
        // The token is in no file name or content.
        for entry in std::fs::read_dir(root.path().join(DIR)).expect("dir") {
            let entry = entry.expect("entry");
            let name = entry.file_name().to_string_lossy().to_string();
            let body = std::fs::read_to_string(entry.path()).expect("read");
            assert!(!name.contains("sb_one") && !body.contains("sb_one"));
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = entry.metadata().expect("meta").permissions().mode();
                assert_eq!(mode & 0o777, 0o600, "{name}");
            }
        }
        // A damaged record is no sign-in.
        std::fs::write(path(root.path(), server, "sb_one"), b"{not json").expect("write");
        assert_eq!(recall(root.path(), server, "sb_one"), None);
    }
}
