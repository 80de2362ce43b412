import ConcordCore
import Fluent
import FluentSQL
import Foundation
import SQLiteNIO
import Vapor

/// One row of `feed_events` as the importer has made it: read, fingerprinted, routed and grouped.
struct FeedEventRow: Sendable {
    let fingerprint: FeedFingerprint
    let event: FeedEvent
    /// The fields without a column, as a JSON object.
    let extra: String
    var team: UUID?
    var group: UUID?
}

/// How `FeedImporter` writes rows and asks which of its new groups got any, inside its transaction: through
/// SQLite's own binds where the database is SQLite (the import's hot path: SQLKit's `Encodable`
/// binds cost more than SQLite's insert), through SQLKit anywhere else.
enum FeedEventStore {
    /// Rows per INSERT: 17 columns stay under SQLite's 32,766 bound parameters.
    static let rowsPerStatement = 1000
    static let columns = [
        "fingerprint", "import_id", "feed_name", "feed_provider", "taxonomy", "type", "identifier", "source_ip",
        "source_asn", "source_fqdn", "source_port", "source_cc", "time_source", "received_at", "team_id", "group_id",
        "extra",
    ]

    /// The ids among `groups` that some stored event names.
    static func groupsInUse(_ groups: [UUID], on db: any Database) async throws -> Set<UUID> {
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "feeds need an SQL database") }
        var used = Set<UUID>()
        for group in groups {
            let row = try await sql.select().column("group_id").from(StoredFeedEvent.schema)
                .where("group_id", .equal, group).limit(1).first()
            if row != nil { used.insert(group) }
        }
        return used
    }

    /// Inserts `rows`, skipping those whose fingerprint is stored already; answers how many were new.
    static func insert(_ rows: [FeedEventRow], importID: UUID, receivedAt: Date, on db: any Database) async throws
        -> Int
    {
        let slices = stride(from: 0, to: rows.count, by: rowsPerStatement).map {
            rows[$0..<min($0 + rowsPerStatement, rows.count)]
        }
        if let sqlite = db as? any SQLiteDatabase {
            // The binds of the next statement are made while SQLite runs the last one.
            var inserted = 0
            var running: Task<Int, any Error>?
            for slice in slices {
                let statement = insertStatement(rows: slice.count)
                let binds = sqliteBinds(slice, importID: importID, receivedAt: receivedAt)
                if let running { inserted += try await running.value }
                running = Task { try await run(statement, binds, on: sqlite) }
            }
            if let running { inserted += try await running.value }
            return inserted
        }
        guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "feeds need an SQL database") }
        var inserted = 0
        for slice in slices { inserted += try await insert(slice, importID: importID, receivedAt: receivedAt, on: sql) }
        return inserted
    }

    /// Runs one INSERT on the import's connection and answers how many rows it added.
    private static func run(_ statement: String, _ binds: [SQLiteData], on sqlite: any SQLiteDatabase) async throws
        -> Int
    {
        _ = try await sqlite.query(statement, binds)
        guard case .integer(let changes) = try await sqlite.query("SELECT changes() AS n").first?.column("n") else {
            throw ConcordError(.unavailable, "SQLite did not say how many rows it inserted")
        }
        return changes
    }

    /// The binds of one INSERT, column by column as `columns` names them, as Fluent would store them
    /// (UUIDs as text, times as seconds since 1970).
    private static func sqliteBinds(_ rows: ArraySlice<FeedEventRow>, importID: UUID, receivedAt: Date)
        -> [SQLiteData]
    {
        var binds: [SQLiteData] = []
        binds.reserveCapacity(rows.count * columns.count)
        let importText = SQLiteData.text(importID.uuidString)
        let received = SQLiteData.float(receivedAt.timeIntervalSince1970)
        func text(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
        func integer(_ value: Int?) -> SQLiteData { value.map { .integer($0) } ?? .null }
        for row in rows {
            let event = row.event
            binds.append(.blob(ByteBuffer(bytes: row.fingerprint.bytes)))
            binds.append(importText)
            binds.append(.text(event.feedName))
            binds.append(text(event.feedProvider))
            binds.append(.text(event.classification.taxonomy))
            binds.append(.text(event.classification.type))
            binds.append(text(event.identifier))
            binds.append(text(event.sourceIP?.description))
            binds.append(integer(event.sourceASN.map { Int($0.value) }))
            binds.append(text(event.sourceFQDN?.description))
            binds.append(integer(event.sourcePort))
            binds.append(text(event.sourceCountry))
            binds.append(event.timeSource.map { .float($0.timeIntervalSince1970) } ?? .null)
            binds.append(received)
            binds.append(text(row.team?.uuidString))
            binds.append(text(row.group?.uuidString))
            binds.append(.text(row.extra))
        }
        return binds
    }

    /// `INSERT OR IGNORE … VALUES (?, …), …` for `rows` rows; the full-size one is made once. `OR IGNORE`
    /// rather than `ON CONFLICT DO NOTHING`: no row can fail otherwise (every required column is bound),
    /// so SQLite keeps no statement journal, which saved a fifth of the insert time.
    private static func insertStatement(rows: Int) -> String {
        rows == rowsPerStatement ? fullInsertStatement : makeInsertStatement(rows: rows)
    }

    private static let fullInsertStatement = makeInsertStatement(rows: rowsPerStatement)

    private static func makeInsertStatement(rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let names = columns.map { "\"\($0)\"" }.joined(separator: ",")
        return "INSERT OR IGNORE INTO \"\(StoredFeedEvent.schema)\" (\(names)) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ",")
    }

    private static func insert(
        _ rows: ArraySlice<FeedEventRow>, importID: UUID, receivedAt: Date, on sql: any SQLDatabase
    ) async throws -> Int {
        let insert = sql.insert(into: StoredFeedEvent.schema).columns(columns)
        for row in rows {
            let event = row.event
            insert.values(
                [
                    row.fingerprint.data, importID, event.feedName, event.feedProvider, event.classification.taxonomy,
                    event.classification.type, event.identifier, event.sourceIP?.description,
                    event.sourceASN.map { Int64($0.value) }, event.sourceFQDN?.description, event.sourcePort,
                    event.sourceCountry, event.timeSource, receivedAt, row.team, row.group, row.extra,
                ] as [any Encodable & Sendable])
        }
        return try await insert.ignoringConflicts(with: ["fingerprint"]).returning("fingerprint").all().count
    }
}
