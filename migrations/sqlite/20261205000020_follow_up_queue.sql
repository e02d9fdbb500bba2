-- The staff follow-up queue: every follow-up a call leaves (messages, showing requests,
-- emergencies, failed outside writes, requests the caller hung up on, identities not
-- confirmed), who took it, and when it was done. Failed writes have no turn: theirs is 0.
ALTER TABLE follow_ups ADD COLUMN for_whom TEXT;              -- a message's addressee, when named
ALTER TABLE follow_ups ADD COLUMN outbox_id INTEGER;             -- the write that failed (failed_write)
ALTER TABLE follow_ups ADD COLUMN assigned_to INTEGER REFERENCES staff_users (id) ON DELETE SET NULL;
ALTER TABLE follow_ups ADD COLUMN resolved_by INTEGER REFERENCES staff_users (id) ON DELETE SET NULL;

-- The queue's two lists, each read in its own order straight from an index: open (urgent
-- first, then oldest first) and done (most recently done first).
CREATE INDEX follow_ups_queue ON follow_ups (urgent DESC, created_at, id) WHERE resolved_at IS NULL;
CREATE INDEX follow_ups_done ON follow_ups (resolved_at DESC, id DESC) WHERE resolved_at IS NOT NULL;
CREATE INDEX follow_ups_call ON follow_ups (call_sid);
CREATE INDEX follow_ups_assigned ON follow_ups (assigned_to, resolved_at);
-- One follow-up per failed write, whichever worker settles it.
CREATE UNIQUE INDEX follow_ups_outbox ON follow_ups (outbox_id) WHERE outbox_id IS NOT NULL;

-- Every change staff make to a follow-up, with who and when; kept for good.
CREATE TABLE follow_up_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    follow_up_id  INTEGER NOT NULL REFERENCES follow_ups (id),
    change        TEXT NOT NULL,            -- taken, noted, done, reopened
    staff_id      INTEGER REFERENCES staff_users (id) ON DELETE SET NULL,
    staff_name    TEXT NOT NULL,            -- as they were named then
    note          TEXT,
    at            INTEGER NOT NULL
);
CREATE INDEX follow_up_changes_of ON follow_up_changes (follow_up_id, id);
