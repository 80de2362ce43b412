import Fluent
import FluentSQL
import Foundation
import SQLiteNIO
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Writes that never fail for concurrency: many reporters, feed posters and a command-line import
/// writing at once on both databases (SQLite as `concord serve` runs it: a file in write-ahead
/// logging), with dense incident numbers and every event stored once.
@Suite struct ConcurrentWriteTests {
    static let writers = 8
    static let reportsPerWriter = 100
    static let feedPosters = 4
    static let postsPerPoster = 5
    static let linesPerPost = 50
    static let importLines = 10_000

    static func feedLine(_ feed: String, _ index: Int) -> String {
        // Addresses of SingCERT's and NUSCERT's prefixes and some nobody holds, each line its own event.
        let address = ["198.51.100.100", "198.51.100.113", "100.64.0.9"][index % 3]
        return FeedImportTests.line([
            "feed.name": feed, "source.ip": address, "source.port": index, "extra.n": "\(feed)-\(index)",
        ])
    }

    @Test func reportsFeedPostsAndAnImportAtOnceAllSucceedWithDenseNumbers() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let forum = try await TestForum.seed(app)
            let seeded = try #require(IncidentNumbers.parse(forum.incidentNumber))
            let importFile = FileManager.default.temporaryDirectory.appendingPathComponent(
                "concord-concurrent-\(UUID().uuidString).jsonl")
            try (0..<Self.importLines).map { Self.feedLine("cli-import", $0) }.joined(separator: "\n")
                .write(to: importFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: importFile) }

            // act: reporters and feed posters through the API, the import as the CLI runs it (its own
            // application and connections on the same database)
            let statuses = try await withThrowingTaskGroup(of: [UInt].self) { group in
                for writer in 0..<Self.writers {
                    group.addTask {
                        var statuses: [UInt] = []
                        for report in 0..<Self.reportsPerWriter {
                            let body: [String: AnyEncodable] = [
                                "title": .init("writer \(writer) report \(report)"),
                                "classification": .init("information-gathering/scanner"), "tlp": .init("TLP:GREEN"),
                                "observables": .init([["value": "198.51.100.\(100 + report % 20)"]]),
                            ]
                            let response = try await IncidentTests.report(body, as: .handler, forum: forum, app: app)
                            statuses.append(response.status.code)
                        }
                        return statuses
                    }
                }
                for poster in 0..<Self.feedPosters {
                    group.addTask {
                        var statuses: [UInt] = []
                        for post in 0..<Self.postsPerPoster {
                            let lines = (0..<Self.linesPerPost).map {
                                Self.feedLine("poster-\(poster)", post * Self.linesPerPost + $0)
                            }
                            let response = try await app.testing().send(
                                .POST, "/api/v1/feeds/events?format=intelmq", headers: forum.headers(.secretariat),
                                body: ByteBuffer(string: lines.joined(separator: "\n")), contentType: .plainText)
                            statuses.append(response.status.code)
                        }
                        return statuses
                    }
                }
                group.addTask {
                    do {
                        try await withSecondInstance(of: app) { cli in
                            _ = try await FeedFileImport.run(
                                path: importFile.path, format: "intelmq", feedName: nil, mapping: "", tlp: "TLP:AMBER",
                                app: cli, progress: { _ in })
                        }
                    } catch {
                        Issue.record("the import failed: \(String(reflecting: error))")
                        return [503]
                    }
                    return [201]
                }
                var all: [UInt] = []
                for try await part in group { all += part }
                return all
            }

            // validate
            let expectedRequests = Self.writers * Self.reportsPerWriter + Self.feedPosters * Self.postsPerPoster + 1
            #expect(statuses.count == expectedRequests)
            #expect(statuses.filter { $0 != 201 }.isEmpty, "refused: \(Set(statuses.filter { $0 != 201 }))")
            let numbers = try await Incident.query(on: app.db).all().compactMap { IncidentNumbers.parse($0.number) }
            #expect(Set(numbers.map(\.year)) == [seeded.year])
            #expect(numbers.map(\.number).sorted() == Array(1...(Self.writers * Self.reportsPerWriter + 1)))
            let events = try await StoredFeedEvent.query(on: app.db).count()
            #expect(events == Self.feedPosters * Self.postsPerPoster * Self.linesPerPost + Self.importLines)
            let groups = try await FeedGroup.query(on: app.db).all()
            let keys = groups.map { "\($0.$team.id) \($0.feedName) \($0.taxonomy) \($0.type) \($0.windowStart)" }
            #expect(Set(keys).count == groups.count)
        }
    }

    @Test func everySQLiteConnectionWaitsForTheWriterInsteadOfFailing() async throws {
        try await withApp(sqliteFile: true) { app in
            // act
            var timeouts: [Int] = []
            for eventLoop in app.eventLoopGroup.makeIterator() {
                let db = app.databases.database(logger: app.logger, on: eventLoop)
                if let db, let timeout = try await SQLiteConnectionSetup.busyTimeout(of: db) {
                    timeouts.append(timeout)
                }
            }

            // validate: on PostgreSQL there is no SQLite connection to ask
            if TestDatabase.url == nil {
                #expect(timeouts.count == System.coreCount)
                #expect(timeouts.allSatisfy { $0 == app.concord.sqliteBusyTimeoutMilliseconds })
            } else {
                #expect(timeouts.isEmpty)
            }
        }
    }

    /// A writer that holds SQLite's lock past the wait: the report is answered 503 with
    /// `Retry-After` and nothing is stored; once the lock is gone, the same report goes through.
    /// SQLite's own behaviour, so it runs on SQLite in both passes.
    @Test func aWriteRefusedForTheLockIs503WithRetryAfterAndStoresNothing() async throws {
        try await withApp(adjust: Self.sqliteFileWithShortWait) { app in
            // setup
            let forum = try await TestForum.seed(app)

            // act: another process's connection holds the write lock
            let (refused, problem) = try await withSecondInstance(of: app) { other in
                guard let sqlite = other.db as? any SQLiteDatabase else {
                    throw ConcordError(.unavailable, "no SQLite")
                }
                return try await sqlite.withConnection { connection in
                    connection.query("BEGIN IMMEDIATE").flatMap { _ in
                        connection.eventLoop.makeFutureWithTask {
                            let response = try await IncidentTests.report(
                                Self.report, as: .handler, forum: forum, app: app)
                            _ = try await connection.query("ROLLBACK").get()
                            return (response, response.body.string)
                        }
                    }
                }.get()
            }
            let accepted = try await IncidentTests.report(Self.report, as: .handler, forum: forum, app: app)

            // validate
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers.first(name: .retryAfter) == "1")
            #expect(refused.headers.first(name: .contentType) == "application/problem+json")
            #expect(problem.contains(#"problems\/busy""#))
            #expect(accepted.status == .created)
            #expect(try await Incident.query(on: app.db).count() == 2)
        }
    }

    /// A writer that must wait for another's lock waits and succeeds (on PostgreSQL for a row,
    /// on SQLite for the database).
    @Test func aWriteThatMustWaitForAnotherWaitsAndSucceeds() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let forum = try await TestForum.seed(app)

            // act: another instance holds the counter's lock for a moment while the report arrives
            let response = try await withSecondInstance(of: app) { other in
                let pending = try await other.db.writeTransaction { db in
                    guard let held = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL") }
                    try await held.raw("UPDATE incident_number_counters SET last = last").run()
                    let report = Task {
                        try await IncidentTests.report(Self.report, as: .handler, forum: forum, app: app)
                    }
                    try await Self.untilAWriterWaits(app, asking: held)
                    return report
                }
                return try await pending.value
            }

            // validate
            #expect(response.status == .created)
            #expect(try await Incident.query(on: app.db).count() == 2)
        }
    }

    /// Returns once a writer of `app` waits for a lock: on PostgreSQL a backend waiting on a row
    /// lock (asked on the lock holder's own connection, `sql`), on SQLite a writer queued for its
    /// turn (the instances share one file, so one queue).
    /// Gives up, failing, after a minute: a loaded machine may be slow to get there, but a writer
    /// that waits outside the queue (or not at all) never shows.
    static func untilAWriterWaits(_ app: Application, asking sql: any SQLDatabase) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if TestDatabase.url != nil {
                let rows = try await sql.raw(
                    """
                    SELECT count(*) AS waiting FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock'
                    """
                ).all()
                if try rows.first?.decode(column: "waiting", as: Int.self) ?? 0 > 0 { return }
            } else if SQLiteWriterTurns.of(app.db).waitingWriters > 0 {
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw ConcordError(.unavailable, "no writer waited for the held lock within a minute")
    }

    static var report: [String: AnyEncodable] {
        [
            "title": .init("while another writes"), "classification": .init("information-gathering/scanner"),
            "tlp": .init("TLP:GREEN"), "observables": .init([["value": "198.51.100.100"]]),
        ]
    }

    /// SQLite in a file whatever the pass, waiting 50 ms for a lock.
    static func sqliteFileWithShortWait(_ configuration: inout ConcordConfiguration) {
        configuration.database = .sqliteFile(
            (configuration.dataDirectory as NSString).appendingPathComponent("c.sqlite"))
        configuration.sqliteBusyTimeoutMilliseconds = 50
    }
}
