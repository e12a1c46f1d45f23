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

/// Ranks the customers the desk knows against `query`, best first.
pub fn search_customers(known: &[CustomerSummary], query: &str) -> Vec<LocalHit> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    let e164 = phone::looks_like_phone(query)
        .then(|| phone::to_e164(query, "1").ok())
        .flatten();
    let email = text::normalize_email(query);
    let account = query.replace([' ', '-'], "").to_uppercase();
    let mut hits: Vec<LocalHit> = known
        .iter()
        .filter_map(|c| {
            let exact = if e164.as_ref().is_some_and(|p| c.phones.contains(p)) {
                Some(MatchedOn::Phone)
            } else if c.emails.iter().any(|e| text::normalize_email(e) == email) {
                Some(MatchedOn::Email)
            } else if c.account_number.eq_ignore_ascii_case(&account) {
                Some(MatchedOn::Account)
            } else {
                None
            };
            if let Some(on) = exact {
                return Some(hit(c, i64::MAX, on, true));
            }
            let name = matcher
                .fuzzy_match(
                    &text::fold_for_search(&c.name),
                    &text::fold_for_search(query),
                )
                .map(|s| (s, MatchedOn::Name));
            let other = [
                (c.phones.join(" "), MatchedOn::Phone),
                (c.emails.join(" "), MatchedOn::Email),
                (c.account_number.clone(), MatchedOn::Account),
            ]
            .into_iter()
            .filter_map(|(field, on)| matcher.fuzzy_match(&field, query).map(|s| (s, on)))
            .max_by_key(|(s, _)| *s);
            name.into_iter()
                .chain(other)
                .max_by_key(|(s, _)| *s)
                .map(|(score, on)| hit(c, score, on, false))
        })
        .collect();
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.customer.name.cmp(&b.customer.name))
    });
    hits
}

fn hit(c: &CustomerSummary, score: i64, matched_on: MatchedOn, exact: bool) -> LocalHit {
    LocalHit {
        customer: c.clone(),
        score,
        matched_on,
        exact,
    }
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

    #[test]
    fn exact_identity_matches_jump_to_the_top() {
        let known = vec![
            summary(1, "Ann Lee", "+14155550100", "ann@example.com", "AC1"),
            summary(2, "Annabel Leeds", "+14155550101", "bel@example.com", "AC2"),
        ];
        let hits = search_customers(&known, "(415) 555-0101");
        assert_eq!(hits[0].customer.id, CustomerId(2));
        assert!(hits[0].exact && hits[0].matched_on == MatchedOn::Phone);
        let hits = search_customers(&known, "ann lee");
        assert_eq!(hits[0].customer.id, CustomerId(1));
        let hits = search_customers(&known, "BEL@example.com ");
        assert!(hits[0].exact && hits[0].customer.id == CustomerId(2));
        assert!(search_customers(&known, "zzz").is_empty());
    }

    #[test]
    fn accents_do_not_stop_a_match() {
        let known = vec![summary(
            1,
            "José Álvarez",
            "+34600000000",
            "j@example.es",
            "AC9",
        )];
        assert_eq!(search_customers(&known, "jose alv").len(), 1);
    }

    #[test]
    fn palette_ranking_keeps_order_for_an_empty_query() {
        let items = vec![(1, "quit".to_string()), (2, "help".to_string())];
        assert_eq!(rank(&items, ""), [1, 2]);
        assert_eq!(rank(&items, "hlp"), [2]);
    }
}
