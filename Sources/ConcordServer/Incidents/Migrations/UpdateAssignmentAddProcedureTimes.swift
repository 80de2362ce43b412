import Fluent

/// Adds when each assignment was notified, first acknowledged and resolved, so the statistics
/// measure time to acknowledge and to resolve from the records (`IncidentAssignment.move`).
/// Assignments made before keep nulls and are left out of those figures.
struct UpdateAssignmentAddProcedureTimes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds one at a time.
        for column in ["notified_at", "acknowledged_at", "resolved_at"] {
            try await database.schema("incident_assignments").field(.string(column), .datetime).update()
        }
    }

    func revert(on database: any Database) async throws {
        for column in ["notified_at", "acknowledged_at", "resolved_at"] {
            try await database.schema("incident_assignments").deleteField(.string(column)).update()
        }
    }
}
