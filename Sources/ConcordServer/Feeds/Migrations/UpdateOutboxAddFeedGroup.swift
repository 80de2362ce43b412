import Fluent

/// Adds `feed_group_id` to `outbox_messages`: an aggregated feed notification names its group.
struct UpdateOutboxAddFeedGroup: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema)
            .field("feed_group_id", .uuid, .references(FeedGroup.schema, "id", onDelete: .cascade))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).deleteField("feed_group_id").update()
    }
}
