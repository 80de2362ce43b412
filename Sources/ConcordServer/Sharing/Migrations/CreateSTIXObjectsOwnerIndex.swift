import Fluent
import SQLKit

/// Indexes `stix_objects` by the team that shared them, newest first, for the sharing page's
/// "shared by your team" (otherwise a scan of every collection).
struct CreateSTIXObjectsOwnerIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "stix_objects_by_owner").on(StoredSTIXObject.schema)
            .column("owner_team_id").column("date_added_us").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "stix_objects_by_owner").run()
    }
}
