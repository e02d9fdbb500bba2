-- Staff who read transcripts, and full-text search over what was said.
CREATE TABLE staff_users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,            -- argon2id, PHC string
    created_at     INTEGER NOT NULL
);

-- FTS5 over both sides of every turn. New turns are indexed in batches (every second, and
-- before each search: see `Db::index_transcripts`), not inside each turn's transaction,
-- which would make every caller's turn pay for tokenising.
CREATE VIRTUAL TABLE turns_fts USING fts5 (
    caller_text, reply_text, content = 'turns', content_rowid = 'rowid', tokenize = 'porter unicode61'
);
CREATE TABLE turns_fts_progress (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_rowid  INTEGER NOT NULL
);
INSERT INTO turns_fts (rowid, caller_text, reply_text) SELECT rowid, caller_text, reply_text FROM turns;
INSERT INTO turns_fts_progress (id, last_rowid) SELECT 1, COALESCE(MAX(rowid), 0) FROM turns;
CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, caller_text, reply_text)
    VALUES ('delete', old.rowid, old.caller_text, old.reply_text);
END;
