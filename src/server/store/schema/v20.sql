-- An imported invoice or order is found again by its account and its own
-- number, so a second import updates it instead of adding it twice.
CREATE UNIQUE INDEX invoices_number ON invoices (organisation_id, number);
CREATE UNIQUE INDEX orders_number ON orders (organisation_id, number)
