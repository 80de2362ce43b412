import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// No TAXII status stays pending: a large envelope's status is held by a lease its instance
/// renews, one whose instance died is failed with a message to send it again, and a small
/// envelope's status is written complete with its objects.
@Suite struct TAXIIStatusLeaseTests {
    /// A pending status as a large envelope leaves it, its lease ending at `leaseUntil`.
    static func pendingStatus(of user: UUID, leaseUntil: Date?, on db: any Database) async throws -> TAXIIStatusRecord {
        let record = TAXIIStatusRecord()
        record.id = UUID()
        record.collectionID = SharingCollections.forumID
        record.userID = user
        record.status = "pending"
        record.requestMicroseconds = STIXTimestamp(date: Date()).microseconds
        record.totalCount = 2
        record.document = try TAXIIStatusService.document(
            of: record,
            pendings: ["indicator--1", "indicator--2"].map {
                TAXIIStatusDetail(id: $0, version: "2026-11-29T00:00:00.000Z", message: nil)
            })
        record.createdAt = Date()
        record.leaseUntil = leaseUntil
        try await record.create(on: db)
        return record
    }

    @Test func aStatusWhoseInstanceDiedIsFailedAndAHeldOneIsLeft() async throws {
        try await withApp { app in
            // setup: one status of an instance that died, one from before leases, one still held
            let forum = try await TestForum.seed(app)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "handler@test.example").first())
            let now = try await DatabaseClock.now(on: app.db)
            let died = try await Self.pendingStatus(
                of: try user.requireID(), leaseUntil: now.addingTimeInterval(-1), on: app.db)
            let legacy = try await Self.pendingStatus(of: try user.requireID(), leaseUntil: nil, on: app.db)
            let held = try await Self.pendingStatus(
                of: try user.requireID(), leaseUntil: now.addingTimeInterval(TAXIIStatusService.lease), on: app.db)

            // act
            let failed = try await TAXIIStatusService.failAbandoned(on: app.db)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let answer = try await handler.get("/taxii2/forum/status/\(try died.requireID())/")

            // validate
            #expect(failed == 2)
            let status = taxiiJSON(answer)
            #expect(status["status"] as? String == "complete")
            #expect(status["failure_count"] as? Int == 2 && status["pending_count"] as? Int == 0)
            let messages = (status["failures"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(messages == [TAXIIStatusService.abandoned, TAXIIStatusService.abandoned])
            #expect(try await TAXIIStatusRecord.find(legacy.id, on: app.db)?.status == "complete")
            #expect(try await TAXIIStatusRecord.find(held.id, on: app.db)?.status == "pending")
        }
    }

    @Test func aRenewedLeaseOutlivesTheSweep() async throws {
        try await withApp { app in
            // setup: a status whose lease ran out a moment ago, still being stored by its instance
            _ = try await TestForum.seed(app)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "handler@test.example").first())
            let now = try await DatabaseClock.now(on: app.db)
            let working = try await Self.pendingStatus(
                of: try user.requireID(), leaseUntil: now.addingTimeInterval(-1), on: app.db)

            // act: its instance renews before the sweep runs
            try await TAXIIStatusService.renew(try working.requireID(), on: app.db)
            let failed = try await TAXIIStatusService.failAbandoned(on: app.db)

            // validate
            #expect(failed == 0)
            let renewed = try #require(try await TAXIIStatusRecord.find(working.id, on: app.db))
            #expect(renewed.status == "pending")
            #expect((renewed.leaseUntil ?? .distantPast) > now.addingTimeInterval(TAXIIStatusService.lease - 5))
        }
    }

    @Test func aSmallEnvelopesStatusIsStoredCompleteWithItsObjects() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)

            // act
            let answer = try await handler.add(
                [STIXSamples.indicator(), STIXSamples.indicator()], to: SharingCollections.forumID)

            // validate: one status row, complete, and no pending row was ever left behind
            #expect(answer.status == .accepted)
            let statuses = try await TAXIIStatusRecord.query(on: app.db).all()
            #expect(statuses.map(\.status) == ["complete"])
            #expect(statuses.first?.leaseUntil == nil)
            #expect(taxiiJSON(answer)["success_count"] as? Int == 2)
            #expect(try await StoredSTIXObject.query(on: app.db).count() == 2)
        }
    }
}
