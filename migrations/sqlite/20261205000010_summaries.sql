-- A service issue's summary (its title, as read back) and the caller's access note; a message's
-- summary as read back. The caller's whole words stay in `problem` and `body`.
ALTER TABLE service_issues ADD COLUMN summary TEXT;
ALTER TABLE service_issues ADD COLUMN access_note TEXT;
ALTER TABLE messages ADD COLUMN summary TEXT;
