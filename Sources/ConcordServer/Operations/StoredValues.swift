import ConcordCore
import Fluent
import Foundation
import SQLKit

/// A stored value that does not parse as its type: the database holds something Concord never
/// writes there. Reading it is refused (the request fails and the log names the column), never
/// read as another value: a label that does not parse is not taken for RED or AMBER.
struct StoredValueError: Error, CustomStringConvertible {
    let column: String
    let value: String
    let type: String

    var description: String { "\(column) holds '\(value.prefix(40))', which is not a \(type)" }
}

extension SQLRow {
    /// Reads a text column holding a typed value (a TLP label, a state) in a query written in SQL,
    /// refusing a value that does not parse (`StoredValueError`, not a request's decoding error).
    func decodeStored<Value: RawRepresentable>(_ column: String, of table: String, as type: Value.Type) throws
        -> Value
    where Value.RawValue == String {
        let text = try decode(column: column, as: String.self)
        guard let value = Value(rawValue: text) else {
            throw StoredValueError(column: "\(table).\(column)", value: text, type: "\(Value.self)")
        }
        return value
    }
}

/// Every column that holds a TLP label or a state, with the values Concord writes into it, and the
/// check that no row holds anything else (`concord check-values`, run after the end-to-end
/// scenarios and by the tests).
public enum StoredValues {
    /// One column and the values it may hold.
    struct Column: Sendable {
        let table: String
        let column: String
        let allowed: Set<String>
        let typeName: String

        init<Value: CaseIterable & RawRepresentable>(_ table: String, _ column: String, _ type: Value.Type)
        where Value.RawValue == String {
            self.table = table
            self.column = column
            allowed = Set(Value.allCases.map(\.rawValue))
            typeName = "\(Value.self)"
        }

        init(_ table: String, _ column: String, oneOf allowed: Set<String>, typeName: String) {
            self.table = table
            self.column = column
            self.allowed = allowed
            self.typeName = typeName
        }
    }

    /// A column holding a value it should not, and in how many rows.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public let column: String
        public let value: String
        public let rows: Int
        public let expected: String

        public var description: String { "\(column): '\(value.prefix(40))' in \(rows) row(s), not a \(expected)" }
    }

    static let columns: [Column] = [
        Column(Incident.schema, "tlp", TLPLabel.self),
        Column(IncidentAssignment.schema, "state", AssignmentState.self),
        Column(IncidentAssignment.schema, "decline_reason", DeclineReason.self),
        Column(FeedImport.schema, "tlp", TLPLabel.self),
        Column(FeedGroup.schema, "tlp", TLPLabel.self),
        Column(StoredSTIXObject.schema, "tlp", TLPLabel.self),
        Column(TAXIIStatusRecord.schema, "status", oneOf: ["pending", "complete"], typeName: "TAXII status"),
        Column(Team.schema, "status", TeamStatus.self),
        Column(TeamStatusChange.schema, "status", TeamStatus.self),
        Column(OutboxMessage.schema, "state", OutboxMessage.State.self),
        Column(IdempotencyRecord.schema, "state", IdempotencyRecord.State.self),
        Column(Drill.schema, "state", Drill.State.self),
        Column(DrillInjectRecord.schema, "state", DrillInjectRecord.State.self),
    ]

    /// The names of the columns checked, `table.column`.
    public static var checkedColumns: [String] { columns.map { "\($0.table).\($0.column)" } }

    /// Every stored value that is not one its column may hold; empty when the database is sound.
    public static func check(on db: any Database) async throws -> [Finding] {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "the check needs SQL") }
        var findings: [Finding] = []
        for column in columns {
            let rows = try await sql.raw(
                """
                SELECT \(ident: column.column) AS value, COUNT(*) AS n FROM \(ident: column.table) \
                WHERE \(ident: column.column) IS NOT NULL GROUP BY \(ident: column.column)
                """
            ).all()
            for row in rows {
                let value = try row.decode(column: "value", as: String.self)
                guard !column.allowed.contains(value) else { continue }
                findings.append(
                    Finding(
                        column: "\(column.table).\(column.column)", value: value,
                        rows: try row.decode(column: "n", as: Int.self), expected: column.typeName))
            }
        }
        return findings
    }
}
