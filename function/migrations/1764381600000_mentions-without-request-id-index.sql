-- Up Migration

-- A retry's earlier mentions are found by the replaced row's processed_at, which they share
-- (the (processed_at, label) index), then filtered by request_id: see DELETE_REPLACED_MENTIONS
-- in src/storage/sql.ts. The request_id index served only that lookup and was the costliest
-- part of every write (a random-order text key: about a fifth of PostgreSQL's CPU and of the
-- WAL per stored comment, and full-page images of random leaf pages after each checkpoint).
DROP INDEX entity_mentions_request_id;

-- Down Migration
CREATE INDEX IF NOT EXISTS entity_mentions_request_id ON entity_mentions (request_id);
