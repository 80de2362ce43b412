import Fluent

/// Creates `constituency_entries`: prefixes, AS numbers, domains and economies per team.
struct CreateConstituencyEntry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ConstituencyEntry.schema)
            .id()
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "team_id", "kind", "value")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ConstituencyEntry.schema).delete()
    }
}
