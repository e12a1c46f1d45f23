-- Records imported from a company's own systems keep the source system's
-- name and their id there (the key a second import finds them by) and a
-- fingerprint of what was imported (unchanged rows are left alone).
ALTER TABLE customers ADD COLUMN source TEXT;
ALTER TABLE customers ADD COLUMN source_id TEXT;
ALTER TABLE customers ADD COLUMN import_fp TEXT;
CREATE UNIQUE INDEX customers_source ON customers (source, source_id);
ALTER TABLE events ADD COLUMN source TEXT;
ALTER TABLE events ADD COLUMN source_id TEXT;
ALTER TABLE events ADD COLUMN import_fp TEXT;
CREATE UNIQUE INDEX events_source ON events (source, source_id);
ALTER TABLE fees ADD COLUMN source TEXT;
ALTER TABLE fees ADD COLUMN source_id TEXT;
ALTER TABLE fees ADD COLUMN import_fp TEXT;
CREATE UNIQUE INDEX fees_source ON fees (source, source_id)
