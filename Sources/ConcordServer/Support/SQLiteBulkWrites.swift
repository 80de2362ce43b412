import Fluent
import Foundation
import SQLKit
import SQLiteNIO

/// Writing many rows at once (a feed import, a TAXII envelope): readying SQLite's connection for
/// it, and batched inserts.
enum SQLiteBulkWrites {
    /// The index pages of a large collection or import are far more than SQLite's default 2 MiB page
    /// cache; without room for them SQLite spills dirty pages to the WAL in the middle of the
    /// transaction and every insert waits for the disk. Statement journals stay in memory. Nothing
    /// to do on PostgreSQL.
    static func prepare(_ db: any Database) async throws {
        guard let sqlite = db as? any SQLiteDatabase else { return }
        _ = try await sqlite.query("PRAGMA cache_size = -262144")
        // SQLite refuses to change this once the connection has used temporary storage (a migration
        // that dropped a column did); the writes are then only slower, so that refusal is let pass.
        _ = try? await sqlite.query("PRAGMA temp_store = MEMORY")
    }

    /// A value of a bulk insert, stored as Fluent stores it on each database.
    enum Value {
        case uuid(UUID?)
        case text(String?)
        case integer(Int64)
        case bool(Bool)
        case date(Date)

        /// On SQLite: UUIDs as their text, booleans as 0 and 1, times as seconds since 1970.
        var sqlite: SQLiteData {
            switch self {
            case .uuid(let uuid): return uuid.map { .text($0.uuidString) } ?? .null
            case .text(let text): return text.map { .text($0) } ?? .null
            case .integer(let number): return .integer(Int(number))
            case .bool(let flag): return .integer(flag ? 1 : 0)
            case .date(let date): return .float(date.timeIntervalSince1970)
            }
        }

        /// Elsewhere, the driver's own encoding of the Swift value.
        var bind: SQLBind {
            switch self {
            case .uuid(let uuid): return SQLBind(uuid)
            case .text(let text): return SQLBind(text)
            case .integer(let number): return SQLBind(number)
            case .bool(let flag): return SQLBind(flag)
            case .date(let date): return SQLBind(date)
            }
        }
    }

    /// Inserts `rows` (each its values in `columns`' order) into `table`, `perStatement` rows a
    /// statement, in the caller's transaction. On SQLite with its own binds: SQLKit's `Encodable`
    /// binds and serializer cost more than SQLite's work on such batches.
    static func insert(
        into table: String, columns: [String], rows: [[Value]], perStatement: Int, on database: any Database
    ) async throws {
        let batches = stride(from: 0, to: rows.count, by: perStatement).map {
            rows[$0..<min($0 + perStatement, rows.count)]
        }
        if let sqlite = database as? any SQLiteDatabase {
            let names = columns.map { "\"\($0)\"" }.joined(separator: ",")
            let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
            for batch in batches {
                let statement =
                    "INSERT INTO \"\(table)\" (\(names)) VALUES "
                    + Array(repeating: row, count: batch.count).joined(separator: ",")
                _ = try await sqlite.query(statement, batch.flatMap { $0.map(\.sqlite) })
            }
            return
        }
        guard let sql = database as? any SQLDatabase else { throw ConcordError(.unavailable, "bulk writes need SQL") }
        for batch in batches {
            var insert = sql.insert(into: table).columns(columns)
            for row in batch { insert = insert.values(row.map(\.bind)) }
            try await insert.run()
        }
    }
}
