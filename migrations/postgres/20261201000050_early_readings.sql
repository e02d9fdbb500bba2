-- The caller's wait (issue 14): what a turn learns before its final result, kept where any
-- worker can see it, and what each turn did with the model.

-- The newest partial transcript of a turn (by Twilio's SequenceNumber), while the caller speaks.
CREATE TABLE partials (
    call_sid    TEXT NOT NULL,
    turn        BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    words       TEXT NOT NULL,            -- normalised: case, punctuation and fillers dropped
    finalized   BOOLEAN NOT NULL DEFAULT FALSE,   -- the final result arrived: no more speculation
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (call_sid, turn)
);

-- Readings of a turn's words, started on a partial (speculative) or on the final result. A row
-- without a result is a reading still running (or lost with its worker).
CREATE TABLE readings (
    call_sid     TEXT NOT NULL,
    turn         BIGINT NOT NULL,
    words        TEXT NOT NULL,
    speculative  BOOLEAN NOT NULL,
    result       TEXT,                    -- call::early::Stored as JSON
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT,
    PRIMARY KEY (call_sid, turn, words)
);

-- A final result answered with a hold line: what was heard, and the hold reply, so that the
-- /twilio/reply redirect on any worker can finish the turn and twins get the same reply.
CREATE TABLE held_turns (
    call_sid    TEXT NOT NULL,
    turn        BIGINT NOT NULL,
    heard       TEXT NOT NULL,
    confidence  DOUBLE PRECISION,
    final_at    BIGINT NOT NULL,         -- when the final result arrived: the deadline counts from here
    holds       BIGINT NOT NULL,
    lines       TEXT NOT NULL,            -- the hold lines played, as a JSON array
    twiml       TEXT NOT NULL,            -- the latest hold reply
    PRIMARY KEY (call_sid, turn)
);

-- Per turn: whether the model was asked, why not, where its reading started, the hold lines.
ALTER TABLE turns ADD COLUMN model_asked BOOLEAN;
ALTER TABLE turns ADD COLUMN model_skipped TEXT;
ALTER TABLE turns ADD COLUMN read_from TEXT;       -- partial (speculative) or final
ALTER TABLE turns ADD COLUMN hold_lines TEXT;      -- JSON array; never counted as said
