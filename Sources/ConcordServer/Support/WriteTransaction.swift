import Fluent
import SQLiteNIO

extension Database {
    /// Runs `work` in a transaction that holds the write lock from its first statement.
    ///
    /// SQLite begins Fluent's transactions deferred: the first read takes a snapshot, and the first
    /// write must then upgrade it. When another connection has committed in between, the upgrade
    /// fails at once (`SQLITE_BUSY_SNAPSHOT`) and no wait helps. Here the deferred transaction,
    /// still empty, is ended and `BEGIN IMMEDIATE` takes the write lock first, waiting its turn
    /// (`busy_timeout`) like any other writer, after this process's earlier writers have had their
    /// turn (`SQLiteWriterTurns`). Fluent's own commit and rollback then end it, and
    /// transactions nested in `work` join it. PostgreSQL needs nothing: its writers wait on rows.
    /// Every write transaction in Concord goes through here (CI's lint refuses Fluent's own
    /// transaction call with a trailing closure anywhere else).
    func writeTransaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T)
        async throws -> T
    {
        guard !inTransaction, self is any SQLiteDatabase else { return try await transaction(work) }
        return try await SQLiteWriterTurns.of(self).inTurn {
            try await transaction { db in
                if let sqlite = db as? any SQLiteDatabase {
                    _ = try await sqlite.query("COMMIT TRANSACTION")
                    _ = try await sqlite.query("BEGIN IMMEDIATE TRANSACTION")
                }
                return try await work(db)
            }
        }
    }
}
