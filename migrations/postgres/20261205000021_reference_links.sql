-- Which call holds each reference now: the primary key makes two calls holding one at once
-- impossible, on any number of workers. A reference is taken back for a new call only once
-- its holder is old (see call::reference) and has no open follow-up; the old call keeps it in
-- calls.reference, so searches still find it.
CREATE TABLE call_references (
    reference    TEXT PRIMARY KEY,
    call_sid     TEXT NOT NULL REFERENCES calls (sid),
    assigned_at  BIGINT NOT NULL
);

-- A caller who said an earlier call's reference: the two calls, linked.
CREATE TABLE call_links (
    call_sid     TEXT NOT NULL REFERENCES calls (sid),   -- the call where it was said
    earlier_sid  TEXT NOT NULL REFERENCES calls (sid),
    reference    TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (call_sid, earlier_sid)
);
CREATE INDEX call_links_earlier ON call_links (earlier_sid);
