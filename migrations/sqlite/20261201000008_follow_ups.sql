-- Follow-ups staff must act on: for now, an emergency on-call did not answer (urgent), shown
-- at the top of every staff page until resolved. The staff follow-up queue builds on it.
CREATE TABLE follow_ups (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid      TEXT NOT NULL REFERENCES calls (sid),
    turn          INTEGER NOT NULL,
    kind          TEXT NOT NULL,           -- emergency_follow_up
    urgent        BOOLEAN NOT NULL,
    hazard        TEXT,
    caller_phone  TEXT,
    caller_name   TEXT,
    unit          TEXT,
    callback      TEXT,
    body          TEXT NOT NULL,
    texted        BOOLEAN NOT NULL,        -- also sent by text to on-call and the emergency contacts
    created_at    INTEGER NOT NULL,
    resolved_at   INTEGER
);
CREATE INDEX follow_ups_open ON follow_ups (urgent, resolved_at, created_at);
