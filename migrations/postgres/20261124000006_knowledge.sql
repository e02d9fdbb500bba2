-- Property knowledge (buildings, units, policies) as one document; see src/knowledge.
CREATE TABLE knowledge (
    id          BIGINT PRIMARY KEY,
    document    TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Showing requests are kept for staff like messages.
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'message';
