-- Every outcome of a call, for staff filters: a call can be an emergency and a message both.
ALTER TABLE calls ADD COLUMN emergency BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE calls ADD COLUMN service_issue BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE calls ADD COLUMN transferred BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE calls ADD COLUMN message BOOLEAN NOT NULL DEFAULT FALSE;
