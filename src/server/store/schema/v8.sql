-- Token lifecycle: a disabled agent's token is refused. Revoking or rotating
-- replaces the stored hash, so the old token no longer matches.
ALTER TABLE agents ADD COLUMN disabled_at_ms BIGINT
