-- The tables of scripts/bench-writes' PostgreSQL peer (pgbench with pg_writes.sql): the rows an
-- incident report commits, without Concord.
CREATE TABLE counters (year integer PRIMARY KEY, last bigint NOT NULL);
CREATE TABLE incidents (id text PRIMARY KEY, number text UNIQUE, title text, taxonomy text, type text, tlp text,
    description text, reported_at timestamptz);
CREATE TABLE observables (id text PRIMARY KEY, incident_id text, kind text, value text);
CREATE TABLE correlation (key text, incident_id text, PRIMARY KEY (key, incident_id));
CREATE TABLE timeline (id text PRIMARY KEY, incident_id text, at timestamptz, actor text, text text);
CREATE TABLE assignments (id text PRIMARY KEY, incident_id text, team_id text, state text, reasons text,
    deadline timestamptz);
CREATE TABLE outbox (id text PRIMARY KEY, assignment_id text, state text, subject text, body text,
    next_attempt_at timestamptz);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE TABLE audit (id text PRIMARY KEY, action text, target text, summary text, at timestamptz);
