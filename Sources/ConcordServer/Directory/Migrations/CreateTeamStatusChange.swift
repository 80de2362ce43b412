import Fluent

/// Creates `team_status_changes`: the dated history of each team's status.
struct CreateTeamStatusChange: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TeamStatusChange.schema)
            .id()
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("effective_on", .string, .required)
            .field("note", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TeamStatusChange.schema).delete()
    }
}
