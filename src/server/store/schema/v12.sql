-- What a wrap-up says about an account: the organisation a business
-- contact called for (the chooser's pick), and whether the agent flagged
-- the caller's tone (curt, unhappy), the signal an account rarely says
-- aloud. Counted per account over the last 90 days.
ALTER TABLE interactions ADD COLUMN organisation_id BIGINT;
ALTER TABLE interactions ADD COLUMN tone_flagged BIGINT NOT NULL DEFAULT 0;
CREATE INDEX interactions_organisation ON interactions (organisation_id, created_at_ms)
