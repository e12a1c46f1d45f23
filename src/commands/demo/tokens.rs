//! The demo's server address and tokens in a file of the user's own, so they
//! can be found once the desk covers what `demo` printed:
//! `$XDG_STATE_HOME/switchboard/demo/tokens`, mode 0600 in a 0700 folder, in
//! a shell's `NAME=value` form. Written when the demo starts, removed when it
//! ends, however it ends (the tokens die with its database). The tokens are
//! never logged.

use crate::domain::Agent;
use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file's name in the demo's folder.
const FILE: &str = "tokens";

/// A tokens file this demo wrote.
pub struct TokensFile {
    path: PathBuf,
    text: String,
}

impl TokensFile {
    /// Writes the file in `dir` (created private if need be), replacing any
    /// earlier one at once (a new file renamed over it).
    pub fn write(
        dir: &Path,
        server: &str,
        agent: (&Agent, &str),
        supervisor: (&Agent, &str),
    ) -> anyhow::Result<TokensFile> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("cannot make {} private", dir.display()))?;
        }
        let text = contents(server, agent, supervisor);
        let path = dir.join(FILE);
        // A temporary file is created readable by its owner alone.
        let mut file = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.as_file().sync_all())
            .with_context(|| format!("cannot write {}", path.display()))?;
        file.persist(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        tracing::info!(path = %path.display(), "demo tokens written");
        Ok(TokensFile { path, text })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The demo is over, whichever way: the file goes, unless another demo has
/// written its own since.
impl Drop for TokensFile {
    fn drop(&mut self) {
        let ours = std::fs::read_to_string(&self.path).is_ok_and(|text| text == self.text);
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The file's text: a shell can load it (`set -a; . FILE; set +a`), and a
/// desk started in that shell signs in as the demo agent.
fn contents(server: &str, agent: (&Agent, &str), supervisor: (&Agent, &str)) -> String {
    let who = |a: &Agent| {
        format!(
            "{} ({}, waiver limit {})",
            a.name,
            a.role.as_str(),
            a.waiver_limit
        )
    };
    format!(
        "# switchboard demo at {server}: its server and tokens, valid while it runs.\n\
         # Load them into a shell with: set -a; . THIS_FILE; set +a\n\
         SWITCHBOARD_SERVER={server}\n\
         # {}\n\
         SWITCHBOARD_TOKEN={}\n\
         # {}\n\
         SWITCHBOARD_SUPERVISOR_TOKEN={}\n",
        who(agent.0),
        agent.1,
        who(supervisor.0),
        supervisor.1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AgentId, Currency, Money, Role};

    fn agent(name: &str, role: Role) -> Agent {
        Agent {
            id: AgentId(1),
            name: name.into(),
            role,
            waiver_limit: Money::new(5_000, Currency::USD),
        }
    }

    #[test]
    fn the_file_is_private_holds_the_tokens_and_goes_when_the_demo_does() {
        use std::os::unix::fs::PermissionsExt;
        let home = tempfile::tempdir().expect("tempdir");
        let dir = home.path().join("state").join("demo");
        let (alex, sam) = (agent("Alex", Role::Agent), agent("Sam", Role::Supervisor));
        let server = "http://127.0.0.1:1";
        let file =
            TokensFile::write(&dir, server, (&alex, "sb_a"), (&sam, "sb_s")).expect("written");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(file.path()), 0o600);
        assert_eq!(mode(&dir), 0o700);
        let text = std::fs::read_to_string(file.path()).expect("read");
        assert!(
            text.contains("\nSWITCHBOARD_SERVER=http://127.0.0.1:1\n"),
            "{text}"
        );
        assert!(text.contains("\nSWITCHBOARD_TOKEN=sb_a\n"), "{text}");
        assert!(
            text.contains("\nSWITCHBOARD_SUPERVISOR_TOKEN=sb_s\n"),
            "{text}"
        );
        assert!(
            text.contains("# Alex (agent, waiver limit $50.00)"),
            "{text}"
        );
        // A second demo's file replaces it, and outlives the first demo.
        let path = file.path().to_path_buf();
        let second =
            TokensFile::write(&dir, server, (&alex, "sb_b"), (&sam, "sb_t")).expect("written");
        drop(file);
        assert!(path.exists(), "the first demo removed the second's file");
        drop(second);
        assert!(!path.exists());
        let left: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
        assert!(left.is_empty(), "no temporary files left: {left:?}");
    }
}
