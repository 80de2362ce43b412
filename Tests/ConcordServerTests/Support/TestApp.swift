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
}

/// Runs `body` against a freshly configured and migrated application, and always shuts it down.
func withApp(_ body: (Application) async throws -> Void) async throws {
    let usesPostgres = TestDatabase.url != nil
    if usesPostgres { await DatabaseLock.shared.acquire() }
    let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "concord-test-\(UUID().uuidString)"
    ).path
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning  // keep migrations and request lines out of the test output
    do {
        try await configure(
            app,
            with: ConcordConfiguration(
                dataDirectory: dataDirectory, database: TestDatabase.configuration, bcryptCost: 4, lockoutThreshold: 3))
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
