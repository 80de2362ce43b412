import Fluent
import Foundation
import SQLKit
import SQLiteNIO

/// A new row of `stix_objects`, written with SQLKit in batches: Fluent's model inserts spent most
/// of a 10,000-object envelope reflecting over each model's properties.
struct STIXObjectRow: Sendable {
    var collectionID: UUID
    var stixID: String
    var type: String
    var specVersion: String
    var versionMicroseconds: Int64
    var dateAddedMicroseconds: Int64
    var versionKey: String
    var isFirst = false
    var isLast = false
    var createdByRef: String?
    var tlp: String
    var ownerTeamID: UUID
    var ownerUserID: UUID?
    var revoked: Bool
    var body: String

    /// Rows per statement: 15 parameters each, well under SQLite's and PostgreSQL's limits.
    private static let batch = 500

    private static let columns = [
        "id", "collection_id", "stix_id", "stix_type", "spec_version", "version_us", "date_added_us", "version_key",
        "is_first", "is_last", "created_by_ref", "tlp", "owner_team_id", "owner_user_id", "revoked", "body",
    ]

    /// Inserts `rows`, a statement per batch, in the caller's transaction.
    static func insert(_ rows: [STIXObjectRow], on database: any Database) async throws {
        if let sqlite = database as? any SQLiteDatabase {
            typealias Bulk = SQLiteBulkWrites
            let values = rows.map { row in
                [
                    Bulk.value(UUID.timeOrdered()), Bulk.value(row.collectionID), Bulk.value(row.stixID),
                    Bulk.value(row.type),
                    Bulk.value(row.specVersion), Bulk.value(row.versionMicroseconds),
                    Bulk.value(row.dateAddedMicroseconds), Bulk.value(row.versionKey), Bulk.value(row.isFirst),
                    Bulk.value(row.isLast), Bulk.value(row.createdByRef), Bulk.value(row.tlp),
                    Bulk.value(row.ownerTeamID), Bulk.value(row.ownerUserID), Bulk.value(row.revoked),
                    Bulk.value(row.body),
                ]
            }
            try await Bulk.insert(
                into: StoredSTIXObject.schema, columns: columns, rows: values, perStatement: batch, on: sqlite)
            return
        }
        guard let sql = database as? any SQLDatabase else { throw ConcordError(.unavailable, "sharing needs SQL") }
        for start in stride(from: 0, to: rows.count, by: batch) {
            var insert = sql.insert(into: StoredSTIXObject.schema).columns(columns)
            for row in rows[start..<min(start + batch, rows.count)] {
                insert = insert.values([
                    SQLBind(UUID.timeOrdered()), SQLBind(row.collectionID), SQLBind(row.stixID), SQLBind(row.type),
                    SQLBind(row.specVersion), SQLBind(row.versionMicroseconds), SQLBind(row.dateAddedMicroseconds),
                    SQLBind(row.versionKey), SQLBind(row.isFirst), SQLBind(row.isLast), SQLBind(row.createdByRef),
                    SQLBind(row.tlp), SQLBind(row.ownerTeamID), SQLBind(row.ownerUserID), SQLBind(row.revoked),
                    SQLBind(row.body),
                ])
            }
            try await insert.run()
        }
    }
}
