//! Name search that forgives misspellings and finds Chinese names by pinyin,
//! on SQLite and PostgreSQL: through the store with names chosen here, through
//! the server with the seeded fixtures, and across the migration that brought
//! it to databases written before.

mod common;

use chrono::NaiveDate;
use common::{TestDb, TestServer};
use switchboard::domain::*;
use switchboard::server::seed::fixtures;
use switchboard::server::store::{NewCustomer, Store};

fn customer(id: i64, name: &str) -> NewCustomer {
    let usd = |minor| Money::new(minor, Currency::USD);
    NewCustomer {
        id: CustomerId(id),
        name: name.into(),
        account_number: format!("T{id:08}"),
        segment: Segment::Silver,
        lifetime_value: usd(100_000),
        customer_since: NaiveDate::from_ymd_opt(2015, 3, 1).expect("date"),
        churn_risk: 0.1,
        language: "en".into(),
        time_zone: "UTC".into(),
        marketing_channels: Channel::CONTACT.to_vec(),
        balance: usd(0),
        phones: vec![format!("+1415555{id:04}")],
        emails: vec![],
    }
}

const NAMES: &[&str] = &[
    "Maria Gonzalez",
    "Lisa Gonzales",
    "Gonzalo Ruiz",
    "Oliver Bennett",
    "Olivia Benton",
    "王秀英",
    "李伟",
    "Inés Jesús",
];

async fn store_with_names(db: &TestDb) -> Store {
    let store = Store::open(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", db.label));
    let customers: Vec<_> = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| customer(i as i64 + 1, name))
        .collect();
    store
        .bulk_insert(&customers, &[], &[])
        .await
        .expect("insert");
    store
}

async fn names(store: &Store, query: &str, limit: usize) -> Vec<String> {
    store
        .search_names(query, limit)
        .await
        .unwrap_or_else(|e| panic!("search {query}: {e}"))
        .into_iter()
        .map(|h| h.customer.name)
        .collect()
}

#[tokio::test]
async fn misspelt_names_are_found_after_exact_and_prefix_matches() {
    for db in TestDb::all() {
        let store = store_with_names(&db).await;
        let label = db.label;
        // The exact word first, then the closest spellings, closest first.
        assert_eq!(
            names(&store, "gonzales", 10).await,
            ["Lisa Gonzales", "Maria Gonzalez", "Gonzalo Ruiz"],
            "{label}"
        );
        assert_eq!(
            names(&store, "gonsalez", 10).await,
            ["Maria Gonzalez"],
            "{label}"
        );
        // An exact word and a close spelling beat two spellings.
        assert_eq!(
            names(&store, "oliver benet", 10).await,
            ["Oliver Bennett", "Olivia Benton"],
            "{label}"
        );
        // A prefix match fills the page before any misspelling is tried…
        assert_eq!(
            names(&store, "gonzales", 1).await,
            ["Lisa Gonzales"],
            "{label}"
        );
        // …and ranks above one: `olive` starts Oliver, is close to Olivia.
        assert_eq!(
            names(&store, "olive", 10).await,
            ["Oliver Bennett", "Olivia Benton"],
            "{label}"
        );
        assert_eq!(
            names(&store, "olivier", 10).await,
            ["Olivia Benton", "Oliver Bennett"],
            "{label}"
        );
        // Short words are not corrected; accents still do not matter.
        assert!(names(&store, "zzz", 10).await.is_empty(), "{label}");
        assert_eq!(names(&store, "ines jesus", 10).await, ["Inés Jesús"]);
    }
}

#[tokio::test]
async fn chinese_names_are_found_by_pinyin_initials_and_characters() {
    for db in TestDb::all() {
        let store = store_with_names(&db).await;
        for query in [
            "wang xiuying",
            "wangxiuying",
            "wxy",
            "王秀英",
            "Wang Xiu",
            "xiuying",
        ] {
            assert_eq!(
                names(&store, query, 10).await,
                ["王秀英"],
                "{}: {query}",
                db.label
            );
        }
        assert_eq!(names(&store, "li wei", 10).await, ["李伟"], "{}", db.label);
    }
}

/// Rows of the store's own tables, for simulating a database written before
/// the search index existed.
async fn execute(url: &str, statements: &[&str]) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.expect("connect");
    for sql in statements {
        sqlx::query(sql)
            .execute(&pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    pool.close().await;
}

#[tokio::test]
async fn databases_from_before_the_search_index_are_upgraded_at_start() {
    for db in TestDb::all() {
        let store = store_with_names(&db).await;
        store.close().await;
        // Back to version 2: no dictionary, no romanized words.
        let drop_trigrams = match db.label {
            "sqlite" => "DROP TABLE name_terms_trigram",
            _ => "SELECT 1",
        };
        execute(
            &db.url,
            &[
                drop_trigrams,
                "DROP TABLE name_terms",
                "DROP INDEX name_tokens_customer",
                "DELETE FROM name_tokens WHERE token IN \
                 ('wang', 'xiuying', 'wangxiuying', 'wxy', 'li', 'wei', 'liwei', 'lw')",
                "DELETE FROM schema_migrations WHERE version = 3",
            ],
        )
        .await;
        let store = Store::open(&db.url).await.expect("reopen");
        assert_eq!(names(&store, "wxy", 10).await, ["王秀英"], "{}", db.label);
        assert_eq!(
            names(&store, "gonsalez", 10).await,
            ["Maria Gonzalez"],
            "{}",
            db.label
        );
        // New customers join the upgraded index.
        store
            .bulk_insert(&[customer(100, "Gonzalo Bennet")], &[], &[])
            .await
            .expect("insert");
        assert_eq!(
            names(&store, "gonzalo benett", 10).await,
            ["Gonzalo Bennet"],
            "{}",
            db.label
        );
    }
}

#[tokio::test]
async fn the_server_finds_fixtures_by_misspelling_and_pinyin() {
    for srv in TestDb::all().into_iter().map(TestServer::start) {
        let c = srv.agent();
        let label = srv.db.label;
        let found = |hits: &[switchboard::api::SearchHit], name: &str| {
            hits.iter().any(|h| h.customer.name == name)
        };
        for query in ["gonzales", "gonsalez"] {
            let hits = c.search(query, 20).await.expect("search").hits;
            assert!(
                found(&hits, fixtures::MARIA_NAME),
                "{label}: {query} → {hits:?}"
            );
        }
        let hits = c.search("oliver benet", 20).await.expect("search").hits;
        assert_eq!(hits[0].customer.id, fixtures::OLIVER_ID, "{label}");
        for query in ["wang xiuying", "wangxiuying", "wxy", "王秀英"] {
            let hits = c.search(query, 20).await.expect("search").hits;
            assert_eq!(
                hits[0].customer.id,
                fixtures::WANG_ID,
                "{label}: {query} → {hits:?}"
            );
        }
        // Identity matches still come first, marked exact.
        let hits = c.search("AC00000003", 5).await.expect("search").hits;
        assert!(hits[0].exact && hits[0].customer.id == fixtures::OLIVER_ID);
    }
}
