-- Learning: per action and context cell, the decayed weight of answers and
-- of acceptances (forward decay from the landmark in model_meta). Keyed by
-- cell first: a decision reads its chain's cells for every action. The one
-- row of model_meta says where decay is measured from, and its half-life.
CREATE TABLE model_cells (
    action TEXT NOT NULL,
    cell TEXT NOT NULL,
    answers {real} NOT NULL,
    accepted {real} NOT NULL,
    PRIMARY KEY (cell, action)
);
CREATE TABLE model_meta (
    id BIGINT PRIMARY KEY,
    landmark_ms BIGINT NOT NULL,
    half_life_days {real} NOT NULL
)
