-- Business customers. An organisation is a party like a person: a row in
-- customers of kind 'organisation', so its fees (late-payment charges on
-- invoices), its events, waivers and decisions take the paths a person's
-- do. What only an account has is in organisations.
ALTER TABLE customers ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';
CREATE TABLE organisations (
    customer_id BIGINT PRIMARY KEY REFERENCES customers (id),
    industry TEXT NOT NULL,
    size_band TEXT NOT NULL,
    address TEXT NOT NULL,
    tier TEXT NOT NULL,
    kam_agent_id BIGINT REFERENCES agents (id),
    annual_revenue_minor BIGINT NOT NULL,
    margin_bp BIGINT NOT NULL,
    payment_terms_days BIGINT NOT NULL,
    credit_limit_minor BIGINT NOT NULL,
    renewal_on TEXT NOT NULL
);
-- A contact's role at an organisation they act for, the authority it
-- carries (ordering up to an amount, in the organisation's currency), and
-- when it was last the one chosen (a person acting for several).
CREATE TABLE contact_roles (
    contact_id BIGINT NOT NULL REFERENCES customers (id),
    organisation_id BIGINT NOT NULL REFERENCES customers (id),
    role TEXT NOT NULL,
    authority_minor BIGINT,
    last_chosen_ms BIGINT,
    PRIMARY KEY (contact_id, organisation_id)
);
CREATE INDEX contact_roles_organisation ON contact_roles (organisation_id);
CREATE TABLE invoices (
    id {serial_id},
    organisation_id BIGINT NOT NULL REFERENCES customers (id),
    number TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    paid_on TEXT,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    late_fee_id BIGINT REFERENCES fees (id)
);
CREATE INDEX invoices_organisation ON invoices (organisation_id, due_on);
CREATE TABLE orders (
    id {serial_id},
    organisation_id BIGINT NOT NULL REFERENCES customers (id),
    number TEXT NOT NULL,
    description TEXT NOT NULL,
    placed_on TEXT NOT NULL,
    promised_on TEXT NOT NULL,
    delivered_on TEXT,
    status TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL
);
CREATE INDEX orders_organisation ON orders (organisation_id, placed_on);
CREATE TABLE rebates (
    id {serial_id},
    organisation_id BIGINT NOT NULL REFERENCES customers (id),
    description TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    due_on TEXT NOT NULL
);
CREATE INDEX rebates_organisation ON rebates (organisation_id);
-- The organisation an event happened for: a contact's call about their
-- company's order, or the company's own invoice. The whole account's
-- timeline reads this index, newest first, as a person's reads theirs.
ALTER TABLE events ADD COLUMN organisation_id BIGINT;
CREATE INDEX events_organisation_time ON events (organisation_id, at_ms, id) WHERE organisation_id IS NOT NULL
