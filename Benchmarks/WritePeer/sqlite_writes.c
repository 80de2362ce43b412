/* The limit of SQLite for an incident report's writes, for scripts/bench-writes: THREADS threads,
 * each on its own connection (WAL, busy_timeout 5 s, synchronous at SQLite's default, as Concord
 * opens them), commit for SECONDS the same rows a report commits, in one BEGIN IMMEDIATE
 * transaction each: the year's counter bumped first, then the incident, its observable, its
 * correlation key, two timeline entries, the assignment, an outbox mail and the audit entry.
 * Prints transactions per second. No HTTP, no JSON, no routing: what the database alone allows.
 *
 *     cc -O2 -o sqlite_writes sqlite_writes.c -lsqlite3 -lpthread
 *     ./sqlite_writes FILE THREADS SECONDS
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *schema =
    "PRAGMA journal_mode = WAL;"
    "CREATE TABLE IF NOT EXISTS counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, number TEXT UNIQUE, title TEXT, taxonomy TEXT,"
    " type TEXT, tlp TEXT, description TEXT, reported_at REAL);"
    "CREATE TABLE IF NOT EXISTS observables (id TEXT PRIMARY KEY, incident_id TEXT, kind TEXT, value TEXT);"
    "CREATE TABLE IF NOT EXISTS correlation (key TEXT, incident_id TEXT, PRIMARY KEY (key, incident_id));"
    "CREATE TABLE IF NOT EXISTS timeline (id TEXT PRIMARY KEY, incident_id TEXT, at REAL, actor TEXT, text TEXT);"
    "CREATE TABLE IF NOT EXISTS assignments (id TEXT PRIMARY KEY, incident_id TEXT, team_id TEXT, state TEXT,"
    " reasons TEXT, deadline REAL);"
    "CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, assignment_id TEXT, state TEXT, subject TEXT,"
    " body TEXT, next_attempt_at REAL);"
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);"
    "CREATE TABLE IF NOT EXISTS audit (id TEXT PRIMARY KEY, action TEXT, target TEXT, summary TEXT, at REAL);";

static const char *statements[] = {
    "INSERT INTO counters (year, last) VALUES (2026, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1"
    " RETURNING last",
    "INSERT INTO incidents VALUES (?1, ?2, 'Scanning from 198.51.100.7 against our constituency',"
    " 'information-gathering', 'scanner', 'TLP:GREEN', 'Seen by our sensors for an hour.', julianday('now'))",
    "INSERT INTO observables VALUES (?1 || 'o', ?1, 'ipv4', '198.51.100.7')",
    "INSERT INTO correlation VALUES ('ip:198.51.100.7', ?1)",
    "INSERT INTO timeline VALUES (?1 || 't1', ?1, julianday('now'), 'handler@sg.example', 'reported')",
    "INSERT INTO assignments VALUES (?1 || 'a', ?1, 'team-0001', 'new', 'owns 198.51.100.0/24',"
    " julianday('now') + 1)",
    "INSERT INTO timeline VALUES (?1 || 't2', ?1, julianday('now'), 'routing', 'assigned to SGCERT')",
    "INSERT INTO outbox VALUES (?1 || 'm', ?1 || 'a', 'pending', ?2, printf('%.800c', 'x'), julianday('now'))",
    "INSERT INTO audit VALUES (?1 || 'l', 'incident.report', ?2, 'reported to 1 team(s)', julianday('now'))",
};
#define STATEMENTS (int)(sizeof statements / sizeof *statements)

static const char *path;
static double seconds;
static long committed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void *writer(void *arg) {
    sqlite3 *db;
    sqlite3_stmt *prepared[STATEMENTS];
    check(sqlite3_open(path, &db), db, "open");
    check(sqlite3_busy_timeout(db, 5000), db, "busy_timeout");
    for (int i = 0; i < STATEMENTS; i++) check(sqlite3_prepare_v2(db, statements[i], -1, &prepared[i], NULL), db, statements[i]);
    long mine = 0, thread = (long)arg;
    double end = now() + seconds;
    char id[64], number[32];
    while (now() < end) {
        int rc;  /* a writer the busy timeout gave up on tries again, as a client does after a 503 */
        while ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) == SQLITE_BUSY) continue;
        check(rc, db, "begin");
        sqlite3_step(prepared[0]);
        long last = sqlite3_column_int64(prepared[0], 0);
        sqlite3_reset(prepared[0]);
        snprintf(id, sizeof id, "incident-%ld-%ld-%ld", thread, mine, last);
        snprintf(number, sizeof number, "CND-2026-%06ld", last);
        for (int i = 1; i < STATEMENTS; i++) {
            sqlite3_bind_text(prepared[i], 1, id, -1, SQLITE_TRANSIENT);
            if (sqlite3_bind_parameter_count(prepared[i]) > 1) sqlite3_bind_text(prepared[i], 2, number, -1, SQLITE_TRANSIENT);
            check(sqlite3_step(prepared[i]), db, statements[i]);
            sqlite3_reset(prepared[i]);
        }
        check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
        mine++;
    }
    pthread_mutex_lock(&lock);
    committed += mine;
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < STATEMENTS; i++) sqlite3_finalize(prepared[i]);
    sqlite3_close(db);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: sqlite_writes FILE THREADS SECONDS\n");
        return 2;
    }
    path = argv[1];
    int threads = atoi(argv[2]);
    seconds = atof(argv[3]);
    sqlite3 *db;
    check(sqlite3_open(path, &db), db, "open");
    check(sqlite3_exec(db, schema, NULL, NULL, NULL), db, "schema");
    sqlite3_close(db);
    pthread_t *workers = calloc(threads, sizeof *workers);
    double start = now();
    for (long i = 0; i < threads; i++) pthread_create(&workers[i], NULL, writer, (void *)i);
    for (int i = 0; i < threads; i++) pthread_join(workers[i], NULL);
    printf("%.1f\n", committed / (now() - start));
    return 0;
}
