import Fluent
import Foundation
import SQLiteNIO

/// Readies a transaction's SQLite connection for writing many rows at once (a feed import, a TAXII
/// envelope). Nothing to do on PostgreSQL.
enum SQLiteBulkWrites {
    /// The index pages of a large collection or import are far more than SQLite's default 2 MiB page
    /// cache; without room for them SQLite spills dirty pages to the WAL in the middle of the
    /// transaction and every insert waits for the disk. Statement journals stay in memory.
    static func prepare(_ db: any Database) async throws {
        guard let sqlite = db as? any SQLiteDatabase else { return }
        _ = try await sqlite.query("PRAGMA cache_size = -262144")
        // SQLite refuses to change this once the connection has used temporary storage (a migration
        // that dropped a column did); the writes are then only slower, so that refusal is let pass.
        _ = try? await sqlite.query("PRAGMA temp_store = MEMORY")
    }
}

extension SQLiteBulkWrites {
    /// Inserts `rows` (each its values in `columns`' order) into `table`, `perStatement` rows a
    /// statement, with SQLite's own binds: SQLKit's `Encodable` binds and serializer cost more than
    /// SQLite's work on such batches. The values must be what Fluent would store: UUIDs as their
    /// text, booleans as 0 and 1, times as seconds since 1970 (`value(_:)`).
    static func insert(
        into table: String, columns: [String], rows: [[SQLiteData]], perStatement: Int, on sqlite: any SQLiteDatabase
    ) async throws {
        let names = columns.map { "\"\($0)\"" }.joined(separator: ",")
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let batch = rows[start..<min(start + perStatement, rows.count)]
            let statement =
                "INSERT INTO \"\(table)\" (\(names)) VALUES "
                + Array(repeating: row, count: batch.count).joined(separator: ",")
            _ = try await sqlite.query(statement, Array(batch.joined()))
        }
    }

    static func value(_ uuid: UUID?) -> SQLiteData { uuid.map { .text($0.uuidString) } ?? .null }
    static func value(_ text: String?) -> SQLiteData { text.map { .text($0) } ?? .null }
    static func value(_ flag: Bool) -> SQLiteData { .integer(flag ? 1 : 0) }
    static func value(_ number: Int64) -> SQLiteData { .integer(Int(number)) }
    static func value(_ date: Date) -> SQLiteData { .float(date.timeIntervalSince1970) }
}
