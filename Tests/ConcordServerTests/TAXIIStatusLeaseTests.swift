import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// No TAXII status stays pending: a large envelope's status is held by a claim whose lease its
/// instance renews; one whose instance died is stored again by another from the envelope kept
/// beside it (or failed with a message to send it again when none was kept); a taken-over claim
/// stores nothing; and a small envelope's status is written complete with its objects.
@Suite struct TAXIIStatusLeaseTests {
    /// A pending status as a large envelope of the time before envelopes were kept leaves it,
    /// its lease ending at `leaseUntil`.
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

    /// The handler's principal, as the API authenticates it.
    static func handler(on db: any Database) async throws -> Principal {
        let user = try #require(try await User.query(on: db).filter(\.$email == "handler@test.example").first())
        return Principal(
            userID: try user.requireID(), email: user.email, teamID: user.$team.id, role: user.role, scopes: nil)
    }

    /// A large envelope accepted by an instance that then died: its status and envelope stored,
    /// its lease run out.
    static func abandonedEnvelope(_ count: Int, by principal: Principal, on db: any Database) async throws
        -> TAXIIEnvelopeJobs.Claim
    {
        let objects = (0..<count).map { STIXSamples.indicator(address: "192.0.2.\($0 % 250)") }
        let body = try JSONSerialization.data(withJSONObject: ["objects": objects])
        let submissions = try TAXIIEnvelopeParser.submissions(ByteBuffer(data: body))
        let claim = try await TAXIIEnvelopeJobs.begin(
            submissions.map(\.value), envelope: ByteBuffer(data: body), in: SharingCollections.forumID, by: principal,
            now: Date(), on: db)
        try await TAXIIStatusRecord.query(on: db).filter(\.$id == claim.status.requireID())
            .set(\.$leaseUntil, to: Date().addingTimeInterval(-120)).update()
        return claim
    }

    @Test func anEnvelopeWhoseInstanceDiedIsStoredByAnother() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let forum = try await TestForum.seed(app)
            let principal = try await Self.handler(on: app.db)
            let claim = try await Self.abandonedEnvelope(1200, by: principal, on: app.db)
            let id = try claim.status.requireID()

            // act: another instance's sweep
            let recovery = try await withSecondInstance(of: app) { other in
                try await TAXIIEnvelopeJobs.recoverAbandoned(app: other)
            }
            let again = try await TAXIIEnvelopeJobs.recoverAbandoned(app: app)

            // validate: stored once, complete, the envelope forgotten
            #expect(recovery == .init(resumed: 1, failed: 0))
            #expect(again == .init(resumed: 0, failed: 0))
            let status = taxiiJSON(
                try await TAXIIClient(app: app, forum: forum, actor: .handler).get("/taxii2/forum/status/\(id)/"))
            #expect(status["status"] as? String == "complete")
            #expect(status["success_count"] as? Int == 1200 && status["pending_count"] as? Int == 0)
            #expect(try await StoredSTIXObject.query(on: app.db).count() == 1200)
            #expect(try await TAXIIEnvelope.query(on: app.db).count() == 0)
            let stored = try await StoredSTIXObject.query(on: app.db).first()
            #expect(stored?.ownerTeamID == principal.teamID)
        }
    }

    @Test func aTakenOverClaimStoresNothing() async throws {
        try await withApp { app in
            // setup: the first instance's lease ran out and another instance claimed the status
            _ = try await TestForum.seed(app)
            let principal = try await Self.handler(on: app.db)
            let first = try await Self.abandonedEnvelope(3, by: principal, on: app.db)
            let second = try #require(try await TAXIIEnvelopeJobs.claimAbandoned(first.status.requireID(), on: app.db))
            let collection = try #require(try await SharingCollections.find(SharingCollections.forumID, on: app.db))
            let envelope = try #require(try await TAXIIEnvelope.find(first.status.id, on: app.db))
            let submissions = try TAXIIEnvelopeParser.submissions(ByteBuffer(data: envelope.body))

            // act: the first instance, slow but alive, finishes its store
            await TAXIIEnvelopeJobs.process(
                submissions, claim: first, in: collection, by: .init(principal), defaultLabel: nil, app: app)

            // validate: its transaction was undone; the status is still the second claim's
            #expect(try await StoredSTIXObject.query(on: app.db).count() == 0)
            let record = try #require(try await TAXIIStatusRecord.find(first.status.id, on: app.db))
            #expect(record.status == "pending" && record.claimToken == second.token)
            #expect(try await TAXIIEnvelope.query(on: app.db).count() == 1)
        }
    }

    @Test func aStatusWithNoEnvelopeIsFailedAndAHeldOneIsLeft() async throws {
        try await withApp { app in
            // setup: one status of an instance that died, one from before leases, one still held
            let forum = try await TestForum.seed(app)
            let user = try await Self.handler(on: app.db).userID
            let now = try await DatabaseClock.now(on: app.db)
            let died = try await Self.pendingStatus(of: user, leaseUntil: now.addingTimeInterval(-1), on: app.db)
            let legacy = try await Self.pendingStatus(of: user, leaseUntil: nil, on: app.db)
            let held = try await Self.pendingStatus(
                of: user, leaseUntil: now.addingTimeInterval(TAXIIEnvelopeJobs.lease), on: app.db)

            // act
            let recovery = try await TAXIIEnvelopeJobs.recoverAbandoned(app: app)
            let handler = TAXIIClient(app: app, forum: forum, actor: .handler)
            let answer = try await handler.get("/taxii2/forum/status/\(try died.requireID())/")

            // validate
            #expect(recovery == .init(resumed: 0, failed: 2))
            let status = taxiiJSON(answer)
            #expect(status["status"] as? String == "complete")
            #expect(status["failure_count"] as? Int == 2 && status["pending_count"] as? Int == 0)
            let messages = (status["failures"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(messages == [TAXIIEnvelopeJobs.abandoned, TAXIIEnvelopeJobs.abandoned])
            #expect(try await TAXIIStatusRecord.find(legacy.id, on: app.db)?.status == "complete")
            #expect(try await TAXIIStatusRecord.find(held.id, on: app.db)?.status == "pending")
        }
    }

    @Test func aRenewedLeaseOutlivesTheSweep() async throws {
        try await withApp { app in
            // setup: a status whose lease ran out a moment ago, still being stored by its instance
            _ = try await TestForum.seed(app)
            let principal = try await Self.handler(on: app.db)
            let working = try await Self.abandonedEnvelope(2, by: principal, on: app.db)
            let now = try await DatabaseClock.now(on: app.db)

            // act: its instance renews before the sweep runs
            try await TAXIIEnvelopeJobs.renew(working, on: app.db)
            let recovery = try await TAXIIEnvelopeJobs.recoverAbandoned(app: app)

            // validate
            #expect(recovery == .init(resumed: 0, failed: 0))
            let renewed = try #require(try await TAXIIStatusRecord.find(working.status.id, on: app.db))
            #expect(renewed.status == "pending")
            #expect((renewed.leaseUntil ?? .distantPast) > now.addingTimeInterval(TAXIIEnvelopeJobs.lease - 5))
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
            #expect(try await TAXIIEnvelope.query(on: app.db).count() == 0)
        }
    }
}
