-- Property knowledge (buildings, units, policies) as one document; see src/knowledge.
CREATE TABLE knowledge (
    id          INTEGER PRIMARY KEY,
    document    TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Showing requests are kept for staff like messages.
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'message';
