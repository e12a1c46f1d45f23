-- How long each agent spent in each state (available, on a contact, in
-- wrap-up, not ready with its reason), closed when the state changed. The
-- leader of the floor writes them, and an interval is written once (agent and
-- start are its key), whoever writes it again.
CREATE TABLE agent_state_intervals (
    id {serial_id},
    agent_id BIGINT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    started_ms BIGINT NOT NULL,
    ended_ms BIGINT NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX agent_state_intervals_once ON agent_state_intervals (agent_id, started_ms)
