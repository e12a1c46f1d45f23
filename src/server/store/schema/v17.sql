-- The floor's event log, shared by the replicas of a PostgreSQL floor: what
-- desks are told (audience and agent say to whom) and the floor changes the
-- replicas tell each other (audience 'replicas'). Ids increase in commit
-- order, which is what desks resume from with Last-Event-ID.
CREATE TABLE floor_events (
    id {serial_id},
    origin TEXT NOT NULL,
    audience TEXT NOT NULL,
    agent_id BIGINT,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX floor_events_at ON floor_events (at_ms)
