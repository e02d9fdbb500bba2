-- Twilio's status callbacks for texts, by Message SID: accepted is not delivered. Kept apart
-- from the outbox because a receipt can arrive before the outbox has stored the SID.
CREATE TABLE sms_receipts (
    message_sid  TEXT PRIMARY KEY,
    status       TEXT NOT NULL,            -- queued, sent, delivered, undelivered, failed, ...
    error_code   INTEGER,                     -- Twilio's ErrorCode (30007: carrier filtering, ...)
    updated_at   INTEGER NOT NULL
);

-- Numbers Twilio said cannot receive texts (landlines, unknown numbers, opted out): never
-- texted again. Forgotten with the call's other numbers under TRANSCRIPT_RETENTION_DAYS.
CREATE TABLE sms_unreachable (
    phone        TEXT PRIMARY KEY,
    error_code   INTEGER NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX outbox_external_id ON outbox (external_id);
