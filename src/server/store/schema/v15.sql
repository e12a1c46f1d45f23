-- Skills: the queues an agent serves, each with a proficiency from 1 (takes
-- its calls) to 3 (expert). An agent with no rows serves every queue at 1.
CREATE TABLE agent_skills (
    agent_id BIGINT NOT NULL REFERENCES agents (id),
    queue TEXT NOT NULL,
    proficiency INTEGER NOT NULL CHECK (proficiency BETWEEN 1 AND 3),
    PRIMARY KEY (agent_id, queue)
)
