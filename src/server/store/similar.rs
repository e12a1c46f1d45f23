//! Likely words behind a misspelling: the dictionary words (`name_terms`)
//! sharing trigrams with a query word, found through each database's trigram
//! index (FTS5 on SQLite, pg_trgm on PostgreSQL), then scored here the way
//! pg_trgm scores them, so both databases accept and order the same words.

use super::db::{Backend, Store, StoreResult};

/// Shorter words are not corrected: too many words are a letter away.
const MIN_CHARS: usize = 4;
/// pg_trgm's default threshold: `gonsalez` → `gonzalez` is 0.5,
/// `benet` → `bennett` 0.4.
const MIN_SIMILARITY: f64 = 0.3;
/// How many corrections of one word a search tries.
const MAX_SIMILAR: usize = 5;
/// How many words sharing trigrams the index returns to be scored.
const LOOKED_AT: usize = 50;

impl Store {
    /// For each of `words`, the dictionary words it may be a misspelling
    /// of, closest first, with their similarity; words starting with it are
    /// left out (a prefix match finds them anyway, and ranks higher). One
    /// statement for all the words, each a branch of a UNION ALL.
    pub(super) async fn similar_terms(
        &self,
        words: &[&str],
    ) -> StoreResult<Vec<Vec<(String, f64)>>> {
        let mut branches = Vec::new();
        let mut binds = Vec::new();
        for (i, word) in words.iter().enumerate() {
            if word.chars().count() < MIN_CHARS || !word.chars().all(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            binds.push(match self.backend() {
                Backend::Sqlite => fts_any_trigram(word),
                Backend::Postgres => word.to_string(),
            });
            let n = binds.len();
            let inner = match self.backend() {
                Backend::Sqlite => format!(
                    "SELECT term FROM name_terms_trigram WHERE name_terms_trigram MATCH ${n} \
                     ORDER BY rank LIMIT {LOOKED_AT}"
                ),
                Backend::Postgres => format!(
                    "SELECT term FROM name_terms WHERE term % ${n} \
                     ORDER BY similarity(term, ${n}) DESC, term LIMIT {LOOKED_AT}"
                ),
            };
            branches.push(format!("SELECT {i} AS word, term FROM ({inner}) s{i}"));
        }
        let mut found: Vec<Vec<(String, f64)>> = vec![Vec::new(); words.len()];
        if branches.is_empty() {
            return Ok(found);
        }
        let statement = branches.join(" UNION ALL ");
        let mut query = sqlx::query_as::<_, (i64, String)>(&statement);
        for value in binds {
            query = query.bind(value);
        }
        for (i, term) in query.fetch_all(self.pool()).await? {
            let Some(i) = usize::try_from(i).ok().filter(|i| *i < words.len()) else {
                continue;
            };
            if term.starts_with(words[i]) {
                continue;
            }
            let score = similarity(words[i], &term);
            if score >= MIN_SIMILARITY {
                found[i].push((term, score));
            }
        }
        for scored in &mut found {
            scored.sort_by(|(ta, a), (tb, b)| b.total_cmp(a).then_with(|| ta.cmp(tb)));
            scored.truncate(MAX_SIMILAR);
        }
        Ok(found)
    }
}

/// An FTS5 query matching terms that contain any trigram of `word`
/// (an ASCII word of at least three characters).
fn fts_any_trigram(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    chars
        .windows(3)
        .map(|w| format!("\"{}\"", w.iter().collect::<String>()))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// pg_trgm's similarity of two words: shared trigrams over all trigrams, each
/// word padded with two spaces before and one after.
fn similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (trigrams(a), trigrams(b));
    let shared = ta.iter().filter(|t| tb.binary_search(t).is_ok()).count();
    let all = ta.len() + tb.len() - shared;
    if all == 0 {
        0.0
    } else {
        shared as f64 / all as f64
    }
}

/// The distinct trigrams of `word`, sorted.
fn trigrams(word: &str) -> Vec<[char; 3]> {
    if word.is_empty() {
        return Vec::new();
    }
    let padded: Vec<char> = "  ".chars().chain(word.chars()).chain([' ']).collect();
    let mut out: Vec<[char; 3]> = padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_is_pg_trgms() {
        assert_eq!(similarity("gonzalez", "gonzalez"), 1.0);
        assert_eq!(similarity("gonsalez", "gonzalez"), 0.5);
        assert_eq!(similarity("benet", "bennett"), 0.4);
        assert_eq!(similarity("abc", "xyz"), 0.0);
        assert_eq!(similarity("", ""), 0.0);
    }

    #[test]
    fn the_fts_query_asks_for_any_trigram() {
        assert_eq!(fts_any_trigram("benet"), "\"ben\" OR \"ene\" OR \"net\"");
    }
}
