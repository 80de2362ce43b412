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

    /// Records a pending status for `objects`, and forgets statuses past their retention.
    static func begin(_ objects: [JSONValue], in collection: UUID, by principal: Principal, on database: any Database)
        async throws -> TAXIIStatusRecord
    {
        try await TAXIIStatusRecord.query(on: database)
            .filter(\.$createdAt < Date().addingTimeInterval(-retention)).delete()
        let now = Date()
        let record = TAXIIStatusRecord()
        record.id = UUID()
        record.collectionID = collection
        record.userID = principal.userID
        record.status = "pending"
        record.requestMicroseconds = STIXTimestamp(date: now).microseconds
        record.totalCount = objects.count
        record.document = try document(of: record, pendings: objects.map(detail))
        record.createdAt = now
        try await record.create(on: database)
        return record
    }

    /// Marks the status complete with what became of every object.
    static func complete(_ record: TAXIIStatusRecord, _ outcome: STIXIngest.Outcome, on database: any Database)
        async throws
    {
        record.status = "complete"
        record.document = try document(of: record, successes: outcome.successes, failures: outcome.failures)
        try await record.save(on: database)
    }

    /// Stores a large envelope after the 202 has gone out. A failure of the store itself fails
    /// every object, so the status never stays pending.
    static func process(
        _ submissions: [STIXIngest.Submission], status record: TAXIIStatusRecord, in collection: ResolvedCollection,
        by principal: Principal, defaultLabel: TLPLabel?, app: Application
    ) async {
        do {
            let outcome = try await STIXIngest.add(
                submissions, to: collection, by: .init(principal), defaultLabel: defaultLabel, on: app.db)
            try await complete(record, outcome, on: app.db)
        } catch {
            // The SQLite reason (a code, never a value) says what failed; other errors only their type.
            let reason = (error as? SQLiteError).map { " (\($0.reason))" } ?? ""
            app.logger.error("TAXII add objects failed: \(String(reflecting: type(of: error)))\(reason)")
            var outcome = STIXIngest.Outcome()
            outcome.failures = submissions.map {
                let pending = detail($0.value)
                return TAXIIStatusDetail(
                    id: pending.id, version: pending.version, message: "the store failed; send it again")
            }
            try? await complete(record, outcome, on: app.db)
        }
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
