import Fluent

/// Adds `acknowledgement_minutes` to `teams`: a team's own acknowledgement promise.
struct UpdateTeamAddAcknowledgementMinutes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Team.schema).field("acknowledgement_minutes", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Team.schema).deleteField("acknowledgement_minutes").update()
    }
}
