import ConcordCore
import Fluent
import Vapor

/// Keeps the status resources of Add Objects requests: written `pending` before any object is
/// stored, completed with every object's outcome, and kept for a week (the standard asks for 24
/// hours at least). Each record holds its resource as the JSON it is served as, written once per
/// state, so a client polling a 10,000-object status costs a row read, not a decode and an encode.
enum TAXIIStatusService {
    static let retention: TimeInterval = 7 * 24 * 3600

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

    /// Forgets statuses past their retention, and envelopes nothing stored in that time.
    static func purge(before now: Date, on db: any Database) async throws {
        try await TAXIIStatusRecord.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-retention)).delete()
        try await TAXIIEnvelope.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-retention)).delete()
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
    static func detail(_ object: JSONValue) -> TAXIIStatusDetail {
        let fields = object.object ?? [:]
        let version = (fields["modified"] ?? fields["created"])?.string
        return TAXIIStatusDetail(id: fields["id"]?.string ?? "", version: version, message: nil)
    }
}
