import Fluent

/// Creates `team_webhooks`: at most one webhook address per team.
struct CreateTeamWebhook: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TeamWebhook.schema)
            .id()
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .cascade))
            .field("url", .string, .required)
            .field("secret_version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "team_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TeamWebhook.schema).delete()
    }
}
