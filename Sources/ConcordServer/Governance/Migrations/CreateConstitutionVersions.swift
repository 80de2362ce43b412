import Fluent

/// Creates the constitution's versions, one row per version, numbered from 1.
struct CreateConstitutionVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ConstitutionVersion.schema)
            .id()
            .field("version", .int, .required)
            .field("effective_on", .string, .required)
            .field("rules", .string, .required)
            .field("adopted_by", .string, .required)
            .field("adopted_at", .datetime, .required)
            .field("recorded_by", .string, .required)
            .unique(on: "version")
            .unique(on: "effective_on")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ConstitutionVersion.schema).delete()
    }
}
