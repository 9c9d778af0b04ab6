-- Up Migration

-- One row per recognized comment, upserted by request_id (a retry replaces the row).
-- The comment text itself is never stored: only what the recognizer found in it.
CREATE TABLE enriched_texts (
  request_id    text PRIMARY KEY CHECK (length(request_id) BETWEEN 1 AND 200),
  entities      jsonb NOT NULL CHECK (jsonb_typeof(entities) = 'array'),
  entity_count  integer NOT NULL CHECK (entity_count >= 0),
  model_version text NOT NULL,
  text_length   integer NOT NULL CHECK (text_length >= 0),
  -- first time this request_id was stored / latest (re)processing
  created_at    timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX enriched_texts_processed_at ON enriched_texts (processed_at);

-- One row per entity for analytics, replaced together with its enriched_texts row.
-- No foreign key: the writer maintains both in one transaction, and the per-row check
-- would cost on the hot write path.
CREATE TABLE entity_mentions (
  request_id   text NOT NULL,
  label        text NOT NULL,
  -- NFKC, lower case, whitespace collapsed: "Paris", " PARIS " count as one entity
  entity_text  text NOT NULL,
  processed_at timestamptz NOT NULL
);

-- Replacing a request's mentions.
CREATE INDEX entity_mentions_request_id ON entity_mentions (request_id);
-- Top entities of one label in a time window: an index-only scan.
CREATE INDEX entity_mentions_label_time ON entity_mentions (label, processed_at) INCLUDE (entity_text);
-- Mentions per label over time: an index-only scan of the window.
CREATE INDEX entity_mentions_time_label ON entity_mentions (processed_at, label);

-- Views for analysts: no comment text, no entity offsets. An analyst role needs only
--   GRANT USAGE ON SCHEMA analytics TO analyst; GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO analyst;
-- (views run with their owner's rights, so the role needs nothing on the base tables).
CREATE SCHEMA IF NOT EXISTS analytics;

CREATE VIEW analytics.enriched_texts AS
  SELECT request_id, model_version, text_length, entity_count, created_at, processed_at
  FROM public.enriched_texts;

CREATE VIEW analytics.entity_mentions AS
  SELECT request_id, label, entity_text, processed_at
  FROM public.entity_mentions;

-- Down Migration
DROP VIEW IF EXISTS analytics.entity_mentions;
DROP VIEW IF EXISTS analytics.enriched_texts;
DROP SCHEMA IF EXISTS analytics;
DROP TABLE IF EXISTS entity_mentions;
DROP TABLE IF EXISTS enriched_texts;
