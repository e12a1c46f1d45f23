-- One request, one approval: the waivers of one request (several fees) share
-- the id of its first waiver, so they are listed and decided together.
-- Earlier waivers each stand for their own request.
ALTER TABLE fee_waivers ADD COLUMN request_id BIGINT;
UPDATE fee_waivers SET request_id = id;
CREATE INDEX fee_waivers_request ON fee_waivers (request_id)
