-- The decision service: every decision kept with its eligible actions (shown,
-- or suppressed and by which rule), outcomes joined to the decision that
-- showed them, and the dispositions the catalog's offers are logged with
-- (added to a database already holding codes, since a new one gets them with the
-- defaults, `refdata.rs`).
CREATE TABLE decisions (
    id {big_key},
    customer_id BIGINT NOT NULL,
    agent_id BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    channel TEXT NOT NULL,
    queue TEXT,
    control BIGINT NOT NULL,
    segment TEXT NOT NULL,
    facts TEXT NOT NULL,
    cell TEXT NOT NULL
);
CREATE INDEX decisions_customer ON decisions (customer_id, at_ms);
CREATE INDEX decisions_at ON decisions (at_ms);
CREATE TABLE decision_items (
    decision_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    position BIGINT,
    rule TEXT,
    rule_kind TEXT,
    propensity {real} NOT NULL,
    show_probability {real} NOT NULL,
    priority {real} NOT NULL,
    value_minor BIGINT,
    currency TEXT,
    PRIMARY KEY (decision_id, action)
);
ALTER TABLE suggestion_outcomes ADD COLUMN decision_id BIGINT;
CREATE INDEX suggestion_outcomes_decision ON suggestion_outcomes (decision_id);
CREATE INDEX suggestion_outcomes_customer ON suggestion_outcomes (customer_id, at_ms);
INSERT INTO dispositions (code, category, label, position)
    SELECT 'billing.autopay', 'Billing', 'Autopay set up', 100
    WHERE EXISTS (SELECT 1 FROM dispositions) AND NOT EXISTS (SELECT 1 FROM dispositions WHERE code = 'billing.autopay');
INSERT INTO dispositions (code, category, label, position)
    SELECT 'sales.add_on', 'Sales', 'Add-on offered', 101
    WHERE EXISTS (SELECT 1 FROM dispositions) AND NOT EXISTS (SELECT 1 FROM dispositions WHERE code = 'sales.add_on');
INSERT INTO dispositions (code, category, label, position)
    SELECT 'sales.loyalty', 'Sales', 'Loyalty reward given', 102
    WHERE EXISTS (SELECT 1 FROM dispositions) AND NOT EXISTS (SELECT 1 FROM dispositions WHERE code = 'sales.loyalty');
INSERT INTO dispositions (code, category, label, position)
    SELECT 'complaint.apology_credit', 'Complaints', 'Apology credit given', 103
    WHERE EXISTS (SELECT 1 FROM dispositions) AND NOT EXISTS (SELECT 1 FROM dispositions WHERE code = 'complaint.apology_credit');
INSERT INTO dispositions (code, category, label, position)
    SELECT 'general.callback', 'General', 'Specialist callback booked', 104
    WHERE EXISTS (SELECT 1 FROM dispositions) AND NOT EXISTS (SELECT 1 FROM dispositions WHERE code = 'general.callback')
