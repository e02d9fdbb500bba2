-- The model brain: what each turn cost, and why the rules answered when they did.
ALTER TABLE turns ADD COLUMN model_error TEXT;
ALTER TABLE turns ADD COLUMN prompt_tokens INTEGER;
ALTER TABLE turns ADD COLUMN completion_tokens INTEGER;
ALTER TABLE turns ADD COLUMN brain_ms INTEGER;
