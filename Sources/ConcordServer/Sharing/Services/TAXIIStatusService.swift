import ConcordCore
import Fluent
import SQLiteNIO
import Vapor

/// Keeps the status resources of Add Objects requests: written `pending` before any object is
/// stored, completed with every object's outcome, and kept for a week (the standard asks for 24
/// hours at least). Each record holds its resource as the JSON it is served as, written once per
/// state, so a client polling a 10,000-object status costs a row read, not a decode and an encode.
enum TAXIIStatusService {
    static let retention: TimeInterval = 7 * 24 * 3600

    /// How long a pending status is held by the instance storing its objects without a renewal.
    static let lease: TimeInterval = 60
    /// How often that instance renews it.
    static let renewal: Duration = .seconds(20)
    /// What an abandoned envelope's objects say.
    static let abandoned = "the server restarted before storing it; send it again"

    /// A pending status for `objects`, not yet stored.
    static func pending(_ objects: [JSONValue], in collection: UUID, by principal: Principal, now: Date) throws
        -> TAXIIStatusRecord
    {
        let record = TAXIIStatusRecord()
        record.id = UUID()
        record.collectionID = collection
        record.userID = principal.userID
        record.status = "pending"
        record.requestMicroseconds = STIXTimestamp(date: now).microseconds
        record.totalCount = objects.count
        record.document = try document(of: record, pendings: objects.map(detail))
        record.createdAt = now
        return record
    }

    /// Records a pending status for a large envelope, held by this instance for `lease`, and
    /// forgets statuses past their retention.
    static func begin(
        _ objects: [JSONValue], in collection: UUID, by principal: Principal, now: Date, on database: any Database
    ) async throws -> TAXIIStatusRecord {
        let record = try pending(objects, in: collection, by: principal, now: now)
        try await database.writeTransaction { db in
            try await purge(before: now, on: db)
            record.leaseUntil = try await DatabaseClock.now(on: db).addingTimeInterval(lease)
            try await record.create(on: db)
        }
        return record
    }

    /// Stores a small envelope's status, complete, inside the transaction that stored its
    /// objects: no status of a small envelope is ever pending.
    static func store(
        _ record: TAXIIStatusRecord, _ outcome: STIXIngest.Outcome, on db: any Database
    ) async throws {
        try await purge(before: record.createdAt, on: db)
        record.status = "complete"
        record.document = try document(of: record, successes: outcome.successes, failures: outcome.failures)
        try await record.create(on: db)
    }

    private static func purge(before now: Date, on db: any Database) async throws {
        try await TAXIIStatusRecord.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-retention)).delete()
    }

    /// Marks the status complete with what became of every object.
    static func complete(_ record: TAXIIStatusRecord, _ outcome: STIXIngest.Outcome, on database: any Database)
        async throws
    {
        record.status = "complete"
        record.leaseUntil = nil
        record.document = try document(of: record, successes: outcome.successes, failures: outcome.failures)
        try await database.writeTransaction { db in try await record.save(on: db) }
    }

    /// Stores a large envelope after the 202 has gone out, renewing the status's lease while it
    /// works. A failure of the store itself fails every object, so the status never stays pending.
    static func process(
        _ submissions: [STIXIngest.Submission], status record: TAXIIStatusRecord, in collection: ResolvedCollection,
        by principal: Principal, defaultLabel: TLPLabel?, app: Application
    ) async {
        let id = record.id
        let renewing = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: renewal)
                guard !Task.isCancelled, let id else { return }
                try? await renew(id, on: app.db)
            }
        }
        defer { renewing.cancel() }
        do {
            let outcome = try await STIXIngest.add(
                submissions, to: collection, by: .init(principal), defaultLabel: defaultLabel, on: app.db)
            try await complete(record, outcome, on: app.db)
        } catch {
            // The SQLite reason (a code, never a value) says what failed; other errors only their type.
            let reason = (error as? SQLiteError).map { " (\($0.reason))" } ?? ""
            app.logger.error("TAXII add objects failed: \(String(reflecting: type(of: error)))\(reason)")
            try? await fail(record, message: "the store failed; send it again", on: app.db)
        }
    }

    /// Holds a pending status for another `lease`.
    static func renew(_ id: UUID, on database: any Database) async throws {
        try await database.writeTransaction { db in
            let until = try await DatabaseClock.now(on: db).addingTimeInterval(lease)
            try await TAXIIStatusRecord.query(on: db).filter(\.$id == id).filter(\.$status == "pending")
                .set(\.$leaseUntil, to: until).update()
        }
    }

    /// Fails every pending status whose lease has run out (its instance stopped before storing
    /// the objects), and those from before leases. Runs at start-up and every minute, on any
    /// instance: a status with a live lease is left to its instance. Answers how many it failed.
    @discardableResult
    static func failAbandoned(on database: any Database) async throws -> Int {
        let now = try await DatabaseClock.now(on: database)
        let abandoned = try await TAXIIStatusRecord.query(on: database).filter(\.$status == "pending")
            .group(.or) { $0.filter(\.$leaseUntil == nil).filter(\.$leaseUntil < now) }.all()
        for record in abandoned { try await fail(record, message: Self.abandoned, on: database) }
        return abandoned.count
    }

    /// Completes a pending status with every object it lists as failed with `message`.
    private static func fail(_ record: TAXIIStatusRecord, message: String, on database: any Database) async throws {
        struct Pendings: Decodable { let pendings: [TAXIIStatusDetail] }
        let pendings = (try? JSONDecoder().decode(Pendings.self, from: Data(record.document.utf8)))?.pendings ?? []
        var outcome = STIXIngest.Outcome()
        outcome.failures = pendings.map { TAXIIStatusDetail(id: $0.id, version: $0.version, message: message) }
        try await complete(record, outcome, on: database)
    }

    /// The status resource as JSON (TAXII 2.1 §4.3.1), keys sorted, written by hand: `JSONEncoder`
    /// took a twentieth of storing a 10,000-object envelope for its two documents.
    static func document(
        of record: TAXIIStatusRecord, successes: [TAXIIStatusDetail] = [], failures: [TAXIIStatusDetail] = [],
        pendings: [TAXIIStatusDetail] = []
    ) throws -> String {
        var json = "{\"failure_count\":\(failures.count),\"failures\":"
        append(failures, to: &json)
        json += ",\"id\":"
        JSONText.appendQuoted(try record.requireID().uuidString.lowercased(), to: &json)
        json += ",\"pending_count\":\(pendings.count),\"pendings\":"
        append(pendings, to: &json)
        json += ",\"request_timestamp\":"
        JSONText.appendQuoted(STIXTimestamp(microseconds: record.requestMicroseconds).description, to: &json)
        json += ",\"status\":"
        JSONText.appendQuoted(record.status, to: &json)
        json += ",\"success_count\":\(successes.count),\"successes\":"
        append(successes, to: &json)
        json += ",\"total_count\":\(record.totalCount)}"
        return json
    }

    private static func append(_ details: [TAXIIStatusDetail], to json: inout String) {
        json += "["
        for (index, detail) in details.enumerated() {
            json += index == 0 ? "{\"id\":" : ",{\"id\":"
            JSONText.appendQuoted(detail.id, to: &json)
            if let message = detail.message {
                json += ",\"message\":"
                JSONText.appendQuoted(message, to: &json)
            }
            if let version = detail.version {
                json += ",\"version\":"
                JSONText.appendQuoted(version, to: &json)
            }
            json += "}"
        }
        json += "]"
    }

    /// An object's id and version as a status lists it before it is stored.
    private static func detail(_ object: JSONValue) -> TAXIIStatusDetail {
        let fields = object.object ?? [:]
        let version = (fields["modified"] ?? fields["created"])?.string
        return TAXIIStatusDetail(id: fields["id"]?.string ?? "", version: version, message: nil)
    }
}
