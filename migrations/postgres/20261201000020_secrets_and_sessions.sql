-- Secrets frontdesk makes for itself and keeps in the database, so every process on it
-- agrees: the development webhook token (used when TWILIO_AUTH_TOKEN is unset outside
-- release builds; `frontdesk call` reads it from here).
CREATE TABLE local_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Bumped when a person logs out or gets a new password: every session issued before ends.
ALTER TABLE staff_users ADD COLUMN session_generation BIGINT NOT NULL DEFAULT 0;
