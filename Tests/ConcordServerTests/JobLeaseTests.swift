import Fluent
import FluentSQL
import Foundation
import Testing

@testable import ConcordServer

/// Periodic jobs with several instances on one database: one instance holds each job's lease and
/// renews it; the others skip until it runs out, then one of them takes the job over.
@Suite struct JobLeaseTests {
    @Test func oneInstanceHoldsAJobUntilItsLeaseRunsOutThenAnotherTakesItOver() async throws {
        try await withApp(sqliteFile: true) { app in
            try await withSecondInstance(of: app) { other in
                // act: both ask at once, several times
                let first = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for (instance, name) in [(app, "a"), (other, "b"), (app, "a"), (other, "b")] {
                        group.addTask {
                            try await JobLease.claim("surge monitor", holder: name, seconds: 60, on: instance.db)
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                let holder = try await Self.holder(of: "surge monitor", on: app.db)
                let renewed = try await JobLease.claim("surge monitor", holder: holder, seconds: 60, on: app.db)
                let loser = holder == "a" ? "b" : "a"
                let refused = try await JobLease.claim("surge monitor", holder: loser, seconds: 60, on: other.db)
                // the holder dies: its lease is left to run out (moved into the past)
                guard let sql = app.db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL") }
                try await sql.raw("UPDATE job_leases SET lease_until = lease_until - 120").run()
                let takenOver = try await JobLease.claim("surge monitor", holder: loser, seconds: 60, on: other.db)
                let oldHolder = try await JobLease.claim("surge monitor", holder: holder, seconds: 60, on: app.db)
                let otherJob = try await JobLease.claim("deadline scheduler", holder: holder, seconds: 60, on: app.db)

                // validate
                #expect(first.filter { $0 }.count == 2, "only the winner's two asks succeed: \(first)")
                #expect(renewed)
                #expect(!refused)
                #expect(takenOver)
                #expect(!oldHolder, "the old holder must not run it beside the new one")
                #expect(otherJob, "each job has its own lease")
                #expect(try await Self.holder(of: "surge monitor", on: app.db) == loser)
            }
        }
    }

    @Test func theLeaseIsMeasuredByTheDatabaseClock() async throws {
        try await withApp { app in
            // act
            #expect(try await JobLease.claim("retention", holder: "a", seconds: 90, on: app.db))
            // validate: the lease ends 90 s after the database's now
            guard let sql = app.db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL") }
            let row = try await sql.raw("SELECT lease_until FROM job_leases").first()
            let until = try #require(try row?.decode(column: "lease_until", as: Double.self))
            let now = try await DatabaseClock.now(on: app.db).timeIntervalSince1970
            #expect(abs(until - now - 90) < 5)
        }
    }

    private static func holder(of job: String, on db: any Database) async throws -> String {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL") }
        let row = try await sql.raw("SELECT holder FROM job_leases WHERE name = \(bind: job)").first()
        return try row?.decode(column: "holder", as: String.self) ?? ""
    }
}
