import Fluent
import FluentSQL

/// Creates `feed_imports`, `feed_groups` and `feed_events` (with the index the aggregated
/// notifications read by).
struct CreateFeedTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FeedImport.schema)
            .id()
            .field("source", .string, .required)
            .field("format", .string, .required)
            .field("tlp", .string, .required)
            .field("imported_by", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("lines", .int, .required)
            .field("stored", .int, .required)
            .field("duplicates", .int, .required)
            .field("malformed", .int, .required)
            .field("triaged", .int, .required)
            .field("errors", .string, .required)
            .create()
        try await database.schema(FeedGroup.schema)
            .id()
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .cascade))
            .field("feed_name", .string, .required)
            .field("taxonomy", .string, .required)
            .field("type", .string, .required)
            .field("tlp", .string, .required)
            .field("window_start", .datetime, .required)
            .field("window_end", .datetime, .required)
            .unique(on: "team_id", "feed_name", "taxonomy", "type", "window_start")
            .create()
        try await database.schema(StoredFeedEvent.schema)
            .field("fingerprint", .string, .identifier(auto: false))
            .field("import_id", .uuid, .required)
            .field("feed_name", .string, .required)
            .field("feed_provider", .string)
            .field("taxonomy", .string, .required)
            .field("type", .string, .required)
            .field("identifier", .string)
            .field("source_ip", .string)
            .field("source_asn", .int64)
            .field("source_fqdn", .string)
            .field("source_port", .int)
            .field("source_cc", .string)
            .field("time_source", .datetime)
            .field("received_at", .datetime, .required)
            .field("team_id", .uuid)
            .field("group_id", .uuid)
            .field("extra", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "feed_events_group").on(StoredFeedEvent.schema).column("group_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StoredFeedEvent.schema).delete()
        try await database.schema(FeedGroup.schema).delete()
        try await database.schema(FeedImport.schema).delete()
    }
}
