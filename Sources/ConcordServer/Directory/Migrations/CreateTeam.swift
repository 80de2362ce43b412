import Fluent

/// Creates `teams` with their RFC 2350 profile fields.
struct CreateTeam: AsyncMigration {
    func prepare(on database: any Database) async throws {
        var builder = database.schema(Team.schema)
            .id()
            .field("slug", .string, .required)
            .field("short_name", .string, .required)
            .field("full_name", .string, .required)
            .field("host_organisation", .string, .required)
            .field("economy_id", .uuid, .required, .references(Economy.schema, "id", onDelete: .restrict))
            .field("category_id", .uuid, .required, .references(MembershipCategory.schema, "id", onDelete: .restrict))
            .field("status", .string, .required)
            .field("joined_on", .string)
            .field("may_vote_from", .string)
            .field("website", .string)
            .field("business_hours", .string, .required)
            .field("time_zone", .string, .required)
            .field("description", .string, .required)
            .field("is_secretariat", .bool, .required)
            .field("internal_notes", .string, .required)
            .field("rfc2350_updated_on", .string)
        for field in [
            "distribution", "authenticity", "constituency", "sponsorship", "authority", "policies",
            "services", "reporting_forms",
        ] {
            builder = builder.field(.string("rfc2350_\(field)"), .string, .required)
        }
        try await builder
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Team.schema).delete()
    }
}
