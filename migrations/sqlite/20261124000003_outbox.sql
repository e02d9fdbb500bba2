-- Writes to the outside world (SMS to on-call staff, Rent Manager), queued in the same
-- transaction as the turn that caused them and delivered by a background worker.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid         TEXT REFERENCES calls (sid),
    kind             TEXT NOT NULL,            -- sms, ...
    payload          TEXT NOT NULL,            -- outbox::Item as JSON
    status           TEXT NOT NULL,            -- pending, delivered, failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    locked_until     INTEGER,                     -- a worker's lease; expired leases are retaken
    last_error       TEXT,
    external_id      TEXT,                     -- what the other side called it (SMS sid, ...)
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    delivered_at     INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_call ON outbox (call_sid);
