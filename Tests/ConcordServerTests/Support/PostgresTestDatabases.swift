import Fluent
import FluentSQL
import Foundation
import Vapor

@testable import ConcordServer

/// PostgreSQL for the tests: the migrations run once per test run, into a template database, and
/// each test gets a copy of it of its own (`CREATE DATABASE … TEMPLATE`), so PostgreSQL tests run
/// side by side as SQLite's do and none migrates. At most `CONCORD_TEST_PG_PARALLEL` (default 4)
/// run at once; the latency lane sets 1, so its timings measure Concord and not its neighbours.
actor PostgresTestDatabases {
    static let shared = PostgresTestDatabases()
    static let templateName = "concord_test_template"

    private let parallel =
        ProcessInfo.processInfo.environment["CONCORD_TEST_PG_PARALLEL"].flatMap { Int($0) }.map { max(1, $0) } ?? 4
    private var template: Task<Void, any Error>?
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// A fresh, migrated database on the server of `base`, as a URL; give it back with `checkIn`.
    func checkOut(base: String) async throws -> String {
        await acquire()
        do {
            if template == nil { template = Task { try await Self.makeTemplate(base: base) } }
            try await template?.value
            let name = "concord_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await Self.admin(base) { sql in
                try await sql.raw("CREATE DATABASE \(unsafeRaw: name) TEMPLATE \(unsafeRaw: Self.templateName)").run()
            }
            return try Self.url(base, database: name)
        } catch {
            release()
            throw error
        }
    }

    /// Drops the database `url` names (a test's instances are shut down by now).
    func checkIn(_ url: String, base: String) async {
        if let name = URLComponents(string: url)?.path.dropFirst(), name.hasPrefix("concord_test_") {
            try? await Self.admin(base) { sql in
                try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run()
            }
        }
        release()
    }

    private func acquire() async {
        if running < parallel {
            running += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { running -= 1 } else { waiters.removeFirst().resume() }
    }

    /// The template: every migration, once.
    private static func makeTemplate(base: String) async throws {
        try await admin(base) { sql in
            try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: templateName) WITH (FORCE)").run()
            try await sql.raw("CREATE DATABASE \(unsafeRaw: templateName)").run()
        }
        try await withInstance(try url(base, database: templateName)) { app in try await app.autoMigrate() }
    }

    /// Runs `body` on the database `base` names, the one `CREATE DATABASE` is sent from.
    private static func admin(_ base: String, _ body: (any SQLDatabase) async throws -> Void) async throws {
        try await withInstance(base) { app in
            guard let sql = app.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            try await body(sql)
        }
    }

    private static func withInstance(_ url: String, _ body: (Application) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        do {
            var configuration = ConcordConfiguration(
                dataDirectory: FileManager.default.temporaryDirectory.appendingPathComponent(
                    "concord-test-admin-\(UUID().uuidString)"
                ).path,
                database: .postgres(url), bcryptCost: 4, lockoutThreshold: 3)
            configuration.secretKey = TestDatabase.sharedSecretKey
            try await configure(app, with: configuration)
            try await body(app)
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// `base` with its database replaced by `database`.
    private static func url(_ base: String, database: String) throws -> String {
        guard var components = URLComponents(string: base) else { throw Abort(.internalServerError) }
        components.path = "/" + database
        guard let url = components.string else { throw Abort(.internalServerError) }
        return url
    }
}
