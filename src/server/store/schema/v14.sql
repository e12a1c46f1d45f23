-- Who looked at whom: each read of a customer's profile or timeline (a
-- person's or a whole account's) by an agent, kept in batches off the
-- read's path. GET /v1/audit?kind=view reads them.
CREATE TABLE views (
    id {serial_id},
    at_ms BIGINT NOT NULL,
    agent_id BIGINT NOT NULL,
    customer_id BIGINT NOT NULL,
    what TEXT NOT NULL
);
CREATE INDEX views_customer ON views (customer_id, id)
