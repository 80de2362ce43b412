import Fluent
import SQLKit

/// Creates `incident_number_counters`: the last incident number handed out in each year, one row a
/// year. A report bumps its year's row first in its transaction (`IncidentNumbers.next`), so
/// numbers are dense and unique under any number of writers. The rows start from the incidents
/// stored already.
struct CreateIncidentNumberCounter: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IncidentNumbers.schema)
            .field("year", .int, .identifier(auto: false))
            .field("last", .int, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        var last: [Int: Int] = [:]
        for incident in try await Incident.query(on: database).field(\.$number).all() {
            guard let (year, number) = IncidentNumbers.parse(incident.number) else { continue }
            last[year] = max(last[year] ?? 0, number)
        }
        for (year, number) in last {
            try await sql.insert(into: IncidentNumbers.schema).columns("year", "last").values(
                SQLBind(year), SQLBind(number)
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IncidentNumbers.schema).delete()
    }
}
