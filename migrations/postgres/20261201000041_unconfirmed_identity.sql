-- A request filed for a caller known by caller ID only, who did not confirm their unit: what
-- they answered. Staff confirm who called before anyone enters.
ALTER TABLE service_issues ADD COLUMN unconfirmed_unit TEXT;
