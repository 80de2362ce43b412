import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Serialises tests that share the one PostgreSQL database; SQLite tests each get their own
/// in-memory database and do not wait.
actor DatabaseLock {
    static let shared = DatabaseLock()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

/// The database under test: PostgreSQL when `TEST_DATABASE_URL` is set, otherwise SQLite in memory.
enum TestDatabase {
    static var url: String? {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
    static var configuration: ConcordConfiguration.Database { url.map { .postgres($0) } ?? .sqliteMemory }

    /// The `CONCORD_SECRET_KEY` every test instance on PostgreSQL shares, as an operator's do.
    static let sharedSecretKey = Data([UInt8](repeating: 0x5a, count: 32))
}

/// Runs `body` against a freshly configured and migrated application, and always shuts it down.
/// `sqliteFile` puts SQLite in a file in write-ahead logging, as `concord serve` runs it (where
/// several connections and processes write); `adjust` changes the configuration first.
func withApp(
    sqliteFile: Bool = false, adjust: (inout ConcordConfiguration) -> Void = { _ in },
    _ body: (Application) async throws -> Void
) async throws {
    let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "concord-test-\(UUID().uuidString)"
    ).path
    var configuration = ConcordConfiguration(
        dataDirectory: dataDirectory,
        database: TestDatabase.url == nil && sqliteFile
            ? .sqliteFile((dataDirectory as NSString).appendingPathComponent("concord.sqlite"))
            : TestDatabase.configuration,
        bcryptCost: 4, lockoutThreshold: 3)
    if TestDatabase.url != nil { configuration.secretKey = TestDatabase.sharedSecretKey }
    adjust(&configuration)
    let usesPostgres = configuration.database.kind == "postgresql"
    if usesPostgres { await DatabaseLock.shared.acquire() }
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning  // keep migrations and request lines out of the test output
    do {
        try await configure(app, with: configuration)
        if usesPostgres, let sql = app.db as? any SQLDatabase {
            try await sql.raw("DROP SCHEMA IF EXISTS public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        try await app.autoMigrate()
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        if usesPostgres { await DatabaseLock.shared.release() }
        throw error
    }
    try await app.asyncShutdown()
    try? FileManager.default.removeItem(atPath: dataDirectory)
    if usesPostgres { await DatabaseLock.shared.release() }
}

/// Another application on the database of `app` (another instance, or the CLI beside a server),
/// not migrated; shut down when `body` returns.
func withSecondInstance<T>(of app: Application, _ body: (Application) async throws -> T) async throws -> T {
    let other = try await Application.make(.testing)
    other.logger.logLevel = .warning
    do {
        try await configure(other, with: app.concord)
        let result = try await body(other)
        try await other.asyncShutdown()
        return result
    } catch {
        try? await other.asyncShutdown()
        throw error
    }
}
