import Fluent

/// Creates each team's own incident categories mapped to RSIT.
struct CreateTeamCategoryMappings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TeamCategoryMapping.schema)
            .id()
            .field("team_id", .uuid, .required, .references("teams", "id", onDelete: .cascade))
            .field("category", .string, .required)
            .field("taxonomy", .string, .required)
            .unique(on: "team_id", "category")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TeamCategoryMapping.schema).delete()
    }
}
