import Fluent
import FluentSQLiteDriver
import NIOCore
import SQLiteNIO
import Vapor

/// Readies SQLite's pooled connections: each waits up to `CONCORD_SQLITE_BUSY_TIMEOUT` for another writer
/// instead of failing (SQLite's own sleeping wait, where sqlite-nio's handler spins without end),
/// and a file database runs in write-ahead logging, so readers never wait for the writer.
///
/// Fluent keeps exactly one SQLite connection per event loop for the application's life and
/// offers no hook when it opens one, so the setup visits every event loop's connection once at
/// start-up (before anything else can use them).
enum SQLiteConnectionSetup {
    /// Applies the settings to the connection of every event loop.
    static func prepare(_ app: Application, writeAheadLog: Bool) async throws {
        let busyTimeoutMilliseconds = app.concord.sqliteBusyTimeoutMilliseconds
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(logger: app.logger, on: eventLoop) as? any SQLiteDatabase
            else { return }
            try await db.withConnection { connection in
                connection.query("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)").flatMap { _ in
                    writeAheadLog
                        ? connection.query("PRAGMA journal_mode = WAL").map { _ in () }
                        : connection.eventLoop.makeSucceededVoidFuture()
                }
            }.get()
        }
    }

    /// The busy timeout of the connection `db` runs on (tests read it from every event loop).
    static func busyTimeout(of db: any Database) async throws -> Int? {
        guard let sqlite = db as? any SQLiteDatabase else { return nil }
        guard case .integer(let value) = try await sqlite.query("PRAGMA busy_timeout").first?.column("timeout")
        else { return nil }
        return value
    }
}
