import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Three instances on one database: a directory change made through one is answered by the
/// other two within a second, both ways (the revision poll on SQLite; LISTEN/NOTIFY on PostgreSQL).
/// A latency test: `scripts/test` runs it in a lane of its own, not beside the whole suite.
@Suite(.serialized) struct SharedRoutingTests {
    static let address = "2001:db8:900::1"

    @Test func aConstituencyAddedOnOneInstanceRoutesOnTheOthersWithinASecond() async throws {
        try await withApp(sqliteFile: true) { a in
            useRevisionWatch(a)
            try await a.asyncBoot()
            let forum = try await TestForum.seed(a)
            let admin = forum.headers(.teamAdmin)
            try await Self.withWatchingInstance(of: a) { b in
                try await Self.withWatchingInstance(of: a) { c in
                    // setup: B and C have read the directory and route the address to the secretariat
                    for instance in [b, c] {
                        #expect(try await Self.owner(on: instance, headers: admin) == "secretariat")
                    }

                    // act: SingCERT takes the prefix on A
                    let add = try await a.testing().send(
                        .POST, "/api/v1/teams/singcert/constituency", headers: admin,
                        body: json(["kind": "prefix", "value": "2001:db8:900::/40"]))
                    let added = try await Self.secondsUntil([b, c], answer: "singcert", headers: admin)
                    // act: and gives it back, on A again
                    let remove = try await a.testing().send(
                        .DELETE, "/api/v1/teams/singcert/constituency?kind=prefix&value=2001:db8:900::/40",
                        headers: admin)
                    let removed = try await Self.secondsUntil([b, c], answer: "secretariat", headers: admin)

                    // validate
                    print(
                        "shared routing (\(a.concord.database.kind)): added after \(added) s, removed after \(removed) s"
                    )
                    #expect(add.status == .created && remove.status == .noContent)
                    #expect(added < 1, "B and C route to the new owner after \(added) s")
                    #expect(removed < 1, "B and C route back after \(removed) s")
                }
            }
        }
    }

    @Test func everyDirectoryWriteBumpsTheRevisionInItsTransaction() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let before = try await CacheRevision.directory.current(on: app.db)
            let outboxBefore = try await CacheRevision.outbox.current(on: app.db)

            // act: a contact added, then a write whose transaction fails after the directory write
            let contact = ContactInput(
                kind: .generalEmail, value: "noc@singcert.example", availability: .always,
                published: true, lastVerifiedOn: nil, pgpKey: nil)
            let added = try await app.testing().send(
                .POST, "/api/v1/teams/singcert/contacts", headers: forum.headers(.secretariat), body: json(contact))
            let afterAdd = try await CacheRevision.directory.current(on: app.db)
            await #expect(throws: ConcordError.self) {
                try await app.db.writeTransaction { db in
                    try await Economy(name: "Atlantis", isoCode: "AQ").create(on: db)
                    throw ConcordError(.conflict, "rolled back")
                }
            }
            let afterRollback = try await CacheRevision.directory.current(on: app.db)
            let outboxAfter = try await CacheRevision.outbox.current(on: app.db)

            // validate
            #expect(added.status == .created)
            #expect(afterAdd > before)
            #expect(afterRollback == afterAdd, "a rolled-back write leaves the revision as it was")
            #expect(try await Economy.query(on: app.db).filter(\.$name == "Atlantis").count() == 0)
            #expect(outboxAfter == outboxBefore, "no notification was queued")
        }
    }

    /// Another instance on `app`'s database that watches the revisions, as `concord serve` does.
    static func withWatchingInstance(of app: Application, _ body: (Application) async throws -> Void)
        async throws
    {
        try await withSecondInstance(of: app) { other in
            useRevisionWatch(other)
            try await other.asyncBoot()
            try await body(other)
        }
    }

    static func owner(on app: Application, headers: HTTPHeaders) async throws -> String? {
        let answer = try await app.testing().send(.GET, "/api/v1/lookup?ip=\(address)", headers: headers)
        let result = try answer.content.decode(LookupResultDTO.self)
        return result.matches.first.map { $0.basis == "secretariat" ? "secretariat" : $0.team.slug }
    }

    /// Seconds until every instance answers `slug` for the address; gives up after 5 s.
    static func secondsUntil(_ instances: [Application], answer slug: String, headers: HTTPHeaders) async throws
        -> Double
    {
        let clock = ContinuousClock()
        let start = clock.now
        var waiting = instances
        while !waiting.isEmpty, clock.now - start < .seconds(5) {
            var still: [Application] = []
            for instance in waiting where try await owner(on: instance, headers: headers) != slug {
                still.append(instance)
            }
            waiting = still
            if !waiting.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
