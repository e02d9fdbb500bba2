-- Staff who read transcripts, and full-text search over what was said.
CREATE TABLE staff_users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,            -- argon2id, PHC string
    created_at     INTEGER NOT NULL
);

-- FTS5 over both sides of every turn, kept in step with `turns` by triggers.
CREATE VIRTUAL TABLE turns_fts USING fts5 (
    caller_text, reply_text, content = 'turns', content_rowid = 'rowid', tokenize = 'porter unicode61'
);
INSERT INTO turns_fts (rowid, caller_text, reply_text) SELECT rowid, caller_text, reply_text FROM turns;
CREATE TRIGGER turns_fts_insert AFTER INSERT ON turns BEGIN
    INSERT INTO turns_fts (rowid, caller_text, reply_text) VALUES (new.rowid, new.caller_text, new.reply_text);
END;
CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, caller_text, reply_text)
    VALUES ('delete', old.rowid, old.caller_text, old.reply_text);
END;
