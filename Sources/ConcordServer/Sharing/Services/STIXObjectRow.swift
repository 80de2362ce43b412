import ConcordCore
import Fluent
import Foundation

/// A new row of `stix_objects`, written in batches (`SQLiteBulkWrites.insert`): Fluent's model inserts spent most
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
    var tlp: TLPLabel
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
        let values: [[SQLiteBulkWrites.Value]] = rows.map { row in
            [
                .uuid(UUID.timeOrdered()), .uuid(row.collectionID), .text(row.stixID), .text(row.type),
                .text(row.specVersion), .integer(row.versionMicroseconds), .integer(row.dateAddedMicroseconds),
                .text(row.versionKey), .bool(row.isFirst), .bool(row.isLast), .text(row.createdByRef),
                .text(row.tlp.rawValue),
                .uuid(row.ownerTeamID), .uuid(row.ownerUserID), .bool(row.revoked), .text(row.body),
            ]
        }
        try await SQLiteBulkWrites.insert(
            into: StoredSTIXObject.schema, columns: columns, rows: values, perStatement: batch, on: database)
    }
}
