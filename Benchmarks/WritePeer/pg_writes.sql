-- One incident report's writes in one transaction, the counter bumped first (pgbench script of
-- scripts/bench-writes; tables in pg_schema.sql).
BEGIN;
INSERT INTO counters (year, last) VALUES (2026, 1)
    ON CONFLICT (year) DO UPDATE SET last = counters.last + 1 RETURNING last \gset
INSERT INTO incidents VALUES ('i' || :last, 'CND-2026-' || :last, 'Scanning from 198.51.100.7 against our constituency',
    'information-gathering', 'scanner', 'TLP:GREEN', 'Seen by our sensors for an hour.', now());
INSERT INTO observables VALUES ('o' || :last, 'i' || :last, 'ipv4', '198.51.100.7');
INSERT INTO correlation VALUES ('ip:198.51.100.7', 'i' || :last);
INSERT INTO timeline VALUES ('t1-' || :last, 'i' || :last, now(), 'handler@sg.example', 'reported');
INSERT INTO assignments VALUES ('a' || :last, 'i' || :last, 'team-0001', 'new', 'owns 198.51.100.0/24',
    now() + interval '1 day');
INSERT INTO timeline VALUES ('t2-' || :last, 'i' || :last, now(), 'routing', 'assigned to SGCERT');
INSERT INTO outbox VALUES ('m' || :last, 'a' || :last, 'pending', 'CND-2026-' || :last, repeat('x', 800), now());
INSERT INTO audit VALUES ('l' || :last, 'incident.report', 'CND-2026-' || :last, 'reported to 1 team(s)', now());
COMMIT;
