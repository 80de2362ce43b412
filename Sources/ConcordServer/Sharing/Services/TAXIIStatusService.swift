import ConcordCore
import Fluent
import Vapor

/// Keeps the status resources of Add Objects requests: written `pending` before any object is
/// stored, completed with every object's outcome, and kept for a week (the standard asks for 24
/// hours at least).
enum TAXIIStatusService {
    static let retention: TimeInterval = 7 * 24 * 3600

    /// Records a pending status for `objects`, and forgets statuses past their retention.
    static func begin(_ objects: [JSONValue], in collection: UUID, by principal: Principal, on database: any Database)
        async throws -> TAXIIStatusRecord
    {
        try await TAXIIStatusRecord.query(on: database)
            .filter(\.$createdAt < Date().addingTimeInterval(-retention)).delete()
        let now = Date()
        let record = TAXIIStatusRecord()
        record.collectionID = collection
        record.userID = principal.userID
        record.status = "pending"
        record.requestMicroseconds = STIXTimestamp(date: now).microseconds
        record.totalCount = objects.count
        record.successes = "[]"
        record.failures = "[]"
        record.pendings = try encode(
            objects.map { object in
                let fields = object.object ?? [:]
                let version = (fields["modified"] ?? fields["created"])?.string
                return TAXIIStatusDetail(id: fields["id"]?.string ?? "", version: version, message: nil)
            })
        record.createdAt = now
        try await record.create(on: database)
        return record
    }

    /// Marks the status complete with what became of every object.
    static func complete(_ record: TAXIIStatusRecord, _ outcome: STIXIngest.Outcome, on database: any Database)
        async throws
    {
        record.status = "complete"
        record.successes = try encode(outcome.successes)
        record.failures = try encode(outcome.failures)
        record.pendings = "[]"
        try await record.save(on: database)
    }

    /// Stores a large envelope after the 202 has gone out. A failure of the store itself fails
    /// every object, so the status never stays pending.
    static func process(
        _ objects: [JSONValue], status record: TAXIIStatusRecord, in collection: ResolvedCollection,
        by principal: Principal, defaultLabel: TLPLabel?, app: Application
    ) async {
        do {
            let outcome = try await STIXIngest.add(
                objects, to: collection, by: .init(principal), defaultLabel: defaultLabel, on: app.db)
            try await complete(record, outcome, on: app.db)
        } catch {
            app.logger.error("TAXII add objects failed: \(String(reflecting: type(of: error)))")
            var outcome = STIXIngest.Outcome()
            outcome.failures =
                (try? decode(record.pendings))?.map {
                    TAXIIStatusDetail(id: $0.id, version: $0.version, message: "the store failed; send it again")
                } ?? []
            try? await complete(record, outcome, on: app.db)
        }
    }

    /// The TAXII status resource of a record.
    static func resource(_ record: TAXIIStatusRecord) throws -> TAXIIStatus {
        let successes = try decode(record.successes)
        let failures = try decode(record.failures)
        let pendings = try decode(record.pendings)
        return TAXIIStatus(
            id: try record.requireID().uuidString.lowercased(), status: record.status,
            requestTimestamp: STIXTimestamp(microseconds: record.requestMicroseconds).description,
            totalCount: record.totalCount, successCount: successes.count, successes: successes,
            failureCount: failures.count, failures: failures, pendingCount: pendings.count, pendings: pendings)
    }

    private static func encode(_ details: [TAXIIStatusDetail]) throws -> String {
        String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
    }

    private static func decode(_ text: String) throws -> [TAXIIStatusDetail] {
        try JSONDecoder().decode([TAXIIStatusDetail].self, from: Data(text.utf8))
    }
}
