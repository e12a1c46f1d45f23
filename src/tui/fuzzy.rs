//! Fuzzy matching with fuzzy-matcher's Skim algorithm: the local customer
//! index behind type-ahead search, the timeline text filter, and the command
//! palette.

use crate::api::{CustomerSummary, MatchedOn};
use crate::domain::{phone, text, TimelineEvent};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// A local match: the customer, how well it matched, and on what.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalHit {
    pub customer: CustomerSummary,
    pub score: i64,
    pub matched_on: MatchedOn,
    /// An exact phone, e-mail or account match.
    pub exact: bool,
}

/// How many local matches a search returns, best first.
pub const LOCAL_RESULTS: usize = 100;

/// The customers the desk knows, with their search keys computed once (folded
/// name, phone digits, normalised e-mails) so a keystroke only compares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalIndex {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    customer: CustomerSummary,
    name_key: String,
    digits: Vec<String>,
    emails: Vec<String>,
    account: String,
}

/// The previous search, so a query that extends it only looks at its hits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Narrowing {
    query: String,
    candidates: Vec<usize>,
    /// The index's size then: customers learnt since were not looked at.
    known: usize,
}

impl LocalIndex {
    /// Adds a customer, or refreshes one already known (keeping its place).
    pub fn remember(&mut self, customer: &CustomerSummary) {
        let entry = Entry {
            customer: customer.clone(),
            name_key: name_key(&customer.name),
            digits: customer.phones.iter().map(|p| digits_of(p)).collect(),
            emails: customer
                .emails
                .iter()
                .map(|e| text::normalize_email(e))
                .collect(),
            account: text::normalize_account(&customer.account_number),
        };
        match self
            .entries
            .iter_mut()
            .find(|e| e.customer.id == customer.id)
        {
            Some(existing) => *existing = entry,
            None => self.entries.push(entry),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Ranks the known customers against `query`, best first. `narrowing`
    /// carries the previous query's hits: when the new query extends it, only
    /// those are looked at.
    pub fn search(&self, query: &str, narrowing: &mut Narrowing) -> Vec<LocalHit> {
        let query = query.trim();
        if query.is_empty() {
            *narrowing = Narrowing::default();
            return Vec::new();
        }
        let q = Query::new(query);
        let matcher = SkimMatcherV2::default().ignore_case();
        // Only name matching is monotonic (a longer query matches fewer); the
        // digit, e-mail and account rules have thresholds, so those rescan.
        let extends = !narrowing.query.is_empty()
            && query.starts_with(narrowing.query.as_str())
            && q.names_only()
            && narrowing.known == self.entries.len();
        let scan: Box<dyn Iterator<Item = usize>> = if extends {
            Box::new(std::mem::take(&mut narrowing.candidates).into_iter())
        } else {
            Box::new(0..self.entries.len())
        };
        let mut hits: Vec<(usize, i64, MatchedOn, bool)> = scan
            .filter_map(|i| {
                let entry = self.entries.get(i)?;
                q.score(entry, &matcher)
                    .map(|(score, on, exact)| (i, score, on, exact))
            })
            .collect();
        *narrowing = Narrowing {
            query: query.to_string(),
            candidates: hits.iter().map(|h| h.0).collect(),
            known: self.entries.len(),
        };
        // Only the best are shown: pick them without sorting every match.
        let order = |a: &(usize, i64, MatchedOn, bool), b: &(usize, i64, MatchedOn, bool)| {
            b.1.cmp(&a.1).then_with(|| {
                self.entries[a.0]
                    .customer
                    .name
                    .cmp(&self.entries[b.0].customer.name)
            })
        };
        if hits.len() > LOCAL_RESULTS {
            hits.select_nth_unstable_by(LOCAL_RESULTS, order);
            hits.truncate(LOCAL_RESULTS);
        }
        hits.sort_by(order);
        hits.into_iter()
            .map(|(i, score, matched_on, exact)| LocalHit {
                customer: self.entries[i].customer.clone(),
                score,
                matched_on,
                exact,
            })
            .collect()
    }
}

/// The folded name, then the other words it is found by (a Chinese name's
/// pinyin, run together and initials), as the server's search finds it.
fn name_key(name: &str) -> String {
    let mut key = text::fold_for_search(name);
    if !name.is_ascii() {
        for word in text::name_search_words(name) {
            if !key.split(' ').any(|k| k == word) {
                key.push(' ');
                key.push_str(&word);
            }
        }
    }
    key
}

fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A query in every form the fields are compared in.
struct Query {
    folded: String,
    digits: String,
    e164_digits: Option<String>,
    email: Option<String>,
    account: String,
}

impl Query {
    fn new(query: &str) -> Query {
        let e164_digits = phone::looks_like_phone(query)
            .then(|| phone::to_e164(query, "1").ok())
            .flatten()
            .map(|p| digits_of(&p));
        Query {
            folded: text::fold_for_search(query).trim().to_string(),
            digits: digits_of(query),
            e164_digits,
            email: query.contains('@').then(|| text::normalize_email(query)),
            account: text::normalize_account(query),
        }
    }

    /// Whether only the name rules can match (no digits, no `@`).
    fn names_only(&self) -> bool {
        self.digits.is_empty() && self.email.is_none()
    }

    /// (score, matched on, exact) for one customer, or `None`.
    fn score(&self, e: &Entry, matcher: &SkimMatcherV2) -> Option<(i64, MatchedOn, bool)> {
        if self
            .e164_digits
            .as_ref()
            .is_some_and(|d| e.digits.contains(d))
        {
            return Some((i64::MAX, MatchedOn::Phone, true));
        }
        if let Some(email) = &self.email {
            if e.emails.contains(email) {
                return Some((i64::MAX, MatchedOn::Email, true));
            }
        }
        if !self.account.is_empty() && e.account == self.account {
            return Some((i64::MAX, MatchedOn::Account, true));
        }
        // Partial numbers and addresses: a plain substring is what people mean.
        if self.digits.len() >= 3 && e.digits.iter().any(|d| d.contains(&self.digits)) {
            return Some((1_000 + self.digits.len() as i64, MatchedOn::Phone, false));
        }
        if let Some(email) = &self.email {
            if e.emails.iter().any(|x| x.contains(email.as_str())) {
                return Some((1_000, MatchedOn::Email, false));
            }
        }
        if self.account.len() >= 3 && e.account.contains(&self.account) {
            return Some((1_000, MatchedOn::Account, false));
        }
        // Names: a cheap in-order check first; most customers fail it.
        if self.folded.is_empty() || !is_subsequence(&self.folded, &e.name_key) {
            return None;
        }
        // One letter matches most names; rank those by where it falls rather
        // than scoring every one.
        if self.folded.chars().count() == 1 {
            let starts_word = e.name_key.split(' ').any(|w| w.starts_with(&self.folded));
            return Some((if starts_word { 2 } else { 1 }, MatchedOn::Name, false));
        }
        matcher
            .fuzzy_match(&e.name_key, &self.folded)
            .map(|s| (s, MatchedOn::Name, false))
    }
}

/// Whether every character of `needle` (spaces aside) appears in `haystack` in order.
fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut hay = haystack.chars();
    needle
        .chars()
        .filter(|c| *c != ' ')
        .all(|n| hay.any(|h| h == n))
}

/// Indices of the events matching the text filter (all when it is empty),
/// keeping timeline order.
pub fn filter_events(events: &[TimelineEvent], filter: &str) -> Vec<usize> {
    let filter = filter.trim();
    if filter.is_empty() {
        return (0..events.len()).collect();
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let haystack = format!(
                "{} {} {} {} {}",
                e.summary,
                e.kind.label(),
                e.channel.label(),
                e.topic.as_deref().unwrap_or(""),
                e.agent.as_deref().unwrap_or("")
            );
            matcher.fuzzy_match(&haystack, filter).is_some()
                || e.detail
                    .as_deref()
                    .is_some_and(|d| d.to_lowercase().contains(&filter.to_lowercase()))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Ranks `items` (name, description) against `query`, best first; all of them
/// in their own order when the query is empty.
pub fn rank<T: Clone>(items: &[(T, String)], query: &str) -> Vec<T> {
    let query = query.trim();
    if query.is_empty() {
        return items.iter().map(|(t, _)| t.clone()).collect();
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<(i64, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, (_, text))| matcher.fuzzy_match(text, query).map(|s| (s, i)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .map(|(_, i)| items[i].0.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CustomerId, Segment};

    fn summary(id: i64, name: &str, phone: &str, email: &str, account: &str) -> CustomerSummary {
        CustomerSummary {
            id: CustomerId(id),
            name: name.into(),
            account_number: account.into(),
            phones: vec![phone.into()],
            emails: vec![email.into()],
            segment: Segment::Silver,
        }
    }

    fn index(customers: &[CustomerSummary]) -> LocalIndex {
        let mut index = LocalIndex::default();
        for c in customers {
            index.remember(c);
        }
        index
    }

    fn search(index: &LocalIndex, query: &str) -> Vec<LocalHit> {
        index.search(query, &mut Narrowing::default())
    }

    #[test]
    fn chinese_names_are_found_by_pinyin_and_initials() {
        let index = index(&[
            summary(4, "王秀英", "+14155550188", "", "AC00000004"),
            summary(5, "Wanda Xu", "+14155550189", "", "AC00000005"),
        ]);
        for query in ["wang xiuying", "wangxiuying", "wxy", "王秀英"] {
            let hits = search(&index, query);
            assert_eq!(hits[0].customer.id, CustomerId(4), "{query}");
        }
    }

    #[test]
    fn exact_identity_matches_jump_to_the_top() {
        let index = index(&[
            summary(1, "Ann Lee", "+14155550100", "ann@example.com", "AC1"),
            summary(2, "Annabel Leeds", "+14155550101", "bel@example.com", "AC2"),
        ]);
        let hits = search(&index, "(415) 555-0101");
        assert_eq!(hits[0].customer.id, CustomerId(2));
        assert!(hits[0].exact && hits[0].matched_on == MatchedOn::Phone);
        let hits = search(&index, "ann lee");
        assert_eq!(hits[0].customer.id, CustomerId(1));
        let hits = search(&index, "BEL@example.com ");
        assert!(hits[0].exact && hits[0].customer.id == CustomerId(2));
        let hits = search(&index, "5550100");
        assert_eq!(hits.len(), 1, "a partial number matches as a substring");
        assert!(search(&index, "zzz").is_empty());
    }

    #[test]
    fn accents_do_not_stop_a_match() {
        let index = index(&[summary(
            1,
            "José Álvarez",
            "+34600000000",
            "j@example.es",
            "AC9",
        )]);
        assert_eq!(search(&index, "jose alv").len(), 1);
    }

    #[test]
    fn a_longer_query_narrows_the_previous_hits_and_a_new_one_starts_over() {
        let mut index = index(&[
            summary(1, "Maria Gonzalez", "+14155550100", "m@example.com", "AC1"),
            summary(2, "Mario Rossi", "+14155550101", "r@example.com", "AC2"),
        ]);
        let mut narrowing = Narrowing::default();
        assert_eq!(index.search("mar", &mut narrowing).len(), 2);
        assert_eq!(index.search("mari", &mut narrowing).len(), 2);
        assert_eq!(index.search("maria", &mut narrowing).len(), 1);
        assert_eq!(index.search("rossi", &mut narrowing).len(), 1);
        // A number typed digit by digit still finds its customer.
        let mut narrowing = Narrowing::default();
        for typed in [
            "4",
            "41",
            "415",
            "4155",
            "41555501",
            "415555010",
            "4155550101",
        ] {
            index.search(typed, &mut narrowing);
        }
        assert_eq!(
            index.search("4155550101", &mut narrowing)[0].customer.id,
            CustomerId(2)
        );
        // Remembering again refreshes in place.
        index.remember(&summary(
            2,
            "Mario Bianchi",
            "+14155550101",
            "r@example.com",
            "AC2",
        ));
        assert_eq!(index.len(), 2);
        assert_eq!(search(&index, "bianchi").len(), 1);
    }

    #[test]
    fn palette_ranking_keeps_order_for_an_empty_query() {
        let items = vec![(1, "quit".to_string()), (2, "help".to_string())];
        assert_eq!(rank(&items, ""), [1, 2]);
        assert_eq!(rank(&items, "hlp"), [2]);
    }
}
