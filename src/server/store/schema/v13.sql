-- The account signals count an account's last 90 days of events by kind,
-- person and topic: with those in the index the count reads no table row.
-- The same index pages the account's timeline (organisation, time, id).
DROP INDEX events_organisation_time;
CREATE INDEX events_organisation_signals ON events (organisation_id, at_ms, id, kind, customer_id, topic) WHERE organisation_id IS NOT NULL
