import Fluent

/// Creates `economies`: the forum's member economies.
struct CreateEconomy: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Economy.schema)
            .id()
            .field("name", .string, .required)
            .field("iso_code", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name")
            .unique(on: "iso_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Economy.schema).delete()
    }
}
