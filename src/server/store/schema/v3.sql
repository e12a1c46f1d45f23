-- Search that forgives misspellings: a dictionary of the distinct words names
-- are found by, with how many customers have each (to start a search from its
-- rarest word) and a trigram index (an FTS5 table with the trigram tokenizer
-- on SQLite, pg_trgm's GIN index on PostgreSQL), and the name words by
-- customer, to check a candidate's other words. `migrate.rs` then backfills:
-- existing names get the words of their romanization (pinyin for Chinese) and
-- every word enters the dictionary.
{trigram_extension};
CREATE TABLE name_terms (
    id {serial_id},
    term {text_key} NOT NULL UNIQUE,
    customers BIGINT NOT NULL
);
{term_trigrams};
CREATE INDEX name_tokens_customer ON name_tokens (customer_id, token)
