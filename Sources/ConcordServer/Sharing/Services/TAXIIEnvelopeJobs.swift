import ConcordCore
import Fluent
import SQLKit
import SQLiteNIO
import Vapor

/// A large Add Objects envelope is durable work. Its pending status and the envelope as sent are
/// written before the 202; the instance storing it holds the status by a claim token and a lease
/// from the database clock, renewed while it works; the objects, the completed status and the
/// envelope's deletion commit in one transaction, which refuses to commit when the claim is no
/// longer that instance's. When an instance dies, any instance's sweep claims the status once its
/// lease has run out and stores the envelope again from the start.
enum TAXIIEnvelopeJobs {
    /// How long a pending status is held by the instance storing its objects without a renewal.
    static let lease: TimeInterval = 60
    /// How often that instance renews it.
    static let renewal: Duration = .seconds(20)
    /// What the objects of an envelope that cannot be stored again (none was kept) say.
    static let abandoned = "the server restarted before storing it; send it again"

    /// A pending status held by one instance, and the token its completion must carry.
    struct Claim: Sendable {
        let status: TAXIIStatusRecord
        let token: String
    }

    /// What a sweep did.
    struct Recovery: Sendable, Equatable {
        var resumed = 0
        var failed = 0
    }

    /// The claim was taken over by another instance (its lease ran out): this one stores nothing.
    struct ClaimLost: Error {}

    /// Records a pending status for a large envelope and the envelope itself, held by this
    /// instance for `lease`, and forgets statuses past their retention.
    static func begin(
        _ objects: [JSONValue], envelope body: ByteBuffer, in collection: UUID, by principal: Principal, now: Date,
        on database: any Database
    ) async throws -> Claim {
        let record = try TAXIIStatusService.pending(objects, in: collection, by: principal, now: now)
        let token = UUID().uuidString.lowercased()
        let envelope = TAXIIEnvelope()
        envelope.id = record.id
        envelope.teamID = principal.teamID
        envelope.body = Data(buffer: body)
        envelope.createdAt = now
        try await database.writeTransaction { db in
            try await TAXIIStatusService.purge(before: now, on: db)
            record.leaseUntil = try await DatabaseClock.now(on: db).addingTimeInterval(lease)
            record.claimToken = token
            try await record.create(on: db)
            try await envelope.create(on: db)
        }
        return Claim(status: record, token: token)
    }

    /// Stores the envelope's objects, renewing the claim's lease while it works. A failure of the
    /// store itself fails every object, so the status never stays pending; a lost claim leaves the
    /// status to the instance that took it.
    static func process(
        _ submissions: [STIXIngest.Submission], claim: Claim, in collection: ResolvedCollection,
        by owner: STIXIngest.Owner, defaultLabel: TLPLabel?, app: Application
    ) async {
        let renewing = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: renewal)
                guard !Task.isCancelled else { return }
                try? await renew(claim, on: app.db)
            }
        }
        defer { renewing.cancel() }
        do {
            _ = try await STIXIngest.add(
                submissions, to: collection, by: owner, defaultLabel: defaultLabel, on: app.db, now: app.clock.now(),
                whenStored: { outcome, db in try await complete(claim, outcome, on: db) })
        } catch is ClaimLost {
            app.logger.warning("TAXII envelope taken over by another instance after its lease ran out")
        } catch {
            // The SQLite reason (a code, never a value) says what failed; other errors only their type.
            let reason = (error as? SQLiteError).map { " (\($0.reason))" } ?? ""
            app.logger.error("TAXII add objects failed: \(String(reflecting: type(of: error)))\(reason)")
            try? await app.db.writeTransaction { db in
                try await fail(claim, message: "the store failed; send it again", on: db)
            }
        }
    }

    /// Holds the claim's status for another `lease`, if it is still the claim's.
    static func renew(_ claim: Claim, on database: any Database) async throws {
        try await database.writeTransaction { db in
            let until = try await DatabaseClock.now(on: db).addingTimeInterval(lease)
            try await TAXIIStatusRecord.query(on: db).filter(\.$id == claim.status.requireID())
                .filter(\.$status == "pending").filter(\.$claimToken == claim.token)
                .set(\.$leaseUntil, to: until).update()
        }
    }

    /// Stores every pending status whose lease has run out (its instance stopped before storing
    /// the objects) again from its kept envelope, and fails those with none kept (from before
    /// envelopes were kept, or whose collection is gone). Runs at start-up and every minute, on
    /// any instance: a status with a live lease is left to its instance.
    static func recoverAbandoned(app: Application) async throws -> Recovery {
        let now = try await DatabaseClock.now(on: app.db)
        let due = try await TAXIIStatusRecord.query(on: app.db).filter(\.$status == "pending")
            .group(.or) { $0.filter(\.$leaseUntil == nil).filter(\.$leaseUntil < now) }.all(\.$id)
        var recovery = Recovery()
        for id in due {
            guard let claim = try await claimAbandoned(id, on: app.db) else { continue }
            guard let envelope = try await TAXIIEnvelope.find(id, on: app.db),
                let collection = try await SharingCollections.find(claim.status.collectionID, on: app.db),
                let submissions = try? TAXIIEnvelopeParser.submissions(ByteBuffer(data: envelope.body))
            else {
                try await app.db.writeTransaction { db in try await fail(claim, message: abandoned, on: db) }
                recovery.failed += 1
                continue
            }
            app.logger.notice("resuming a TAXII envelope of \(submissions.count) objects left by a stopped instance")
            await process(
                submissions, claim: claim, in: collection,
                by: .init(team: envelope.teamID, user: claim.status.userID),
                defaultLabel: app.concord.sharingDefaultLabel, app: app)
            recovery.resumed += 1
        }
        return recovery
    }

    /// Takes a pending status whose lease has run out by the database clock; nil when another
    /// instance holds it or has completed it.
    static func claimAbandoned(_ id: UUID, on database: any Database) async throws -> Claim? {
        let token = UUID().uuidString.lowercased()
        return try await database.writeTransaction { db in
            let sql = try sqlDatabase(db)
            let clock = try await DatabaseClock.now(on: db)
            let rows = try await sql.raw(
                """
                UPDATE taxii_statuses SET lease_until = \(bind: clock.addingTimeInterval(lease)),
                    claim_token = \(bind: token)
                WHERE id = (SELECT id FROM taxii_statuses WHERE id = \(bind: id) AND status = 'pending'
                    AND (lease_until IS NULL OR lease_until < \(bind: clock))
                    \(unsafeRaw: sql.dialect.name == "postgresql" ? "FOR UPDATE SKIP LOCKED" : ""))
                RETURNING id
                """
            ).all()
            guard !rows.isEmpty, let record = try await TAXIIStatusRecord.find(id, on: db) else { return nil }
            return Claim(status: record, token: token)
        }
    }

    /// Completes the claim's status with what became of every object and forgets its envelope,
    /// in the transaction `db`; throws `ClaimLost`, undoing that transaction, when the status is
    /// no longer the claim's.
    static func complete(_ claim: Claim, _ outcome: STIXIngest.Outcome, on db: any Database) async throws {
        let sql = try sqlDatabase(db)
        let id = try claim.status.requireID()
        let record = claim.status
        record.status = "complete"
        let document = try TAXIIStatusService.document(
            of: record, successes: outcome.successes, failures: outcome.failures)
        let rows = try await sql.raw(
            """
            UPDATE taxii_statuses SET status = 'complete', document = \(bind: document), lease_until = NULL,
                claim_token = NULL
            WHERE id = \(bind: id) AND status = 'pending' AND claim_token = \(bind: claim.token)
            RETURNING id
            """
        ).all()
        guard !rows.isEmpty else { throw ClaimLost() }
        record.document = document
        try await TAXIIEnvelope.query(on: db).filter(\.$id == id).delete()
    }

    /// Completes the claim's status with every object it lists as failed with `message`.
    static func fail(_ claim: Claim, message: String, on db: any Database) async throws {
        struct Pendings: Decodable { let pendings: [TAXIIStatusDetail] }
        let document = Data(claim.status.document.utf8)
        let pendings = (try? JSONDecoder().decode(Pendings.self, from: document))?.pendings ?? []
        var outcome = STIXIngest.Outcome()
        outcome.failures = pendings.map { TAXIIStatusDetail(id: $0.id, version: $0.version, message: message) }
        try await complete(claim, outcome, on: db)
    }

    /// The database as SQL, which the claims' conditional updates need.
    private static func sqlDatabase(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "TAXII needs SQL") }
        return sql
    }
}
