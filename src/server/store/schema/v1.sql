-- Switchboard schema, written once for SQLite and PostgreSQL. `migrate.rs`
-- replaces {serial_id}, {big_key}, {text_key} and {without_rowid} with each
-- dialect's words.
-- Times are UTC epoch milliseconds, money is
-- integer minor units with a currency column, booleans are 0/1.
CREATE TABLE agents (
    id {serial_id},
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    waiver_limit_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at_ms BIGINT NOT NULL
);
CREATE TABLE customers (
    id {big_key},
    name TEXT NOT NULL,
    account_number TEXT NOT NULL UNIQUE,
    segment TEXT NOT NULL,
    ltv_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    customer_since TEXT NOT NULL,
    churn_risk DOUBLE PRECISION NOT NULL,
    language TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    marketing_consent BIGINT NOT NULL,
    balance_minor BIGINT NOT NULL
);
CREATE TABLE customer_phones (
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    position BIGINT NOT NULL,
    e164 TEXT NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE INDEX customer_phones_e164 ON customer_phones (e164);
CREATE TABLE customer_emails (
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    position BIGINT NOT NULL,
    email TEXT NOT NULL,
    email_norm TEXT NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE INDEX customer_emails_norm ON customer_emails (email_norm);
CREATE TABLE name_tokens (
    token {text_key} NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    PRIMARY KEY (token, customer_id)
) {without_rowid};
CREATE TABLE fees (
    id {serial_id},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL,
    charged_at_ms BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    outstanding_minor BIGINT NOT NULL,
    currency TEXT NOT NULL
);
CREATE INDEX fees_customer ON fees (customer_id);
CREATE TABLE events (
    id {serial_id},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    at_ms BIGINT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    topic TEXT,
    summary TEXT NOT NULL,
    detail TEXT,
    agent TEXT,
    outcome TEXT,
    amount_minor BIGINT,
    currency TEXT
);
CREATE INDEX events_customer_time ON events (customer_id, at_ms, id);
CREATE TABLE interactions (
    id {serial_id},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    agent_id BIGINT NOT NULL REFERENCES agents (id),
    channel TEXT NOT NULL,
    disposition_code TEXT NOT NULL,
    outcome TEXT NOT NULL,
    tags TEXT NOT NULL,
    notes TEXT NOT NULL,
    follow_up_at_ms BIGINT,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX interactions_customer ON interactions (customer_id);
CREATE TABLE suggestion_outcomes (
    interaction_id BIGINT NOT NULL REFERENCES interactions (id),
    customer_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    verdict TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX suggestion_outcomes_action ON suggestion_outcomes (action, verdict);
CREATE TABLE escalations (
    id {serial_id},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    agent_id BIGINT NOT NULL REFERENCES agents (id),
    target_code TEXT NOT NULL,
    priority TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX escalations_customer ON escalations (customer_id);
CREATE TABLE fee_waivers (
    id {serial_id},
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    fee_id BIGINT NOT NULL REFERENCES fees (id),
    agent_id BIGINT NOT NULL REFERENCES agents (id),
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    note TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX fee_waivers_customer ON fee_waivers (customer_id, created_at_ms);
CREATE TABLE audit (
    id {serial_id},
    at_ms BIGINT NOT NULL,
    agent_id BIGINT NOT NULL REFERENCES agents (id),
    action TEXT NOT NULL,
    customer_id BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    idempotency_key TEXT NOT NULL
);
CREATE INDEX audit_customer ON audit (customer_id, id);
CREATE TABLE idempotency (
    agent_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    status_code BIGINT,
    response TEXT,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (agent_id, key)
);
CREATE INDEX idempotency_created ON idempotency (created_at_ms);
CREATE TABLE dispositions (
    code TEXT PRIMARY KEY,
    category TEXT NOT NULL,
    label TEXT NOT NULL,
    position BIGINT NOT NULL
);
CREATE TABLE ref_codes (
    list TEXT NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    extra TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (list, code)
);
CREATE TABLE queues (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    target_pct BIGINT NOT NULL,
    target_seconds BIGINT NOT NULL,
    position BIGINT NOT NULL
);
