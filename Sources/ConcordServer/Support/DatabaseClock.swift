import Fluent
import Foundation
import SQLKit

/// The database's own time, for leases that several instances compare: every instance reads the
/// same clock, whatever its host's clock says.
enum DatabaseClock {
    /// The database's present moment (PostgreSQL's `clock_timestamp()`, SQLite's `julianday('now')`).
    static func now(on db: any Database) async throws -> Date {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "the database clock needs SQL") }
        if sql.dialect.name == "postgresql" {
            let row = try await sql.raw("SELECT extract(epoch FROM clock_timestamp())::float8 AS now").first()
            return Date(timeIntervalSince1970: try row?.decode(column: "now", as: Double.self) ?? 0)
        }
        let row = try await sql.raw("SELECT (julianday('now') - 2440587.5) * 86400.0 AS now").first()
        return Date(timeIntervalSince1970: try row?.decode(column: "now", as: Double.self) ?? 0)
    }
}
