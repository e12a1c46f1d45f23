-- The live floor: call events from the ACD (one per call and kind, so a
-- repeated event is a no-op), supervisors' decisions on approvals, agents
-- played by the call simulator, and the not-ready reasons of the desk.
CREATE TABLE call_events (
    call_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    queue TEXT NOT NULL,
    caller TEXT,
    customer_id BIGINT,
    agent_id BIGINT,
    occurred_at_ms BIGINT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    PRIMARY KEY (call_id, kind)
);
CREATE INDEX call_events_occurred ON call_events (occurred_at_ms);
CREATE TABLE approval_decisions (
    kind TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    decided_by BIGINT NOT NULL REFERENCES agents (id),
    decided_at_ms BIGINT NOT NULL,
    PRIMARY KEY (kind, item_id)
);
ALTER TABLE agents ADD COLUMN simulated BIGINT NOT NULL DEFAULT 0;
INSERT INTO ref_codes (list, code, label, extra, position) VALUES
    ('not_ready_reason', 'break', 'Break', '', 100),
    ('not_ready_reason', 'lunch', 'Lunch', '', 101),
    ('not_ready_reason', 'training', 'Training', '', 102),
    ('not_ready_reason', 'meeting', 'Meeting', '', 103),
    ('not_ready_reason', 'coaching', 'Coaching', '', 104);
CREATE INDEX fee_waivers_status ON fee_waivers (status);
CREATE INDEX escalations_status ON escalations (status)
