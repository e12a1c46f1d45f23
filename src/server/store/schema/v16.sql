-- Holds and resumes happen several times a call: call events are numbered
-- within their kind (seq, 0 for the kinds that happen once).
CREATE TABLE call_events_numbered (
    call_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    seq BIGINT NOT NULL DEFAULT 0,
    queue TEXT NOT NULL,
    caller TEXT,
    customer_id BIGINT,
    agent_id BIGINT,
    occurred_at_ms BIGINT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    PRIMARY KEY (call_id, kind, seq)
);
INSERT INTO call_events_numbered (call_id, kind, seq, queue, caller, customer_id, agent_id,
    occurred_at_ms, received_at_ms)
    SELECT call_id, kind, 0, queue, caller, customer_id, agent_id, occurred_at_ms, received_at_ms
    FROM call_events;
DROP TABLE call_events;
ALTER TABLE call_events_numbered RENAME TO call_events;
CREATE INDEX call_events_occurred ON call_events (occurred_at_ms);
-- What desks asked the ACD to do with calls: hold, resume, hang up and
-- transfer (with where to, the note and the transferring agent's unsent
-- notes, shown on the receiving desk when the new leg pops).
CREATE TABLE call_commands (
    id {serial_id},
    call_id TEXT NOT NULL,
    action TEXT NOT NULL,
    agent_id BIGINT NOT NULL,
    requested_by BIGINT NOT NULL,
    seq BIGINT NOT NULL DEFAULT 0,
    customer_id BIGINT,
    from_queue TEXT NOT NULL,
    new_call_id TEXT,
    to_agent_id BIGINT,
    to_queue TEXT,
    warm INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    issued_at_ms BIGINT NOT NULL
);
CREATE INDEX call_commands_new_call ON call_commands (new_call_id);
CREATE INDEX call_commands_call ON call_commands (call_id, id)
