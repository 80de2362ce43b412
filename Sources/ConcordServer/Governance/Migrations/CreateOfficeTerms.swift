import Fluent

/// Creates the terms of the forum's offices, its history of office holders.
struct CreateOfficeTerms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OfficeTerm.schema)
            .id()
            .field("office", .string, .required)
            .field("seat_class", .int)
            .field("team_id", .uuid, .required, .references(Team.schema, "id"))
            .field("holder", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("source", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OfficeTerm.schema).delete()
    }
}
