//! Ranked name search. Every query word must match a word the name is found by
//! (`name_index`): by prefix first, through range scans on `name_tokens`
//! started from the rarest word (by the dictionary's counts), the others
//! probed per candidate through `name_tokens_customer`, that stop after
//! three rows per result asked for, however short the query; and, when those
//! do not fill the page, also as a likely misspelling of a dictionary word
//! (`similar`). Best first: names matching every word by prefix, then more
//! exact words, more prefix words, closer spellings, shorter names.

use super::customers::placeholders;
use super::db::{col, Backend, Store, StoreResult};
use crate::api::{MatchedOn, SearchHit};
use crate::domain::{text, CustomerId};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// How many (customer, word) rows a search collects before ranking, per
/// result asked for, and at least.
const CANDIDATES_PER_RESULT: usize = 3;
const MIN_CANDIDATES: usize = 60;

/// One query word and the dictionary words it may be a misspelling of.
struct WordMatch {
    word: String,
    /// Closest first, with their similarity; none start with `word`.
    similar: Vec<(String, f64)>,
}

/// How well a name matched one query word.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
enum Grade {
    Similar(f64),
    Prefix,
    Exact,
}

/// A candidate's place in the results: compared field by field.
struct Rank {
    id: CustomerId,
    name: String,
    every_word_prefix: bool,
    exact: usize,
    prefix: usize,
    similarity: f64,
}

impl Rank {
    fn cmp(&self, other: &Rank) -> Ordering {
        other
            .every_word_prefix
            .cmp(&self.every_word_prefix)
            .then(other.exact.cmp(&self.exact))
            .then(other.prefix.cmp(&self.prefix))
            .then(other.similarity.total_cmp(&self.similarity))
            .then(self.name.chars().count().cmp(&other.name.chars().count()))
            .then(self.name.cmp(&other.name))
            .then(self.id.cmp(&other.id))
    }
}

/// A statement being built, with its text parameters numbered in order.
#[derive(Default)]
struct Sql {
    binds: Vec<String>,
}

impl Sql {
    fn bind(&mut self, value: &str) -> String {
        self.binds.push(value.to_string());
        format!("${}", self.binds.len())
    }

    /// `column` (a name word) matches `m`: starts with its word, or is one
    /// of its similar words.
    fn word_matches(&mut self, column: &str, m: &WordMatch) -> String {
        let mut condition = self.prefix_of(column, &m.word);
        if !m.similar.is_empty() {
            let list: Vec<String> = m.similar.iter().map(|(t, _)| self.bind(t)).collect();
            condition = format!("({condition} OR {column} IN ({}))", list.join(", "));
        }
        condition
    }

    fn prefix_of(&mut self, column: &str, word: &str) -> String {
        let low = self.bind(word);
        let high = self.bind(&prefix_upper_bound(word));
        format!("{column} >= {low} AND {column} < {high}")
    }
}

/// Where the candidates of the driving word come from, best first.
enum Tier<'a> {
    Prefix,
    Similar(&'a str),
}

impl Store {
    /// Customers whose name matches every word of `query`, best first, at
    /// most `limit`.
    pub async fn search_names(&self, query: &str, limit: usize) -> StoreResult<Vec<SearchHit>> {
        let mut plan: Vec<WordMatch> = text::search_tokens(query)
            .into_iter()
            .map(|word| WordMatch {
                word,
                similar: Vec::new(),
            })
            .collect();
        if plan.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let cap = (limit * CANDIDATES_PER_RESULT).max(MIN_CANDIDATES);
        let mut candidates = self.candidates(&plan, cap).await?;
        if candidates.len() < limit {
            let words: Vec<&str> = plan.iter().map(|m| m.word.as_str()).collect();
            let similar = self.similar_terms(&words).await?;
            for (m, similar) in plan.iter_mut().zip(similar) {
                m.similar = similar;
            }
            if plan.iter().any(|m| !m.similar.is_empty()) {
                candidates = self.candidates(&plan, cap).await?;
            }
        }
        let ranked = self.rank(&plan, &candidates, limit).await?;
        Ok(self
            .summaries(&ranked)
            .await?
            .into_iter()
            .map(|customer| SearchHit {
                customer,
                matched_on: MatchedOn::Name,
                exact: false,
            })
            .collect())
    }

    /// Customers matching every word of `plan`, from at most `cap` rows. The
    /// rarest word drives: its prefix range in index order (an exact word
    /// sorts first in it), then each of its similar words; the other words
    /// are checked per candidate through `name_tokens_customer`. One
    /// statement, each tier a branch of a UNION ALL numbered in order, so a
    /// misspelling costs one round trip, not one per similar word.
    async fn candidates(&self, plan: &[WordMatch], cap: usize) -> StoreResult<Vec<CustomerId>> {
        let drive = if plan.len() == 1 {
            0
        } else {
            let counts = self.match_counts(plan).await?;
            if counts.contains(&0) {
                return Ok(Vec::new());
            }
            (0..plan.len()).min_by_key(|&i| counts[i]).unwrap_or(0)
        };
        let tiers = std::iter::once(Tier::Prefix).chain(
            plan[drive]
                .similar
                .iter()
                .map(|(term, _)| Tier::Similar(term)),
        );
        let mut sql = Sql::default();
        let mut branches = Vec::new();
        for (n, tier) in tiers.enumerate() {
            let (mut conditions, order) = match tier {
                Tier::Prefix => (
                    vec![sql.prefix_of("d.token", &plan[drive].word)],
                    "d.token, d.customer_id",
                ),
                Tier::Similar(term) => (
                    vec![format!("d.token = {}", sql.bind(term))],
                    "d.customer_id",
                ),
            };
            // A probe per candidate, written as a scalar subquery rather than
            // EXISTS: PostgreSQL turns EXISTS into a semi join, and with a
            // row estimate of 1 for the prefix ranges it scanned the other
            // word's whole range for every candidate ("jing wang": 60 ms
            // instead of 2).
            for (i, other) in plan.iter().enumerate() {
                if i != drive {
                    conditions.push(format!(
                        "(SELECT 1 FROM name_tokens o \
                         WHERE o.customer_id = d.customer_id AND {} LIMIT 1) IS NOT NULL",
                        sql.word_matches("o.token", other)
                    ));
                }
            }
            // Within a tier, token then customer: a similar word's tier
            // has one token, so that is its customer order.
            branches.push(format!(
                "SELECT * FROM (SELECT {n} AS tier, d.token, d.customer_id \
                 FROM name_tokens d WHERE {} ORDER BY {order} LIMIT {cap}) t{n}",
                conditions.join(" AND ")
            ));
        }
        let statement = format!(
            "SELECT customer_id FROM ({}) tiers ORDER BY tier, token, customer_id LIMIT {cap}",
            branches.join(" UNION ALL ")
        );
        let mut query = sqlx::query_scalar::<_, i64>(&statement).persistent(self.plan_cached());
        for value in sql.binds {
            query = query.bind(value);
        }
        let mut seen = HashSet::new();
        Ok(query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(CustomerId)
            .filter(|id| seen.insert(*id))
            .collect())
    }

    /// For each word of `plan`, how many customers have a name word matching
    /// it, by the dictionary's counts (a customer with two such words counts
    /// twice: this only chooses where to start).
    async fn match_counts(&self, plan: &[WordMatch]) -> StoreResult<Vec<i64>> {
        let mut sql = Sql::default();
        let sums: Vec<String> = plan
            .iter()
            .enumerate()
            .map(|(i, m)| {
                format!(
                    "CAST(COALESCE(SUM(CASE WHEN {} THEN n.customers ELSE 0 END), 0) AS BIGINT) AS m{i}",
                    sql.word_matches("n.term", m)
                )
            })
            .collect();
        let any: Vec<String> = plan
            .iter()
            .map(|m| format!("({})", sql.word_matches("n.term", m)))
            .collect();
        let statement = format!(
            "SELECT {} FROM name_terms n WHERE {}",
            sums.join(", "),
            any.join(" OR ")
        );
        let mut query = sqlx::query(&statement).persistent(self.plan_cached());
        for value in sql.binds {
            query = query.bind(value);
        }
        let row = query.fetch_one(self.pool()).await?;
        (0..plan.len())
            .map(|i| col::<i64>(&row, &format!("m{i}")))
            .collect()
    }

    /// Whether a search statement may be prepared once and reused. Not on
    /// PostgreSQL: after a few runs it would switch to a plan made without the
    /// words, which cannot know that `jessica` is common and `wxy` rare, and
    /// some searches took 150 ms instead of 5.
    fn plan_cached(&self) -> bool {
        self.backend() == Backend::Sqlite
    }

    /// The best `limit` of `candidates`, by their names' words.
    async fn rank(
        &self,
        plan: &[WordMatch],
        candidates: &[CustomerId],
        limit: usize,
    ) -> StoreResult<Vec<CustomerId>> {
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        // Driven from name_tokens by customer, the name looked up per row: no
        // join for the planner to turn into a scan of either table.
        let statement = format!(
            "SELECT t.customer_id AS id, t.token, \
             (SELECT c.name FROM customers c WHERE c.id = t.customer_id) AS name \
             FROM name_tokens t WHERE t.customer_id IN ({})",
            placeholders(candidates.len())
        );
        let mut query = sqlx::query(&statement);
        for id in candidates {
            query = query.bind(id.0);
        }
        let mut words: HashMap<CustomerId, (String, Vec<String>)> = HashMap::new();
        for row in query.fetch_all(self.pool()).await? {
            let id = CustomerId(col(&row, "id")?);
            let token: String = col(&row, "token")?;
            match words.get_mut(&id) {
                Some((_, tokens)) => tokens.push(token),
                None => {
                    words.insert(id, (col(&row, "name")?, vec![token]));
                }
            }
        }
        let mut ranked: Vec<Rank> = words
            .into_iter()
            .filter_map(|(id, (name, tokens))| rank_of(plan, id, name, &tokens))
            .collect();
        ranked.sort_by(Rank::cmp);
        Ok(ranked.into_iter().take(limit).map(|r| r.id).collect())
    }
}

/// How a name with these words ranks for `plan`, or `None` when a query word
/// matches none of them.
fn rank_of(plan: &[WordMatch], id: CustomerId, name: String, tokens: &[String]) -> Option<Rank> {
    let mut rank = Rank {
        id,
        name,
        every_word_prefix: true,
        exact: 0,
        prefix: 0,
        similarity: 0.0,
    };
    for m in plan {
        let grade = tokens
            .iter()
            .filter_map(|token| grade(m, token))
            .max_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal))?;
        match grade {
            Grade::Exact => rank.exact += 1,
            Grade::Prefix => rank.prefix += 1,
            Grade::Similar(score) => {
                rank.every_word_prefix = false;
                rank.similarity += score;
            }
        }
    }
    Some(rank)
}

fn grade(m: &WordMatch, token: &str) -> Option<Grade> {
    if token == m.word {
        Some(Grade::Exact)
    } else if token.starts_with(m.word.as_str()) {
        Some(Grade::Prefix)
    } else {
        m.similar
            .iter()
            .find(|(term, _)| term == token)
            .map(|(_, score)| Grade::Similar(*score))
    }
}

/// The smallest string greater than every string starting with `prefix`.
fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}
