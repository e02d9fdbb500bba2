-- E-mail to the office. Each day's digest is claimed once, by whichever worker gets there
-- first; a call's summary is queued at most once; and how the last deliveries went, for the
-- dashboard (kept here, not in one process's memory, so every worker shows the same).
CREATE TABLE digests (
    day         TEXT PRIMARY KEY,          -- the office day it is sent on, YYYY-MM-DD
    claimed_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX outbox_one_email_per_call ON outbox (call_sid) WHERE kind = 'email';
CREATE TABLE delivery_health (
    channel          TEXT PRIMARY KEY,     -- email
    last_success_at  INTEGER,
    last_failure_at  INTEGER,
    last_error       TEXT
);
