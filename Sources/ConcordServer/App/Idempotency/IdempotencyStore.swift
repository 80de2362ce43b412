import Fluent
import Foundation
import SQLKit

/// Claims, answers and releases `Idempotency-Key`s (draft-ietf-httpapi-idempotency-key-header):
/// the first request with a key claims it with a pending row (the unique index decides between
/// two that arrive at once), a success stores its answer for 24 hours, and anything else lets the
/// key go, so that the client's retry runs again.
struct IdempotencyStore {
    /// How long an answer is kept for retries.
    static let window: TimeInterval = 24 * 3600
    /// How long a running first request holds its key; a request that died frees it after this.
    static let lease: TimeInterval = 60

    /// What became of a claim.
    enum Claim {
        /// This request runs; finish or release the record.
        case claimed(IdempotencyRecord)
        /// The first request succeeded: its answer.
        case replay(IdempotencyRecord)
        /// The first request with this key is still running.
        case inProgress
        /// The key was used with another request.
        case mismatch
    }

    let db: any Database
    let clock: any ConcordClock

    /// Claims `key` for the request of `digest`, or says why not.
    func claim(scope: String, key: String, digest: String) async throws -> Claim {
        let now = clock.now()
        let claimed = try await db.writeTransaction { db -> IdempotencyRecord? in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "no SQL database") }
            try await IdempotencyRecord.query(on: db).filter(\.$scope == scope).filter(\.$key == key)
                .filter(\.$createdAt < now.addingTimeInterval(-Self.window)).delete()
            let record = IdempotencyRecord()
            record.id = UUID()
            record.scope = scope
            record.key = key
            record.requestDigest = digest
            record.state = .pending
            record.leaseUntil = now.addingTimeInterval(Self.lease)
            record.createdAt = now
            // The unique index decides between two requests with the key at once, without an error.
            let inserted = try await sql.insert(into: IdempotencyRecord.schema)
                .columns("id", "scope", "key", "request_digest", "state", "lease_until", "created_at")
                .values(
                    SQLBind(record.id), SQLBind(scope), SQLBind(key), SQLBind(digest),
                    SQLBind(IdempotencyRecord.State.pending.rawValue), SQLBind(record.leaseUntil), SQLBind(now)
                )
                .ignoringConflicts(with: ["scope", "key"])
                .returning("id").all()
            guard !inserted.isEmpty else { return nil }
            return try await IdempotencyRecord.find(record.id, on: db)
        }
        if let claimed { return .claimed(claimed) }
        guard
            let existing = try await IdempotencyRecord.query(on: db).filter(\.$scope == scope)
                .filter(\.$key == key).first()
        else { return .inProgress }
        if existing.requestDigest != digest { return .mismatch }
        if existing.state == .done { return .replay(existing) }
        return try await takeOver(existing, now: now) ? .claimed(existing) : .inProgress
    }

    /// Takes over a pending key whose lease ran out; false when it is still held (or another
    /// retry took it first).
    private func takeOver(_ record: IdempotencyRecord, now: Date) async throws -> Bool {
        guard let id = record.id else { return false }
        let rows = try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return [any SQLRow]() }
            return try await sql.raw(
                """
                UPDATE \(ident: IdempotencyRecord.schema) SET lease_until = \(bind: now.addingTimeInterval(Self.lease))
                WHERE id = \(bind: id) AND state = \(bind: IdempotencyRecord.State.pending.rawValue)
                AND lease_until < \(bind: now) RETURNING id
                """
            ).all()
        }
        return !rows.isEmpty
    }

    /// Stores the first request's answer.
    func finish(_ record: IdempotencyRecord, status: Int, contentType: String?, location: String?, body: Data)
        async throws
    {
        record.state = .done
        record.status = status
        record.contentType = contentType
        record.location = location
        record.body = body
        try await db.writeTransaction { db in try await record.save(on: db) }
    }

    /// Lets the key go after a request that did not succeed.
    func release(_ record: IdempotencyRecord) async throws {
        try await db.writeTransaction { db in try await record.delete(on: db) }
    }

    /// Drops the answers older than the window (the outbox worker's housekeeping).
    static func purge(before date: Date, on db: any Database) async throws {
        try await IdempotencyRecord.query(on: db).filter(\.$createdAt < date.addingTimeInterval(-window)).delete()
    }
}
