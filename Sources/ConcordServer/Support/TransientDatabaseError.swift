import AsyncKit
import FluentPostgresDriver
import SQLiteNIO

/// Database errors that say "not now" rather than "not this": another writer held the lock past
/// the wait, a serialization failure or deadlock that PostgreSQL broke, or no pooled connection
/// free in time. They answer 503 with `Retry-After`, never 500; retrying the same request is right.
enum TransientDatabaseError {
    /// SQLSTATEs of serialization failure, deadlock, lock not available, too many connections,
    /// and an administrator's or the server's shutdown.
    static let postgresStates: Set<String> = ["40001", "40P01", "55P03", "53300", "57P01", "57P03"]

    /// `ConcordError.busy` for a transient error, nil for any other.
    static func busy(for error: any Error) -> ConcordError? {
        switch error {
        case let sqlite as SQLiteError:
            switch sqlite.reason {
            case .busy, .locked, .busyInRecovery, .busyInSnapshot, .busyTimeout, .lockedBySharedCache:
                return .busy
            default: return nil
            }
        case let postgres as PSQLError:
            guard let state = postgres.serverInfo?[.sqlState], postgresStates.contains(state) else { return nil }
            return .busy
        case is ConnectionPoolTimeoutError:
            return .busy
        default:
            return nil
        }
    }
}
