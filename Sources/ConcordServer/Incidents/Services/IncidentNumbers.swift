import Fluent
import Foundation
import SQLKit

/// Incident numbers, `INC-<year>-<6 digits>`, from a counter row per year.
enum IncidentNumbers {
    static let schema = "incident_number_counters"

    /// Bumps the year's counter and answers the number it reached. Call it first in the report's
    /// transaction: the row's write lock orders concurrent reports (on PostgreSQL across
    /// instances), and a rolled-back report gives its number back.
    static func next(at date: Date, on db: any Database) async throws -> String {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "incidents need SQL") }
        let year = Calendar(identifier: .gregorian).component(.year, from: date)
        guard
            let row = try await sql.raw(
                """
                INSERT INTO \(ident: schema) (year, last) VALUES (\(bind: year), 1)
                ON CONFLICT (year) DO UPDATE SET last = \(ident: schema).last + 1 RETURNING last
                """
            ).first()
        else { throw ConcordError(.unavailable, "the incident counter answered nothing") }
        return format(year: year, number: try row.decode(column: "last", as: Int.self))
    }

    /// Reserves `count` numbers of `year` at once (loading history): the counter moves by `count`
    /// in one write, and the numbers it passed are the caller's.
    static func reserve(_ count: Int, year: Int, on db: any Database) async throws -> Range<Int> {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "incidents need SQL") }
        guard count > 0 else { return 1..<1 }
        guard
            let row = try await sql.raw(
                """
                INSERT INTO \(ident: schema) (year, last) VALUES (\(bind: year), \(bind: count))
                ON CONFLICT (year) DO UPDATE SET last = \(ident: schema).last + \(bind: count) RETURNING last
                """
            ).first()
        else { throw ConcordError(.unavailable, "the incident counter answered nothing") }
        let last = try row.decode(column: "last", as: Int.self)
        return (last - count + 1)..<(last + 1)
    }

    /// `INC-2026-000042` for (2026, 42).
    static func format(year: Int, number: Int) -> String {
        "INC-\(year)-" + String(format: "%06d", number)
    }

    /// The year and number of `INC-2026-000042`; nil for anything else.
    static func parse(_ text: String) -> (year: Int, number: Int)? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0] == "INC", let year = Int(parts[1]), let number = Int(parts[2]) else {
            return nil
        }
        return (year, number)
    }
}
