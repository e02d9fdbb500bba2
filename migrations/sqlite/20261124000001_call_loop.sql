-- The call loop: calls and their turns, the local directory, and what calls produce.
-- Times are Unix milliseconds (INTEGER) so that SQLite and PostgreSQL store them alike.

CREATE TABLE calls (
    sid          TEXT PRIMARY KEY,
    from_number  TEXT,
    to_number    TEXT,
    caller_kind  TEXT NOT NULL,
    caller_name  TEXT,
    unit         TEXT,
    stage        TEXT NOT NULL,
    state        TEXT NOT NULL,          -- call::Call as JSON
    outcome      TEXT NOT NULL,
    next_turn    INTEGER NOT NULL,
    started_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    ended_at     INTEGER,
    duration_s   INTEGER
);
CREATE INDEX calls_started_at ON calls (started_at);

-- One row per exchange: what the caller said (if anything) and what we answered.
-- (call_sid, turn) is the idempotency key: a repeated callback gets the stored TwiML back.
CREATE TABLE turns (
    call_sid     TEXT NOT NULL REFERENCES calls (sid),
    turn         INTEGER NOT NULL,
    event        TEXT NOT NULL,           -- answered, speech, silence, dial
    caller_text  TEXT,
    confidence   REAL,
    reply_text   TEXT NOT NULL,
    stage        TEXT NOT NULL,           -- the stage after this turn
    source       TEXT NOT NULL,           -- rules or model
    latency_ms   INTEGER NOT NULL,
    twiml        TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (call_sid, turn)
);

CREATE TABLE service_issues (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid         TEXT NOT NULL REFERENCES calls (sid),
    turn             INTEGER NOT NULL,
    priority         TEXT NOT NULL,
    caller_phone     TEXT,
    caller_name      TEXT,
    unit             TEXT,
    property         TEXT,
    problem          TEXT NOT NULL,
    location         TEXT,
    entry_permission BOOLEAN,
    callback         TEXT,
    hazard           TEXT,
    created_at       INTEGER NOT NULL
);
CREATE INDEX service_issues_call ON service_issues (call_sid);

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid      TEXT NOT NULL REFERENCES calls (sid),
    turn          INTEGER NOT NULL,
    caller_phone  TEXT,
    caller_name   TEXT,
    body          TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Who calls: the office's system of record when Rent Manager is not configured.
CREATE TABLE directory (
    phone     TEXT PRIMARY KEY,           -- E.164
    kind      TEXT NOT NULL,              -- tenant or prospect
    name      TEXT NOT NULL,
    unit      TEXT,
    property  TEXT
);

-- Demo people (555-01xx numbers are reserved for fiction). Delete them for a real office.
INSERT INTO directory (phone, kind, name, unit, property) VALUES
    ('+17185550101', 'tenant',   'Maria Lopez',   '2B', '31 Port Richmond Ave'),
    ('+17185550102', 'tenant',   'James Carter',  '4A', '31 Port Richmond Ave'),
    ('+17185550103', 'tenant',   'Aisha Rahman',  '1C', '31 Port Richmond Ave'),
    ('+17185550104', 'prospect', 'Priya Shah',    NULL, NULL);
