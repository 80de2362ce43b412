import Fluent

/// Bumps `revision` in the same transaction as every create, update or delete of a `Watched`
/// model, so no write can commit without the other instances learning of it. A write made outside
/// a transaction gets one of its own, holding the write and the bump. With `createsOnly`, only
/// new rows bump it (the outbox: a new message wakes the workers; marking one sent need not).
struct RevisionBumping<Watched: Model>: AsyncModelMiddleware {
    typealias Model = Watched
    let revision: CacheRevision
    var createsOnly = false

    func create(model: Watched, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await bumping(on: db) { try await next.create(model, on: $0) }
    }

    func update(model: Watched, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        guard !createsOnly else { return try await next.update(model, on: db) }
        try await bumping(on: db) { try await next.update(model, on: $0) }
    }

    func delete(model: Watched, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        guard !createsOnly else { return try await next.delete(model, force: force, on: db) }
        try await bumping(on: db) { try await next.delete(model, force: force, on: $0) }
    }

    func softDelete(model: Watched, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        guard !createsOnly else { return try await next.softDelete(model, on: db) }
        try await bumping(on: db) { try await next.softDelete(model, on: $0) }
    }

    func restore(model: Watched, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        guard !createsOnly else { return try await next.restore(model, on: db) }
        try await bumping(on: db) { try await next.restore(model, on: $0) }
    }

    private func bumping(on db: any Database, _ write: @escaping @Sendable (any Database) async throws -> Void)
        async throws
    {
        let revision = revision
        try await db.writeTransaction { db in
            try await write(db)
            try await revision.bump(on: db)
        }
    }
}
