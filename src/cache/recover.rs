//! Bringing back what a moved-aside cache held: its outbox entries (with their
//! idempotency keys, so the server still applies each once), its needs-attention
//! list and its drafts, each exactly once however often recovery runs.
//!
//! The moved-aside directory itself is never written to: it is copied into a
//! private temporary directory next to it and sled opens the copy. If sled cannot
//! open the copy as found, recovery tries again without the snapshot files (sled
//! then rebuilds its state from the log alone), then also without the config
//! file. The temporary copies are removed afterwards; the moved-aside directory
//! stays as it was.

use super::drafts::decode_draft;
use super::open::{self, SCHEMA_VERSION};
use super::outbox::{AttentionRecord, OutboxEntry};
use super::trees;
use super::{Cache, CacheError};
use chrono::Utc;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// What `recover_from` brought back and what it could not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecoverReport {
    /// The moved-aside directory.
    pub source: PathBuf,
    /// How the copy could be opened, e.g. "as found" or "without its snapshots".
    pub opened: String,
    /// Outbox entries queued again (after the ones already queued).
    pub outbox_requeued: usize,
    /// Entries put back on the needs-attention list.
    pub attention_restored: usize,
    pub drafts_restored: usize,
    /// Entries and drafts skipped because they were already here or were
    /// recovered before.
    pub already_present: usize,
    /// Draft keys under which this cache already holds a different (newer)
    /// draft; the old one is left in the moved-aside copy.
    pub draft_conflicts: Vec<String>,
    /// Values in the copy that could not be read.
    pub problems: Vec<String>,
}

/// sled's page cache for the temporary copy.
const RECOVER_CAPACITY: u64 = 8 * 1024 * 1024;

#[derive(Clone, Copy)]
enum Leave {
    Nothing,
    Snapshots,
    SnapshotsAndConfig,
}

const TRIES: [(&str, Leave); 3] = [
    ("as found", Leave::Nothing),
    ("without its snapshots", Leave::Snapshots),
    (
        "without its snapshots and config",
        Leave::SnapshotsAndConfig,
    ),
];

impl Cache {
    /// Brings back the outbox entries, needs-attention entries and drafts of a
    /// moved-aside cache (see the module comment). Outbox entries are queued
    /// after what is already queued, in their old order, keeping their keys;
    /// anything whose key is already held here, or that an earlier recovery
    /// brought back, is skipped.
    pub fn recover_from(&self, moved_aside: &Path) -> Result<RecoverReport, CacheError> {
        let fail = |reason: String| CacheError::Recover {
            path: moved_aside.to_path_buf(),
            reason,
        };
        let meta = fs::symlink_metadata(moved_aside)
            .map_err(|e| fail(format!("cannot inspect it: {e}")))?;
        if !meta.is_dir() {
            return Err(fail("it is not a directory".into()));
        }
        if fs::canonicalize(moved_aside).ok() == fs::canonicalize(&self.dir).ok() {
            return Err(fail("it is the cache in use".into()));
        }
        let parent = moved_aside
            .parent()
            .ok_or_else(|| fail("it has no parent directory".into()))?;

        let mut failures = Vec::new();
        for (how, leave) in TRIES {
            // tempfile creates the directory with mode 0700.
            let work = tempfile::Builder::new()
                .prefix(".switchboard-recover-")
                .tempdir_in(parent)
                .map_err(|e| {
                    fail(format!(
                        "cannot make a working copy in {}: {e}",
                        parent.display()
                    ))
                })?;
            copy_dir(moved_aside, work.path(), leave, 2)
                .map_err(|e| fail(format!("cannot copy it: {e}")))?;
            match open::open_sled(work.path(), RECOVER_CAPACITY) {
                Ok(db) if db.was_recovered() => {
                    let report = self.import(&db, moved_aside, how);
                    drop(db);
                    drop(work);
                    return report;
                }
                Ok(_) => failures.push(format!("{how}: sled found nothing readable")),
                Err(attempt) => failures.push(format!("{how}: {}", attempt.describe())),
            }
        }
        Err(fail(format!(
            "sled could not read it ({})",
            failures.join("; ")
        )))
    }

    fn import(&self, db: &sled::Db, source: &Path, how: &str) -> Result<RecoverReport, CacheError> {
        let fail = |reason: String| CacheError::Recover {
            path: source.to_path_buf(),
            reason,
        };
        let read = |name: &str| {
            db.open_tree(name)
                .map_err(|e| fail(format!("cannot read its {name} tree: {e}")))
        };
        let version = read(trees::META)?
            .get(trees::SCHEMA_KEY)
            .map_err(|e| fail(format!("cannot read its schema version: {e}")))?;
        let version = version.map(|v| String::from_utf8_lossy(&v).into_owned());
        if version.as_deref() != Some(SCHEMA_VERSION.to_string().as_str()) {
            return Err(fail(format!(
                "it was written with cache schema version {}, this Switchboard reads version {SCHEMA_VERSION}; \
                 it is left as it is",
                version.as_deref().unwrap_or("(none)")
            )));
        }

        let mut report = RecoverReport {
            source: source.to_path_buf(),
            opened: how.to_string(),
            ..RecoverReport::default()
        };

        for item in read(trees::OUTBOX)?.iter() {
            let (key, value) = match item {
                Ok(kv) => kv,
                Err(e) => {
                    report
                        .problems
                        .push(format!("outbox: cannot be read further: {e}"));
                    break;
                }
            };
            let seq = show_seq(&key);
            match super::codec::decode_json::<OutboxEntry>(&value) {
                Ok(entry) => {
                    let done = self.bring_back(&entry.idempotency_key, &mut report, || {
                        self.enqueue(entry.clone())
                    })?;
                    if done {
                        report.outbox_requeued += 1;
                    }
                }
                Err(e) => report.problems.push(format!("outbox entry {seq}: {e}")),
            }
        }

        for item in read(trees::ATTENTION)?.iter() {
            let (key, value) = match item {
                Ok(kv) => kv,
                Err(e) => {
                    report
                        .problems
                        .push(format!("attention: cannot be read further: {e}"));
                    break;
                }
            };
            let seq = show_seq(&key);
            match super::codec::decode_json::<AttentionRecord>(&value) {
                Ok(record) => {
                    let done =
                        self.bring_back(&record.entry.idempotency_key, &mut report, || {
                            self.restore_attention(&record)
                        })?;
                    if done {
                        report.attention_restored += 1;
                    }
                }
                Err(e) => report.problems.push(format!("attention entry {seq}: {e}")),
            }
        }

        for item in read(trees::DRAFTS)?.iter() {
            let (key, value) = match item {
                Ok(kv) => kv,
                Err(e) => {
                    report
                        .problems
                        .push(format!("drafts: cannot be read further: {e}"));
                    break;
                }
            };
            let (draft_key, json) = match decode_draft(&key, &value) {
                Ok(draft) => draft,
                Err(e) => {
                    report.problems.push(e);
                    continue;
                }
            };
            let mut ledger = b"d:".to_vec();
            ledger.extend_from_slice(&Sha256::digest(&key));
            ledger.extend_from_slice(&Sha256::digest(&value));
            if self.ledger_has(&ledger)? {
                report.already_present += 1;
                continue;
            }
            match self.draft(&draft_key) {
                Ok(None) => {
                    self.save_draft(&draft_key, &json)?;
                    report.drafts_restored += 1;
                }
                Ok(Some(current)) if current == json => report.already_present += 1,
                Ok(Some(_)) | Err(CacheError::BadValue { .. }) => {
                    report.draft_conflicts.push(draft_key);
                    continue;
                }
                Err(e) => return Err(e),
            }
            self.ledger_note(&ledger, source)?;
        }
        self.flush()?;
        Ok(report)
    }

    /// Queues one entry unless its key is held here or was recovered before;
    /// notes it in the ledger. Returns whether it was added.
    fn bring_back(
        &self,
        idempotency_key: &str,
        report: &mut RecoverReport,
        add: impl FnOnce() -> Result<u64, CacheError>,
    ) -> Result<bool, CacheError> {
        let mut ledger = b"o:".to_vec();
        ledger.extend_from_slice(idempotency_key.as_bytes());
        if self.ledger_has(&ledger)? || self.holds_key(idempotency_key)? {
            report.already_present += 1;
            self.ledger_note(&ledger, &report.source)?;
            return Ok(false);
        }
        let added = match add() {
            Ok(_) => true,
            Err(CacheError::DuplicateKey { .. }) => {
                report.already_present += 1;
                false
            }
            Err(CacheError::Invalid { reason, .. }) => {
                report
                    .problems
                    .push(format!("entry with key {idempotency_key:?}: {reason}"));
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        self.ledger_note(&ledger, &report.source)?;
        Ok(added)
    }

    fn ledger_has(&self, key: &[u8]) -> Result<bool, CacheError> {
        self.trees
            .recovered
            .contains_key(key)
            .map_err(|e| self.db_err(e))
    }

    fn ledger_note(&self, key: &[u8], source: &Path) -> Result<(), CacheError> {
        let note = format!("{} from {}", Utc::now().to_rfc3339(), source.display());
        self.trees
            .recovered
            .insert(key, note.as_bytes())
            .map_err(|e| self.db_err(e))?;
        Ok(())
    }
}

fn show_seq(key: &[u8]) -> String {
    match super::codec::u64_from_bytes(key) {
        Some(n) => n.to_string(),
        None => format!("{key:02x?}"),
    }
}

/// Copies regular files and directories (not symlinks) from `from` into `to`,
/// `depth` levels deep, leaving out what `leave` says.
fn copy_dir(from: &Path, to: &Path, leave: Leave, depth: u8) -> std::io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        let skip = match leave {
            Leave::Nothing => false,
            Leave::Snapshots => name_str.starts_with("snap."),
            Leave::SnapshotsAndConfig => name_str.starts_with("snap.") || name_str == "conf",
        };
        if skip {
            continue;
        }
        let kind = entry.file_type()?;
        let target = to.join(&name);
        if kind.is_dir() && depth > 1 {
            fs::create_dir(&target)?;
            copy_dir(&entry.path(), &target, leave, depth - 1)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{dir, entry, open_tmp, reopen, snapshots, wait_unlocked};
    use super::super::OpenOutcome;
    use super::*;
    use serde_json::json;

    /// Overwrites sled's snapshots with garbage (creating one if there is none),
    /// so sled refuses to open the directory while its log is still intact.
    fn corrupt_snapshots(cache_dir: &Path) {
        let snapshots = snapshots(cache_dir);
        for path in &snapshots {
            fs::write(path, b"garbage garbage garbage garbage garbage").unwrap();
        }
        if snapshots.is_empty() {
            fs::write(
                cache_dir.join("snap.0000000000000000"),
                b"garbage garbage garbage garbage garbage",
            )
            .unwrap();
        }
    }

    fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let bytes = fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn recovery_brings_back_outbox_and_drafts_exactly_once() {
        let (tmp, opened) = open_tmp();
        let cache = opened.cache;
        let old: Vec<OutboxEntry> = (1..=3).map(|n| entry("interaction", n)).collect();
        let mut seqs = Vec::new();
        for e in &old {
            seqs.push(cache.enqueue(e.clone()).unwrap());
        }
        cache.needs_attention(seqs[1], "over the limit").unwrap();
        cache
            .save_draft("form:a", &json!({"note": "only in the old cache"}))
            .unwrap();
        cache
            .save_draft("form:b", &json!({"note": "old text"}))
            .unwrap();
        drop(cache);
        wait_unlocked(tmp.path());
        corrupt_snapshots(&dir(tmp.path()));

        let opened = reopen(tmp.path());
        let OpenOutcome::MovedAside { path: aside, .. } = opened.outcome.clone() else {
            panic!("expected MovedAside, got {:?}", opened.outcome);
        };
        let cache = opened.cache;
        let before = contents(&aside);
        // The agent works on in the fresh cache meanwhile.
        let newer = entry("escalation", 9);
        cache.enqueue(newer.clone()).unwrap();
        cache
            .save_draft("form:b", &json!({"note": "newer text"}))
            .unwrap();

        let report = cache.recover_from(&aside).unwrap();
        assert_eq!(report.opened, "without its snapshots");
        assert_eq!(report.outbox_requeued, 2);
        assert_eq!(report.attention_restored, 1);
        assert_eq!(report.drafts_restored, 1);
        assert_eq!(report.draft_conflicts, vec!["form:b".to_string()]);
        assert_eq!(report.already_present, 0);
        assert!(report.problems.is_empty(), "{:?}", report.problems);

        let pending: Vec<OutboxEntry> = cache
            .pending()
            .unwrap()
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        assert_eq!(pending, vec![newer, old[0].clone(), old[2].clone()]);
        let attention = cache.attention().unwrap();
        assert_eq!(attention.len(), 1);
        assert_eq!(attention[0].entry, old[1]);
        assert_eq!(attention[0].reason, "over the limit");
        assert_eq!(
            cache.draft("form:a").unwrap(),
            Some(json!({"note": "only in the old cache"}))
        );
        assert_eq!(
            cache.draft("form:b").unwrap(),
            Some(json!({"note": "newer text"}))
        );

        // Again: nothing twice, even after the entries were sent.
        let again = cache.recover_from(&aside).unwrap();
        assert_eq!(
            (
                again.outbox_requeued,
                again.attention_restored,
                again.drafts_restored
            ),
            (0, 0, 0)
        );
        for (seq, _) in cache.pending().unwrap() {
            cache.mark_sent(seq).unwrap();
        }
        cache.resolve_attention(attention[0].seq).unwrap();
        cache.remove_draft("form:a").unwrap();
        drop(cache);
        let cache = reopen(tmp.path()).cache;
        let third = cache.recover_from(&aside).unwrap();
        assert_eq!(
            (
                third.outbox_requeued,
                third.attention_restored,
                third.drafts_restored
            ),
            (0, 0, 0)
        );
        assert_eq!(third.already_present, 4);
        assert!(cache.pending().unwrap().is_empty());
        assert!(cache.attention().unwrap().is_empty());

        // The moved-aside copy is exactly as it was, and no working copies remain.
        assert_eq!(contents(&aside), before);
        let leftovers: Vec<_> = fs::read_dir(aside.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".switchboard-recover-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn recovery_refuses_what_it_cannot_use() {
        let (tmp, opened) = open_tmp();
        let cache = opened.cache;
        let err = cache.recover_from(cache.dir()).unwrap_err();
        assert!(err.to_string().contains("in use"), "{err}");
        let err = cache.recover_from(&tmp.path().join("nope")).unwrap_err();
        assert!(matches!(err, CacheError::Recover { .. }), "{err}");

        let junk = tmp.path().join("junk");
        fs::create_dir_all(&junk).unwrap();
        fs::write(junk.join("db"), vec![0xa5u8; 4096]).unwrap();
        let err = cache.recover_from(&junk).unwrap_err();
        assert!(err.to_string().contains("could not read"), "{err}");
        assert_eq!(fs::read(junk.join("db")).unwrap(), vec![0xa5u8; 4096]);
    }
}
