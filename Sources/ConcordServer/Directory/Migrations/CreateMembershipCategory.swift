import Fluent

/// Creates `membership_categories`: the categories the forum configures and their rights.
struct CreateMembershipCategory: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MembershipCategory.schema)
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("may_vote", .bool, .required)
            .field("takes_part_in_drills", .bool, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MembershipCategory.schema).delete()
    }
}
