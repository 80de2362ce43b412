import ConcordCore
import Fluent
import Foundation
import SQLKit

/// Keeps each TAXII status as the JSON it is served as (`document`), in place of its three lists
/// of details, which every poll decoded and encoded again. Stored statuses are rewritten.
struct UpdateTAXIIStatusesStoreDocument: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw ConcordError(.unavailable, "sharing needs SQL") }
        try await database.schema(TAXIIStatusRecord.schema).field("document", .string).update()
        let rows = try await sql.select()
            .columns("id", "status", "request_us", "total_count", "successes", "failures", "pendings")
            .from(TAXIIStatusRecord.schema).all()
        for row in rows {
            func details(_ column: String) throws -> [TAXIIStatusDetail] {
                try JSONDecoder().decode(
                    [TAXIIStatusDetail].self, from: Data(try row.decode(column: column, as: String.self).utf8))
            }
            let record = TAXIIStatusRecord()
            record.id = try row.decode(column: "id", as: UUID.self)
            record.status = try row.decode(column: "status", as: String.self)
            record.requestMicroseconds = try row.decode(column: "request_us", as: Int64.self)
            record.totalCount = try row.decode(column: "total_count", as: Int.self)
            let document = try TAXIIStatusService.document(
                of: record, successes: try details("successes"), failures: try details("failures"),
                pendings: try details("pendings"))
            try await sql.update(TAXIIStatusRecord.schema).set("document", to: document)
                .where("id", .equal, record.id).run()
        }
        for column in ["successes", "failures", "pendings"] {
            try await database.schema(TAXIIStatusRecord.schema).deleteField(.string(column)).update()
        }
    }

    /// The lists come back empty: a status older than this cannot be taken apart again.
    func revert(on database: any Database) async throws {
        for column in ["successes", "failures", "pendings"] {
            try await database.schema(TAXIIStatusRecord.schema).field(.string(column), .string).update()
        }
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.update(TAXIIStatusRecord.schema).set("successes", to: "[]").set("failures", to: "[]")
            .set("pendings", to: "[]").run()
        try await database.schema(TAXIIStatusRecord.schema).deleteField("document").update()
    }
}
