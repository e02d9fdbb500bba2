-- Which claim holds an item: a worker renews and settles only its own claim.
ALTER TABLE outbox ADD COLUMN claim TEXT;
