-- Staff who read transcripts, and full-text search over what was said.
CREATE TABLE staff_users (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,            -- argon2id, PHC string
    created_at     BIGINT NOT NULL
);

-- PostgreSQL's own text search over both sides of every turn.
ALTER TABLE turns ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('english', coalesce(caller_text, '') || ' ' || reply_text)) STORED;
CREATE INDEX turns_search ON turns USING GIN (search);
