-- Tokens may expire: after this instant the agent's token is refused (none:
-- it does not expire).
ALTER TABLE agents ADD COLUMN token_expires_at_ms BIGINT
