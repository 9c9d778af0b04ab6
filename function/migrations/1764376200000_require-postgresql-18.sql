-- Up Migration

-- The store's batch write reads which rows its upsert replaced with RETURNING old.*
-- (PostgreSQL 18): fail the migration, not every write, on an older server.
DO $$
BEGIN
  IF current_setting('server_version_num')::int < 180000 THEN
    RAISE EXCEPTION 'ner-processor needs PostgreSQL 18 or later, this server is %', current_setting('server_version');
  END IF;
END
$$;

-- Down Migration
