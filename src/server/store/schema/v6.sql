-- Consent to marketing is given per channel: the channels a customer agreed
-- to be offered products on, by their wire names, comma-separated. A
-- customer who had agreed (the one flag before) agreed on every contact
-- channel.
ALTER TABLE customers ADD COLUMN marketing_channels TEXT NOT NULL DEFAULT '';
UPDATE customers SET marketing_channels = 'voice,email,chat,sms,web,store' WHERE marketing_consent <> 0;
ALTER TABLE customers DROP COLUMN marketing_consent
