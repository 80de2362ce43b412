import Fluent

/// `taxii_envelopes`: a large Add Objects envelope kept as it was sent until its objects are
/// stored, so another instance can store it after a crash; and `taxii_statuses.claim_token`, the
/// token of the instance storing it, which the completion must match.
struct CreateTAXIIEnvelopes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TAXIIEnvelope.schema)
            .id()
            .field("team_id", .uuid, .required)
            .field("body", .data, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(TAXIIStatusRecord.schema).field("claim_token", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TAXIIStatusRecord.schema).deleteField("claim_token").update()
        try await database.schema(TAXIIEnvelope.schema).delete()
    }
}
