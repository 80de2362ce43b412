import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The database under test: PostgreSQL when `TEST_DATABASE_URL` is set (each test on a database
/// of its own, `PostgresTestDatabases`), otherwise SQLite in memory.
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
    var database: String?  // the test's own PostgreSQL database, a copy of the migrated template
    if case .postgres(let base) = configuration.database {
        let url = try await PostgresTestDatabases.shared.checkOut(base: base)
        configuration.database = .postgres(url)
        database = url
    }
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning  // keep migrations and request lines out of the test output
    func cleanUp() async {
        try? FileManager.default.removeItem(atPath: dataDirectory)
        if let database, case .postgres(let base) = TestDatabase.configuration {
            await PostgresTestDatabases.shared.checkIn(database, base: base)
        }
    }
    do {
        try await configure(app, with: configuration)
        if database == nil { try await app.autoMigrate() }
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        await cleanUp()
        throw error
    }
    try await app.asyncShutdown()
    await cleanUp()
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
