//! Ranked name search. Every query word must match a word the name is found by
//! (`name_index`): by prefix first, through range scans on `name_tokens` that
//! stop after a few hundred candidates however short the query; and, when
//! those do not fill the page, also as a likely misspelling of a dictionary
//! word (`similar`). Best first: names matching every word by prefix, then
//! more exact words, more prefix words, closer spellings, shorter names.

use super::customers::placeholders;
use super::db::{col, Store, StoreResult};
use crate::api::{MatchedOn, SearchHit};
use crate::domain::{text, CustomerId};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// How many (customer, word) rows a search collects before ranking.
const CANDIDATES: usize = 250;

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

    /// `alias.token` matches `m`: starts with its word, or is one of its
    /// similar words.
    fn word_matches(&mut self, alias: &str, m: &WordMatch) -> String {
        let mut condition = self.prefix_of(alias, &m.word);
        if !m.similar.is_empty() {
            let list: Vec<String> = m.similar.iter().map(|(t, _)| self.bind(t)).collect();
            condition = format!("({condition} OR {alias}.token IN ({}))", list.join(", "));
        }
        condition
    }

    fn prefix_of(&mut self, alias: &str, word: &str) -> String {
        let low = self.bind(word);
        let high = self.bind(&prefix_upper_bound(word));
        format!("{alias}.token >= {low} AND {alias}.token < {high}")
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
        let mut candidates = self.candidates(&plan).await?;
        if candidates.len() < limit {
            for m in &mut plan {
                m.similar = self.similar_terms(&m.word).await?;
            }
            if plan.iter().any(|m| !m.similar.is_empty()) {
                candidates = self.candidates(&plan).await?;
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

    /// Customers matching every word of `plan`, at most `CANDIDATES`. The
    /// longest word drives: its prefix range in index order (an exact word
    /// sorts first in it), then each of its similar words; the other words
    /// are checked per candidate through `name_tokens_customer`.
    async fn candidates(&self, plan: &[WordMatch]) -> StoreResult<Vec<CustomerId>> {
        let drive = (0..plan.len())
            .max_by_key(|&i| (plan[i].word.chars().count(), std::cmp::Reverse(i)))
            .unwrap_or(0);
        let tiers = std::iter::once(Tier::Prefix).chain(
            plan[drive]
                .similar
                .iter()
                .map(|(term, _)| Tier::Similar(term)),
        );
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        let mut rows = 0;
        for tier in tiers {
            if rows >= CANDIDATES {
                break;
            }
            let mut sql = Sql::default();
            let (mut conditions, order) = match tier {
                Tier::Prefix => (
                    vec![sql.prefix_of("d", &plan[drive].word)],
                    "d.token, d.customer_id",
                ),
                Tier::Similar(term) => (
                    vec![format!("d.token = {}", sql.bind(term))],
                    "d.customer_id",
                ),
            };
            for (i, other) in plan.iter().enumerate() {
                if i != drive {
                    conditions.push(format!(
                        "EXISTS (SELECT 1 FROM name_tokens o \
                         WHERE o.customer_id = d.customer_id AND {})",
                        sql.word_matches("o", other)
                    ));
                }
            }
            let statement = format!(
                "SELECT d.customer_id FROM name_tokens d WHERE {} ORDER BY {order} LIMIT {}",
                conditions.join(" AND "),
                CANDIDATES - rows
            );
            let mut query = sqlx::query_scalar::<_, i64>(&statement);
            for value in sql.binds {
                query = query.bind(value);
            }
            let ids = query.fetch_all(self.pool()).await?;
            rows += ids.len();
            found.extend(
                ids.into_iter()
                    .map(CustomerId)
                    .filter(|id| seen.insert(*id)),
            );
        }
        Ok(found)
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
        let statement = format!(
            "SELECT c.id, c.name, t.token FROM customers c \
             JOIN name_tokens t ON t.customer_id = c.id WHERE c.id IN ({})",
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
