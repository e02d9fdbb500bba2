-- The language a call is spoken in (`english`, `spanish`): staff see it on the transcript page.
-- Calls stored before it existed were in English.
ALTER TABLE calls ADD COLUMN language TEXT NOT NULL DEFAULT 'english';
