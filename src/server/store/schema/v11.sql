-- The codes the account actions use, for databases whose reference data
-- was filled before them. A new database is migrated before its reference
-- data is filled, so these add nothing there and it gets them with the
-- rest of the defaults.
INSERT INTO dispositions (code, category, label, position)
SELECT 'account.overdue_warning', 'Account', 'Overdue invoices raised', 1000
WHERE EXISTS (SELECT 1 FROM dispositions)
AND NOT EXISTS (SELECT 1 FROM dispositions WHERE code = 'account.overdue_warning');
INSERT INTO dispositions (code, category, label, position)
SELECT 'account.renewal', 'Account', 'Renewal conversation started', 1001
WHERE EXISTS (SELECT 1 FROM dispositions)
AND NOT EXISTS (SELECT 1 FROM dispositions WHERE code = 'account.renewal');
INSERT INTO ref_codes (list, code, label, extra, position)
SELECT 'escalation_target', 'key_account_manager', 'Key-account manager', 'tier', 1000
WHERE EXISTS (SELECT 1 FROM ref_codes WHERE list = 'escalation_target')
AND NOT EXISTS (SELECT 1 FROM ref_codes WHERE list = 'escalation_target' AND code = 'key_account_manager');
INSERT INTO ref_codes (list, code, label, extra, position)
SELECT 'escalation_target', 'executive', 'Executive sponsor', 'tier', 1001
WHERE EXISTS (SELECT 1 FROM ref_codes WHERE list = 'escalation_target')
AND NOT EXISTS (SELECT 1 FROM ref_codes WHERE list = 'escalation_target' AND code = 'executive')
