-- Files a trail line names by hash (a step's whole output, outputs/STEP.log): kept beside the
-- lines so a trail read from the database verifies as its directory copy does.
create table trail_files (
  run_id text not null,
  name text not null,
  content bytea not null,
  primary key (run_id, name)
);
