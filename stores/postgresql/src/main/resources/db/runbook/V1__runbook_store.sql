-- runbook's shared store: one schema for every instance of runbook serve.

-- Fencing tokens: every lease taken gets the next value, so a key's generations only grow.
create sequence lease_generation;

-- Leases on keys: 'alert:KEY' (an alert's run, held by the instance driving it) and 'lock:HASH'
-- (a runbook's lock: on a target). A lease lapses at expires unless renewed; expires is the
-- database's clock, never an instance's.
create table leases (
  key text primary key,
  owner text not null,
  generation bigint not null,
  expires timestamptz not null
);

-- The alert queue: one row per alert (its key at the source), the whole AlertRecord as JSON.
-- state and run_id are copies of the record's for indexing; resolved is kept apart so a
-- resolved notification is never lost to a worker writing a record it read before.
create table alerts (
  key text primary key,
  seq bigserial not null unique,
  state text not null,
  run_id text,
  resolved boolean not null default false,
  record jsonb not null
);
create index alerts_open on alerts (seq) where state in ('QUEUED', 'RUNNING');
create index alerts_run on alerts (run_id);

-- Run trails: each line exactly the bytes AuditLog writes to events.jsonl (no newline).
create table trail_lines (
  run_id text not null,
  seq bigint not null check (seq > 0),
  line bytea not null,
  primary key (run_id, seq)
);

-- A run's head (events.head's bytes): how far it was synced and signed.
create table trail_heads (
  run_id text primary key,
  head bytea not null
);
