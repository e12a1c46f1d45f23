//! The learned models' evidence: per action and context cell, decayed sums
//! of answers and acceptances. An interaction's outcomes add to them inside
//! the interaction's own transaction (so an idempotent replay, which never
//! runs the write again, counts once); a decision reads the cells of its
//! back-off chain; the models report reads everyone's and each predictor's
//! cells.

use super::db::{col, Store, StoreResult};
use super::multirow::{insert_rows_then, Val};
use super::tx::{Ctx, Tx};
use crate::domain::{SuggestionOutcome, SuggestionVerdict};
use crate::server::decide::learn::context::Context;
use crate::server::decide::learn::posterior::Decay;
use crate::server::decide::learn::CellEvidence;
use std::collections::{BTreeMap, HashMap};

/// The one row of `model_meta`.
const META_ID: i64 = 1;

impl Store {
    /// At start: where decay is measured from, with the catalog's
    /// half-life. A changed half-life, or weights grown too large, moves the
    /// landmark to now and rescales what is stored, so the evidence as of
    /// now is unchanged.
    pub async fn prepare_models(&self, half_life_days: f64) -> StoreResult<Decay> {
        let now = self.now().timestamp_millis();
        let mut tx = self.begin_write().await?;
        let stored = meta(&mut tx.tx).await?;
        let wanted = match stored {
            None => {
                let decay = Decay {
                    landmark_ms: now,
                    half_life_days,
                };
                sqlx::query(
                    "INSERT INTO model_meta (id, landmark_ms, half_life_days) VALUES ($1, $2, $3)",
                )
                .bind(META_ID)
                .bind(decay.landmark_ms)
                .bind(decay.half_life_days)
                .execute(&mut *tx.tx)
                .await?;
                decay
            }
            Some(old) if old.half_life_days != half_life_days || old.needs_rebase(now) => {
                let scale = old.read(1.0, 0.0, now).answers;
                sqlx::query(
                    "UPDATE model_cells SET answers = answers * $1, accepted = accepted * $1",
                )
                .bind(scale)
                .execute(&mut *tx.tx)
                .await?;
                sqlx::query(
                    "UPDATE model_meta SET landmark_ms = $1, half_life_days = $2 WHERE id = $3",
                )
                .bind(now)
                .bind(half_life_days)
                .bind(META_ID)
                .execute(&mut *tx.tx)
                .await?;
                tracing::info!(
                    half_life_days,
                    "learned evidence rescaled to a new landmark"
                );
                Decay {
                    landmark_ms: now,
                    half_life_days,
                }
            }
            Some(same) => same,
        };
        tx.commit().await?;
        Ok(wanted)
    }

    /// The evidence of every action in `cells`, as of `now_ms`.
    pub async fn evidence(
        &self,
        cells: &[String],
        decay: &Decay,
        now_ms: i64,
    ) -> StoreResult<CellEvidence> {
        if cells.is_empty() {
            return Ok(HashMap::new());
        }
        let marks: Vec<String> = (1..=cells.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT action, cell, answers, accepted FROM model_cells WHERE cell IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for cell in cells {
            q = q.bind(cell);
        }
        read_rows(q.fetch_all(self.pool()).await?, decay, now_ms)
    }

    /// Everyone's and each single predictor's evidence (the models report).
    pub async fn predictor_evidence(
        &self,
        decay: &Decay,
        now_ms: i64,
    ) -> StoreResult<CellEvidence> {
        let rows = sqlx::query(
            "SELECT action, cell, answers, accepted FROM model_cells WHERE cell NOT LIKE '%|%'",
        )
        .fetch_all(self.pool())
        .await?;
        read_rows(rows, decay, now_ms)
    }

    /// (propensity the ranking used, accepted?) for each answer to `action`
    /// since `since_ms`, for its AUC.
    pub async fn scored_answers(&self, since_ms: i64) -> StoreResult<Vec<(String, f64, bool)>> {
        let rows = sqlx::query(
            "SELECT o.action, i.propensity, o.verdict FROM suggestion_outcomes o \
             JOIN decision_items i ON i.decision_id = o.decision_id AND i.action = o.action \
             WHERE o.at_ms >= $1 AND o.verdict IN ('accepted', 'declined', 'ignored')",
        )
        .bind(since_ms)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let verdict: String = col(r, "verdict")?;
                Ok((
                    col(r, "action")?,
                    col(r, "propensity")?,
                    verdict == SuggestionVerdict::Accepted.as_str(),
                ))
            })
            .collect()
    }
}

fn read_rows(
    rows: Vec<sqlx::any::AnyRow>,
    decay: &Decay,
    now_ms: i64,
) -> StoreResult<CellEvidence> {
    rows.iter()
        .map(|r| {
            let evidence = decay.read(col(r, "answers")?, col(r, "accepted")?, now_ms);
            Ok(((col(r, "action")?, col(r, "cell")?), evidence))
        })
        .collect()
}

async fn meta(tx: &mut Tx) -> StoreResult<Option<Decay>> {
    let row = sqlx::query("SELECT landmark_ms, half_life_days FROM model_meta WHERE id = $1")
        .bind(META_ID)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| {
        Ok(Decay {
            landmark_ms: col(&r, "landmark_ms")?,
            half_life_days: col(&r, "half_life_days")?,
        })
    })
    .transpose()
}

/// Inside an interaction's write: adds its answered outcomes to the cells of
/// the context each was decided in. Outcomes without a logged decision, or
/// `not_offered` (the customer never heard it), teach nothing.
pub(super) async fn learn(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    outcomes: &[SuggestionOutcome],
) -> StoreResult<()> {
    let answered: Vec<&SuggestionOutcome> = outcomes
        .iter()
        .filter(|o| o.verdict != SuggestionVerdict::NotOffered && o.decision_id.is_some())
        .collect();
    if answered.is_empty() {
        return Ok(());
    }
    let Some(decay) = meta(tx).await? else {
        // No server has prepared the models (a store used on its own).
        return Ok(());
    };
    let mut ids: Vec<i64> = answered
        .iter()
        .filter_map(|o| o.decision_id)
        .map(|d| d.0)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, cell FROM decisions WHERE id IN ({})",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for id in &ids {
        q = q.bind(*id);
    }
    let mut contexts: HashMap<i64, Context> = HashMap::new();
    for r in q.fetch_all(&mut **tx).await? {
        let cell: String = col(&r, "cell")?;
        if let Some(context) = Context::parse(&cell) {
            contexts.insert(col(&r, "id")?, context);
        }
    }
    let weight = decay.weight(ctx.now.timestamp_millis());
    let mut sums: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for o in answered {
        let Some(context) = o.decision_id.and_then(|d| contexts.get(&d.0)) else {
            continue;
        };
        let hit = if o.verdict == SuggestionVerdict::Accepted {
            weight
        } else {
            0.0
        };
        for cell in context.cells() {
            let sum = sums.entry((o.action.0.clone(), cell)).or_default();
            sum.0 += weight;
            sum.1 += hit;
        }
    }
    if sums.is_empty() {
        return Ok(());
    }
    let rows = sums
        .into_iter()
        .map(|((action, cell), (answers, accepted))| {
            vec![
                Val::Text(action),
                Val::Text(cell),
                Val::Float(answers),
                Val::Float(accepted),
            ]
        })
        .collect();
    insert_rows_then(
        tx,
        ctx.backend,
        "model_cells",
        &["action", "cell", "answers", "accepted"],
        rows,
        "ON CONFLICT (cell, action) DO UPDATE SET answers = model_cells.answers + excluded.answers, \
         accepted = model_cells.accepted + excluded.accepted",
    )
    .await
}
