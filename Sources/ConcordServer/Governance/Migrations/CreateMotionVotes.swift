import Fluent

/// Creates the named votes on motions: one per team and motion.
struct CreateMotionVotes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MotionVote.schema)
            .id()
            .field("motion_id", .uuid, .required, .references(Motion.schema, "id", onDelete: .cascade))
            .field("team_id", .uuid, .required, .references(Team.schema, "id", onDelete: .restrict))
            .field("choice", .string, .required)
            .field("proxy_team_id", .uuid, .references(Team.schema, "id", onDelete: .restrict))
            .field("cast_by", .string, .required)
            .field("cast_at", .datetime, .required)
            .unique(on: "motion_id", "team_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MotionVote.schema).delete()
    }
}
