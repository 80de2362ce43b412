import Fluent
import FluentPostgresDriver
import Foundation
import PostgresNIO
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// The one lock that start-up steps which must not run twice at once (migrations, the demo
/// loader) take, shared by every instance on the database: on PostgreSQL an advisory lock held by
/// a connection of its own (outside the pool, which migrations need whole), on a SQLite file an
/// exclusive lock on a file beside it. Instances started together take turns; the later ones find
/// the work done.
public enum StartupLock {
    /// The advisory lock's key: "Concord" in ASCII.
    static let advisoryKey: Int64 = 0x43_6F_6E_63_6F_72_64

    /// Runs `body` holding the lock.
    public static func run<T>(_ app: Application, _ body: () async throws -> T) async throws -> T {
        switch app.concord.database {
        case .sqliteMemory:
            return try await body()
        case .sqliteFile(let path):
            let lock = try await FileLock.acquire(path + ".startup-lock")
            defer { lock.release() }
            return try await body()
        case .postgres(let url):
            let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
            let connection = try await PostgresConnection.connect(
                on: app.eventLoopGroup.any(), configuration: configuration, id: 0, logger: app.logger
            ).get()
            do {
                _ = try await connection.query("SELECT pg_advisory_lock(\(advisoryKey))", logger: app.logger)
                let result = try await body()
                try await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        }
    }

    /// The migrations this binary has that the database has not run yet (none: the schema is current).
    public static func pendingMigrations(_ app: Application) async throws -> Int {
        // Fluent's preview reads its table, which an empty database does not have yet.
        if let sql = app.db as? any SQLDatabase {
            let present: Bool
            if sql.dialect.name == "postgresql" {
                let row = try await sql.raw("SELECT to_regclass('_fluent_migrations') IS NOT NULL AS present").first()
                present = try row?.decode(column: "present", as: Bool.self) == true
            } else {
                let row = try await sql.raw(
                    "SELECT COUNT(*) AS tables FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'"
                ).first()
                present = try (row?.decode(column: "tables", as: Int.self) ?? 0) > 0
            }
            if !present { return ConcordMigrations.all.count }
        }
        return try await app.migrator.previewPrepareBatch().get().count
    }

    /// An exclusive `flock` on a file, polled so that no thread blocks while another process holds it.
    struct FileLock {
        let descriptor: Int32

        static func acquire(_ path: String) async throws -> FileLock {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw ConcordError(.unavailable, "cannot open the start-up lock \(path): errno \(errno)")
            }
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    close(descriptor)
                    throw ConcordError(.unavailable, "cannot lock \(path): errno \(errno)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            return FileLock(descriptor: descriptor)
        }

        /// Unlocks (closing the descriptor releases the lock).
        func release() { close(descriptor) }
    }
}
