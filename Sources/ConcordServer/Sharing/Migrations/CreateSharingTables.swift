import Fluent
import Foundation
import SQLKit

/// Creates the STIX store: collections (with the forum-wide one), group members, object versions,
/// TAXII statuses and the delivery log. The unique keys double as the indexes TAXII reads by: paging order
/// (collection, date_added, version key) and versions of an id (collection, id, version).
struct CreateSharingTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SharingCollection.schema)
            .id()
            .field("kind", .string, .required)
            .field("team_id", .uuid)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("last_added_us", .int64, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "team_id")
            .create()
        try await database.schema(SharingGroupMember.schema)
            .id()
            .field("collection_id", .uuid, .required, .references(SharingCollection.schema, "id", onDelete: .cascade))
            .field("team_id", .uuid, .required)
            .unique(on: "collection_id", "team_id")
            .create()
        try await database.schema(StoredSTIXObject.schema)
            .id()
            .field("collection_id", .uuid, .required, .references(SharingCollection.schema, "id"))
            .field("stix_id", .string, .required)
            .field("stix_type", .string, .required)
            .field("spec_version", .string, .required)
            .field("version_us", .int64, .required)
            .field("date_added_us", .int64, .required)
            .field("version_key", .string, .required)
            .field("is_first", .bool, .required)
            .field("is_last", .bool, .required)
            .field("created_by_ref", .string)
            .field("tlp", .string, .required)
            .field("owner_team_id", .uuid, .required)
            .field("owner_user_id", .uuid)
            .field("revoked", .bool, .required)
            .field("body", .string, .required)
            .unique(on: "collection_id", "date_added_us", "version_key")
            .unique(on: "collection_id", "stix_id", "version_us")
            .create()
        try await database.schema(TAXIIStatusRecord.schema)
            .id()
            .field("collection_id", .uuid, .required)
            .field("user_id", .uuid, .required)
            .field("status", .string, .required)
            .field("request_us", .int64, .required)
            .field("total_count", .int, .required)
            .field("successes", .string, .required)
            .field("failures", .string, .required)
            .field("pendings", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(STIXDelivery.schema)
            .id()
            .field("owner_team_id", .uuid, .required)
            .field("recipient_team_id", .uuid, .required)
            .field("recipient_user_id", .uuid, .required)
            .field("channel", .string, .required)
            .field("delivered_at", .datetime, .required)
            .field("count", .int, .required)
            .field("objects", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "stix_deliveries_by_owner").on(STIXDelivery.schema)
                .column("owner_team_id").column("delivered_at").run()
        }
        try await SharingCollection(
            id: SharingCollections.forumID, kind: .forum, teamID: nil, title: "Forum-wide",
            summary: "TLP:CLEAR and TLP:GREEN objects for every member team"
        ).create(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(STIXDelivery.schema).delete()
        try await database.schema(TAXIIStatusRecord.schema).delete()
        try await database.schema(StoredSTIXObject.schema).delete()
        try await database.schema(SharingGroupMember.schema).delete()
        try await database.schema(SharingCollection.schema).delete()
    }
}
