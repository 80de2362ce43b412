import Fluent

/// Creates `idempotency_keys`, one row per (client, key), so that a retried POST is answered
/// from its first run instead of being carried out twice.
struct CreateIdempotencyKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IdempotencyRecord.schema)
            .id()
            .field("scope", .string, .required)
            .field("key", .string, .required)
            .field("request_digest", .string, .required)
            .field("state", .string, .required)
            .field("lease_until", .datetime, .required)
            .field("status", .int)
            .field("content_type", .string)
            .field("location", .string)
            .field("body", .data)
            .field("created_at", .datetime, .required)
            .unique(on: "scope", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IdempotencyRecord.schema).delete()
    }
}
