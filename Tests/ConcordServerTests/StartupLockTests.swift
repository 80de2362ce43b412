import ConcordTestTools
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor

@testable import ConcordServer

/// Instances started together on one empty database: migrations under the start-up lock, each
/// run once; a schema behind the binary is told apart; database errors print their SQLSTATE.
@Suite struct StartupLockTests {
    /// Empties the database of `app`, as before a first start.
    static func empty(_ app: Application) async throws {
        if let sql = app.db as? any SQLDatabase, TestDatabase.url != nil {
            try await sql.raw("DROP SCHEMA public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        } else {
            try await app.autoRevert()
        }
    }

    @Test func threeInstancesMigratingAtOnceAllComeUpAndEachMigrationRunsOnce() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup: the database emptied, as before a first start
            try await Self.empty(app)
            #expect(try await StartupLock.pendingMigrations(app) == ConcordMigrations.all.count)

            // act: three instances start at once
            try await withSecondInstance(of: app) { second in
                try await withSecondInstance(of: app) { third in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for instance in [app, second, third] {
                            group.addTask { try await StartupLock.run(instance) { try await instance.autoMigrate() } }
                        }
                        try await group.waitForAll()
                    }
                }
            }

            // validate
            #expect(try await StartupLock.pendingMigrations(app) == 0)
            guard let sql = app.db as? any SQLDatabase else { return }
            let rows = try await sql.raw("SELECT name FROM _fluent_migrations").all()
            let names = try rows.map { try $0.decode(column: "name", as: String.self) }
            #expect(names.count == Set(names).count)
            #expect(names.count >= ConcordMigrations.all.count)
        }
    }

    @Test(.needs(.gpg)) func threeInstancesStartedAtOnceWithTheDemoLoadItOnce() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup: the database emptied, as before a first start
            try await Self.empty(app)

            // act: three `serve --demo` start-ups at once, each migrating and loading under the lock
            let loads = try await withSecondInstance(of: app) { second in
                try await withSecondInstance(of: app) { third in
                    try await withThrowingTaskGroup(of: Bool.self) { group in
                        for instance in [app, second, third] {
                            group.addTask {
                                try await StartupLock.run(instance) {
                                    try await instance.autoMigrate()
                                    return try await DemoLoader.loadIfEmpty(app: instance) != nil
                                }
                            }
                        }
                        return try await group.reduce(into: [Bool]()) { $0.append($1) }
                    }
                }
            }

            // validate: one loaded the forum, the other two found it there, nothing twice
            #expect(loads.filter { $0 }.count == 1)
            #expect(try await Team.query(on: app.db).count() == 27)
            #expect(try await User.query(on: app.db).count() == 28)
        }
    }

    /// A balancer's checks: liveness asks nothing; readiness is 503 while the database is behind
    /// this build (as during a rolling upgrade before `concord migrate`).
    @Test func readinessIsRefusedWhileAMigrationIsPending() async throws {
        try await withApp { app in
            // setup
            let live = try await app.testing().send(.GET, "/api/v1/health/live")
            let ready = try await app.testing().send(.GET, "/api/v1/health/ready")
            let sql = try #require(app.db as? any SQLDatabase)

            // act: the database forgets its newest migration
            try await sql.raw(
                "DELETE FROM _fluent_migrations WHERE name = \(bind: ConcordMigrations.all.last.map { $0.name } ?? "")"
            ).run()
            let behind = try await app.testing().send(.GET, "/api/v1/health/ready")

            // validate
            #expect(live.status == .ok)
            #expect(ready.status == .ok)
            #expect(try ready.content.decode(SystemController.Readiness.self).pendingMigrations == 0)
            #expect(behind.status == .serviceUnavailable)
            let readiness = try behind.content.decode(SystemController.Readiness.self)
            #expect(readiness.status == "migrations-pending")
            #expect(readiness.pendingMigrations == 1)
        }
    }

    @Test func aDatabaseErrorPrintsItsCodeAndMessageOnOneLine() async throws {
        try await withApp { app in
            // setup
            guard let sql = app.db as? any SQLDatabase else { return }

            // act: a table that is there already
            var line: String?
            do { try await sql.raw("CREATE TABLE incidents (id INTEGER)").run() } catch {
                line = DatabaseErrorText.line(for: error)
            }

            // validate
            let text = try #require(line)
            #expect(!text.contains("\n"))
            if TestDatabase.url != nil {
                #expect(text.contains("42P07"))
                #expect(text.contains("incidents"))
            } else {
                #expect(text.hasPrefix("SQLite:"))
                #expect(text.contains("already exists"))
            }
        }
    }
}
