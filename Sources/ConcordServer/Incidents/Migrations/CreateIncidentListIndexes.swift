import Fluent
import SQLKit

/// Indexes for `GET /incidents`: the list's order (reported time, then id, newest first, which
/// the keyset cursor walks), an assigned team's incidents and a named person's.
struct CreateIncidentListIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "incidents_by_reported_at").on(Incident.schema)
            .column("reported_at").column("id").run()
        try await sql.create(index: "incident_assignments_by_team").on(IncidentAssignment.schema)
            .column("team_id").column("incident_id").run()
        try await sql.create(index: "incident_recipients_by_user").on(IncidentRecipient.schema)
            .column("user_id").column("incident_id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in ["incidents_by_reported_at", "incident_assignments_by_team", "incident_recipients_by_user"] {
            try await sql.drop(index: index).run()
        }
    }
}
