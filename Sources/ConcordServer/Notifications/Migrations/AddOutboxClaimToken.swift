import Fluent

/// `outbox_messages.claim_token`: the token of the worker's claim that is sending the message. A
/// worker marks the message sent (or failed) only while its token is still the message's, so a
/// worker that lost its lease to another never overwrites what the other recorded.
struct AddOutboxClaimToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).field("claim_token", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).deleteField("claim_token").update()
    }
}
