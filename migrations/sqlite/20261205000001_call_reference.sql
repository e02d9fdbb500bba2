-- The short digits-only reference a caller can say back when a call leaves something behind
-- (a service request, a message, a follow-up); NULL for calls that leave nothing.
ALTER TABLE calls ADD COLUMN reference TEXT;
CREATE INDEX calls_reference ON calls (reference);
