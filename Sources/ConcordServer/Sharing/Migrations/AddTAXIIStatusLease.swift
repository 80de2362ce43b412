import Fluent

/// A lease on each pending TAXII status: the instance storing a large envelope renews it while it
/// works, and a status whose lease has run out (its instance died) is failed, never left pending.
struct AddTAXIIStatusLease: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TAXIIStatusRecord.schema).field("lease_until", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TAXIIStatusRecord.schema).deleteField("lease_until").update()
    }
}
