import Fluent

/// Creates `contacts`: points of contact with their OpenPGP key and what GnuPG read from it.
struct CreateContact: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Contact.schema)
            .id()
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .field("availability", .string, .required)
            .field("published", .bool, .required)
            .field("last_verified_on", .string)
            .field("pgp_key", .string)
            .field("pgp_fingerprint", .string)
            .field("pgp_user_ids", .string)
            .field("pgp_algorithm", .string)
            .field("pgp_created_at", .datetime)
            .field("pgp_expires_at", .datetime)
            .field("pgp_finding", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Contact.schema).delete()
    }
}
