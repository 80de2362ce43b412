import ConcordTestTools
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// `concord backup` while reports keep coming, then `concord restore` into an empty database and
/// folder: every report acknowledged before the backup began is there once, the forum's key came
/// along, and a restore over a database that has data is refused without touching it.
@Suite(.serialized) struct BackupTests {
    /// The reports acknowledged so far, in the order their answers came.
    actor Ledger {
        private(set) var numbers: [String] = []
        private(set) var stopped = false
        func record(_ number: String) { numbers.append(number) }
        func stop() { stopped = true }
    }

    @Test(.needs(.gpg)) func aBackupTakenUnderWriteLoadRestoresEveryAcknowledgedReport() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup: the forum's key in the data folder; three reporters writing without pause
            let forum = try await TestForum.seed(app)
            let fingerprint = try await ForumKey(app.concord, gnupg: app.gnupg).create(
                name: "Backup test forum", email: "f@forum.test")
            let ledger = Ledger()
            let backup = FileManager.default.temporaryDirectory.appendingPathComponent(
                "concord-backup-\(UUID().uuidString).tar.gz"
            ).path
            defer { try? FileManager.default.removeItem(atPath: backup) }

            // act: the backup starts once ten reports are acknowledged, while the writers go on
            let (acknowledgedBefore, manifest) = try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<3 {
                    group.addTask {
                        var report = 0
                        while await !ledger.stopped {
                            let number = try await Self.report(writer, report, forum: forum, app: app)
                            await ledger.record(number)
                            report += 1
                        }
                    }
                }
                while await ledger.numbers.count < 10 { try await Task.sleep(for: .milliseconds(20)) }
                let before = await ledger.numbers
                let manifest = try await Backup.take(app, to: backup)
                await ledger.stop()
                try await group.waitForAll()
                return (before, manifest)
            }
            let writtenDuring = await ledger.numbers.count - acknowledgedBefore.count
            let restored = try await Self.restoreTarget(from: app)
            defer { try? FileManager.default.removeItem(atPath: restored.dataDirectory) }
            let restoredManifest = try await Backup.restore(
                from: backup, into: restored, emptyDatabase: true,
                knownMigrations: ConcordDatabaseState.knownMigrations)

            // validate
            let (numbers, pending) = try await Self.read(restored)
            #expect(manifest == restoredManifest)
            #expect(manifest.database == app.concord.database.kind)
            #expect(writtenDuring > 0, "the writers went on during the backup")
            #expect(Set(acknowledgedBefore).isSubset(of: Set(numbers)), "every report acknowledged before is there")
            #expect(Set(numbers).count == numbers.count, "each once")
            #expect(pending == 0, "the restored schema is current")
            #expect(
                try await ForumKey(restored, gnupg: LiveGnuPG(path: restored.gpgPath)).fingerprint() == fingerprint,
                "the forum's key came along")
        }
    }

    @Test func aRestoreOverADatabaseWithDataIsRefusedAndChangesNothing() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            _ = try await TestForum.seed(app)
            let backup = FileManager.default.temporaryDirectory.appendingPathComponent(
                "concord-backup-\(UUID().uuidString).tar.gz"
            ).path
            defer { try? FileManager.default.removeItem(atPath: backup) }
            _ = try await Backup.take(app, to: backup)
            let teams = try await Team.query(on: app.db).count()
            let empty = try await ConcordDatabaseState.isEmpty(app)

            // act / validate
            await #expect(throws: ConcordError.self) {
                try await Backup.restore(
                    from: backup, into: app.concord, emptyDatabase: empty,
                    knownMigrations: ConcordDatabaseState.knownMigrations)
            }
            await #expect(throws: ConcordError.self) {
                try await Backup.restore(
                    from: "/nonexistent/backup.tar.gz", into: app.concord, emptyDatabase: true,
                    knownMigrations: ConcordDatabaseState.knownMigrations)
            }
            #expect(!empty)
            #expect(try await Team.query(on: app.db).count() == teams)
        }
    }

    static func report(_ writer: Int, _ report: Int, forum: TestForum, app: Application) async throws -> String {
        let body: [String: AnyEncodable] = [
            "title": .init("writer \(writer) report \(report)"),
            "classification": .init("information-gathering/scanner"), "tlp": .init("TLP:GREEN"),
            "observables": .init([["value": "198.51.100.\(100 + report % 20)"]]),
        ]
        let response = try await IncidentTests.report(body, as: .handler, forum: forum, app: app)
        guard response.status == .created else { throw ConcordError(.unavailable, "report: \(response.status)") }
        return try response.content.decode(IncidentDTO.self).number
    }

    /// An empty database and data folder of the same kind as `app`'s.
    static func restoreTarget(from app: Application) async throws -> ConcordConfiguration {
        var configuration = app.concord
        configuration.dataDirectory =
            FileManager.default.temporaryDirectory.appendingPathComponent(
                "concord-restored-\(UUID().uuidString)"
            ).path
        switch configuration.database {
        case .sqliteFile:
            configuration.database = .sqliteFile(
                (configuration.dataDirectory as NSString).appendingPathComponent("concord.sqlite"))
        case .postgres(let url):
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("DROP DATABASE IF EXISTS concord_restore_test").run()
            try await sql.raw("CREATE DATABASE concord_restore_test").run()
            var components = try #require(URLComponents(string: url))
            components.path = "/concord_restore_test"
            configuration.database = .postgres(try #require(components.string))
        case .sqliteMemory:
            break
        }
        return configuration
    }

    /// The incident numbers and pending migrations of the database `configuration` names.
    static func read(_ configuration: ConcordConfiguration) async throws -> ([String], Int) {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try await configure(app, with: configuration)
            let numbers = try await Incident.query(on: app.db).all().map(\.number)
            let pending = try await StartupLock.pendingMigrations(app)
            try await app.asyncShutdown()
            return (numbers, pending)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
