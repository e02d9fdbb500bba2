-- When a call's transcript and caller numbers were removed (TRANSCRIPT_RETENTION_DAYS).
ALTER TABLE calls ADD COLUMN redacted_at BIGINT;
