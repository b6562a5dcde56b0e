-- Patchbay durable state, version 1. {{schema}} and {{prefix}} are replaced by migrate().
-- One statement per `;` at a line end (the runner splits on it).

CREATE TABLE IF NOT EXISTS {{schema}}.{{prefix}}sealed_credentials (
  tenant text NOT NULL,
  provider text NOT NULL,
  sealed text NOT NULL,
  key_id text,
  version bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, provider)
);

CREATE TABLE IF NOT EXISTS {{schema}}.{{prefix}}usage_records (
  seq bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  tenant text,
  kind text NOT NULL,
  provider text NOT NULL,
  vendor text NOT NULL,
  model text,
  unit text NOT NULL,
  quantity double precision NOT NULL,
  cost double precision,
  currency text,
  latency_ms double precision NOT NULL,
  outcome text NOT NULL,
  error_code text,
  correlation_id text,
  route text,
  attempt integer NOT NULL
);

CREATE INDEX IF NOT EXISTS {{prefix}}usage_records_at ON {{schema}}.{{prefix}}usage_records (at);

-- Daily rollups of usage_records. Empty strings stand for "no tenant"/"no model" so they can be keys.
CREATE TABLE IF NOT EXISTS {{schema}}.{{prefix}}usage_daily (
  day date NOT NULL,
  tenant text NOT NULL,
  kind text NOT NULL,
  provider text NOT NULL,
  vendor text NOT NULL,
  model text NOT NULL,
  unit text NOT NULL,
  quantity double precision NOT NULL,
  cost double precision,
  currency text,
  records bigint NOT NULL,
  failures bigint NOT NULL,
  total_latency_ms double precision NOT NULL,
  PRIMARY KEY (day, tenant, provider, model, unit)
);

CREATE TABLE IF NOT EXISTS {{schema}}.{{prefix}}delivery_log (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  event text NOT NULL,
  tenant text,
  correlation_id text,
  channel text NOT NULL,
  direction text NOT NULL,
  status text NOT NULL,
  vendor text,
  provider text,
  message_id text,
  to_address text,
  from_address text,
  error_code text,
  error_message text,
  reason text,
  fallback_of text,
  segments integer,
  cost_amount double precision,
  cost_currency text,
  session_id text,
  thread_id text,
  attempt integer NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS {{prefix}}delivery_log_message_id ON {{schema}}.{{prefix}}delivery_log (message_id);

CREATE INDEX IF NOT EXISTS {{prefix}}delivery_log_created_at ON {{schema}}.{{prefix}}delivery_log (created_at);

CREATE TABLE IF NOT EXISTS {{schema}}.{{prefix}}audit_log (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  at timestamptz NOT NULL,
  actor text,
  tenant text,
  provider text,
  route text,
  action text NOT NULL,
  outcome text NOT NULL,
  fields jsonb NOT NULL,
  before text,
  after text,
  detail text
);

CREATE INDEX IF NOT EXISTS {{prefix}}audit_log_at ON {{schema}}.{{prefix}}audit_log (at);

CREATE TABLE IF NOT EXISTS {{schema}}.{{prefix}}status_samples (
  seq bigserial PRIMARY KEY,
  provider text NOT NULL,
  tenant text,
  at bigint NOT NULL,
  status text NOT NULL,
  latency_ms double precision,
  code text
);

CREATE INDEX IF NOT EXISTS {{prefix}}status_samples_provider_at ON {{schema}}.{{prefix}}status_samples (provider, at);

CREATE TABLE IF NOT EXISTS {{schema}}.{{prefix}}status_daily (
  day date NOT NULL,
  provider text NOT NULL,
  tenant text NOT NULL,
  status text NOT NULL,
  samples bigint NOT NULL,
  total_latency_ms double precision NOT NULL,
  latency_samples bigint NOT NULL,
  PRIMARY KEY (day, provider, tenant, status)
);

CREATE TABLE IF NOT EXISTS {{schema}}.{{prefix}}sessions (
  id text PRIMARY KEY,
  tenant text NOT NULL,
  contact text NOT NULL,
  primary_channel text NOT NULL,
  active_channels jsonb NOT NULL,
  last_active_channel text NOT NULL,
  status text NOT NULL,
  last_agent_id text,
  last_intent text,
  thread_id text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS {{prefix}}sessions_contact ON {{schema}}.{{prefix}}sessions (tenant, contact);

CREATE TABLE IF NOT EXISTS {{schema}}.{{prefix}}thread_entries (
  seq bigserial PRIMARY KEY,
  thread_id text NOT NULL,
  channel text NOT NULL,
  direction text NOT NULL,
  message_id text,
  at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS {{prefix}}thread_entries_thread ON {{schema}}.{{prefix}}thread_entries (thread_id, seq);

CREATE TABLE IF NOT EXISTS {{schema}}.{{prefix}}contact_channels (
  tenant text NOT NULL,
  contact text NOT NULL,
  channel text NOT NULL,
  PRIMARY KEY (tenant, contact)
);
