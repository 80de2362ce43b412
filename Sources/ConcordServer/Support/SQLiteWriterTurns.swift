import Fluent
import NIOConcurrencyHelpers
import NIOCore

/// This process's SQLite writers take turns, first come first served, before they ask SQLite for
/// its one write lock.
///
/// SQLite lets one connection write at a time, and its busy handler is not fair: a connection that
/// has waited long sleeps up to 100 ms between tries, while a fresh one tries at once, so under
/// steady writing an early waiter can lose every round and time out. Queued here, the
/// application's connections never compete with each other for the lock (a waiting writer holds
/// no thread and no pooled connection), and only one of them at a time waits on SQLite for
/// another process (a `concord feed import`). PostgreSQL needs no turns: its writers wait on rows.
final class SQLiteWriterTurns: Sendable {
    private struct State {
        var writing = false
        var waiting = CircularBuffer<CheckedContinuation<Void, Never>>()
    }
    private let state = NIOLockedValueBox(State())

    private static let registry = NIOLockedValueBox([String: SQLiteWriterTurns]())

    /// The turns of the database `db` is connected to. Fluent keeps its SQLite configuration
    /// (the file, or the in-memory database's identifier) private; its description names it.
    static func of(_ db: any Database) -> SQLiteWriterTurns {
        let key = String(reflecting: db.context.configuration)
        return registry.withLockedValue { turns in
            if let existing = turns[key] { return existing }
            let created = SQLiteWriterTurns()
            turns[key] = created
            return created
        }
    }

    /// How many writers wait for their turn now.
    var waitingWriters: Int { state.withLockedValue { $0.waiting.count } }

    /// Runs `work` in this writer's turn, after every writer that asked before it.
    func inTurn<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        await take()
        defer { pass() }
        return try await work()
    }

    private func take() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let mayWrite = state.withLockedValue { state in
                guard state.writing else {
                    state.writing = true
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if mayWrite { continuation.resume() }
        }
    }

    private func pass() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard let next = state.waiting.popFirst() else {
                state.writing = false
                return nil
            }
            return next
        }
        next?.resume()
    }
}
