import Fluent
import FluentSQL

/// Turns `feed_events.fingerprint` from 64 hex digits into the 16 bytes of a `FeedFingerprint`
/// (the first half of the same SHA-256), keeping every stored event and its identity: a file
/// imported before the change is still recognised after it. PostgreSQL changes the column's type
/// to `bytea`; SQLite keeps the declared type (its types are advisory) and holds the values as
/// blobs.
struct UpdateFeedEventsBinaryFingerprint: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await sql.raw(
                """
                UPDATE feed_events SET fingerprint = unhex(substr(fingerprint, 1, 32))
                WHERE typeof(fingerprint) = 'text'
                """
            ).run()
        } else {
            try await sql.raw(
                """
                ALTER TABLE feed_events ALTER COLUMN fingerprint TYPE bytea
                USING decode(substr(fingerprint, 1, 32), 'hex')
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await sql.raw(
                "UPDATE feed_events SET fingerprint = lower(hex(fingerprint)) WHERE typeof(fingerprint) = 'blob'"
            ).run()
        } else {
            try await sql.raw(
                "ALTER TABLE feed_events ALTER COLUMN fingerprint TYPE text USING encode(fingerprint, 'hex')"
            ).run()
        }
    }
}
