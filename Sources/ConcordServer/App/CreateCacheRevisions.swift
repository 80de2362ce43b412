import Fluent

/// `cache_revisions`: one counter per kind of shared state (`CacheRevision`), bumped with each
/// write to it, so every instance learns that its copy is stale.
struct CreateCacheRevisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CacheRevision.table)
            .field("name", .string, .identifier(auto: false))
            .field("revision", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CacheRevision.table).delete()
    }
}
