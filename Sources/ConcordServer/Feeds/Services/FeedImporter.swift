import ConcordCore
import Fluent
import FluentSQL
import Foundation
import Vapor

/// What an import did, line by line; also the API's answer.
struct FeedImportReport: Content {
    let id: UUID
    let lines: Int
    let stored: Int
    let duplicates: Int
    let malformed: Int
    let triaged: Int
    /// Notifications grouped by this run (not kept after it: nil when read back from the record).
    let groups: Int?
    /// The first malformed lines (at most `FeedImporter.reportedErrors`), `line N: reason`.
    let errors: [String]
}

extension FeedImportReport {
    /// An import's report as stored.
    init(_ record: FeedImport) {
        self.init(
            id: record.id ?? UUID(), lines: record.lines, stored: record.stored, duplicates: record.duplicates,
            malformed: record.malformed, triaged: record.triaged, groups: nil,
            errors: record.errors.split(separator: "\n").map(String.init))
    }
}

/// How an import reads its lines.
struct FeedImportOptions: Sendable {
    var format: FeedLineFormat
    /// `feed.name` for events that do not carry one (CSV feeds usually do not).
    var feedName: String?
    var tlp: TLPLabel = .amber
    var source: String
    var importedBy: String
    /// The aggregation window: events of one team, feed and classification received within it
    /// leave as one notification when it closes.
    var window: TimeInterval = 3600
}

/// Imports a bulk feed: every line is read (malformed ones are counted and reported with their
/// line number, and never stop the rest), routed to the one most specific responsible team (its
/// address, else its AS, else its name, else the national team of `source.geolocation.cc`, else
/// the secretariat's triage queue), stored once (the id is the SHA-256 of feed and line, so a
/// second import of the same file stores nothing), and grouped per team, feed, classification
/// and window into one aggregated notification. Rows go in batches, each in one transaction; the
/// next batch is read while the database stores the last one.
// @unchecked Sendable: reading (`read`, its batch and counters) happens on the importing task only;
// storing (`store`, its counters and the group cache) in at most one task at a time, which the
// importing task awaits before it starts the next. The two share no state.
final class FeedImporter: @unchecked Sendable {
    static let batchSize = 2000
    /// Rows per INSERT statement: 17 columns stay under SQLite's 32,766 bound parameters.
    static let rowsPerStatement = 1000
    static let reportedErrors = 100

    private let db: any Database
    private let snapshot: RoutingSnapshot
    private let options: FeedImportOptions
    private let now: Date
    private let windowStart: Date
    private var importRecord = FeedImport()
    private var groups: [GroupKey: UUID] = [:]
    private var batch: [(fingerprint: String, event: FeedEvent, raw: String)] = []
    private var seenInBatch = Set<String>()
    private var csvHeader: [String]?
    private var lines = 0
    private var stored = 0
    private var duplicates = 0
    private var duplicatesInFile = 0
    private var malformed = 0
    private var triaged = 0
    private var errors: [String] = []

    private struct GroupKey: Hashable {
        let team: UUID
        let feed: String
        let classification: RSITClassification
    }

    init(db: any Database, snapshot: RoutingSnapshot, options: FeedImportOptions, now: Date = Date()) {
        self.db = db
        self.snapshot = snapshot
        self.options = options
        self.now = now
        windowStart = Date(
            timeIntervalSince1970: (now.timeIntervalSince1970 / options.window).rounded(.down) * options.window)
    }

    /// Imports `lines`; `progress` hears the number of lines read after every batch.
    func run<Lines: Sequence>(_ lines: Lines, progress: ((Int) -> Void)? = nil) async throws -> FeedImportReport
    where Lines.Element == Substring {
        try await start()
        var storing: Task<Void, any Error>?
        for line in lines {
            self.lines += 1
            read(line, number: self.lines)
            if batch.count >= Self.batchSize {
                try await storing?.value
                storing = startStoring()
                progress?(self.lines)
            }
        }
        try await storing?.value
        try await startStoring()?.value
        progress?(self.lines)
        return try await finish()
    }

    /// Hands the batch to a task that stores it, and starts a new batch.
    private func startStoring() -> Task<Void, any Error>? {
        guard !batch.isEmpty else { return nil }
        let pending = batch
        batch.removeAll(keepingCapacity: true)
        seenInBatch.removeAll(keepingCapacity: true)
        return Task { try await self.store(pending) }
    }

    private func start() async throws {
        importRecord.source = options.source
        importRecord.format = Self.name(of: options.format)
        importRecord.tlp = options.tlp.rawValue
        importRecord.importedBy = options.importedBy
        importRecord.startedAt = now
        (importRecord.lines, importRecord.stored, importRecord.duplicates) = (0, 0, 0)
        (importRecord.malformed, importRecord.triaged, importRecord.errors) = (0, 0, "")
        try await importRecord.create(on: db)
    }

    private func read(_ line: Substring, number: Int) {
        let trimmed = line.last == "\r" ? line.dropLast() : line
        if trimmed.allSatisfy(\.isWhitespace) { return }
        var fields: [String: String]
        switch options.format {
        case .intelmq:
            guard let parsed = FeedLineFormat.intelMQFields(trimmed) else {
                return fail(number, "not a JSON object of IntelMQ fields")
            }
            fields = parsed
        case .csv(let mapping):
            guard let cells = FeedLineFormat.csvFields(trimmed) else { return fail(number, "a quote is left open") }
            guard let header = csvHeader else {
                csvHeader = cells.map { mapping[$0] ?? $0 }
                return
            }
            guard cells.count == header.count else {
                return fail(number, "\(cells.count) columns where the header has \(header.count)")
            }
            fields = Dictionary(zip(header, cells), uniquingKeysWith: { first, _ in first })
        }
        switch FeedEventReader.read(fields, line: number, feedName: options.feedName) {
        case .failure(let error): fail(number, error.reason)
        case .success(let event):
            let fingerprint = Self.fingerprint(feed: event.feedName, raw: String(trimmed))
            guard seenInBatch.insert(fingerprint).inserted else {
                duplicatesInFile += 1
                return
            }
            batch.append((fingerprint, event, Self.extra(fields)))
        }
    }

    private func fail(_ line: Int, _ reason: String) {
        malformed += 1
        if errors.count < Self.reportedErrors { errors.append("line \(line): \(reason)") }
    }

    /// Stores a batch: known fingerprints are duplicates; the rest are routed, grouped and inserted.
    private func store(_ pending: [(fingerprint: String, event: FeedEvent, raw: String)]) async throws {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw ConcordError(.unavailable, "feeds need SQL") }
            if sql.dialect.name == "sqlite" {
                // The fingerprint index of a million events is far larger than SQLite's default 2 MiB
                // page cache; without room for it, every insert waits for the disk.
                try await sql.raw("PRAGMA cache_size = -262144").run()
            }
            var known = Set<String>()
            for start in stride(from: 0, to: pending.count, by: Self.rowsPerStatement) {
                let slice = pending[start..<min(start + Self.rowsPerStatement, pending.count)]
                let rows = try await sql.select().column("fingerprint").from(StoredFeedEvent.schema)
                    .where("fingerprint", .in, slice.map(\.fingerprint)).all()
                for row in rows { known.insert(try row.decode(column: "fingerprint", as: String.self)) }
            }
            let fresh = pending.filter { !known.contains($0.fingerprint) }
            self.duplicates += pending.count - fresh.count
            for start in stride(from: 0, to: fresh.count, by: Self.rowsPerStatement) {
                let insert = sql.insert(into: StoredFeedEvent.schema).columns(Self.columns)
                for (fingerprint, event, raw) in fresh[start..<min(start + Self.rowsPerStatement, fresh.count)] {
                    let team = self.route(event)
                    if team == nil { self.triaged += 1 }
                    var group: UUID?
                    if let team { group = try await self.group(for: event, team: team, on: db) }
                    insert.values(
                        [
                            fingerprint, self.importRecord.id, event.feedName, event.feedProvider,
                            event.classification.taxonomy, event.classification.type, event.identifier,
                            event.sourceIP?.description, event.sourceASN.map { Int64($0.value) },
                            event.sourceFQDN?.description, event.sourcePort, event.sourceCountry, event.timeSource,
                            self.now, team, group, raw,
                        ] as [any Encodable & Sendable])
                }
                try await insert.ignoringConflicts(with: ["fingerprint"]).run()
            }
            self.stored += fresh.count
        }
    }

    private static let columns = [
        "fingerprint", "import_id", "feed_name", "feed_provider", "taxonomy", "type", "identifier", "source_ip",
        "source_asn", "source_fqdn", "source_port", "source_cc", "time_source", "received_at", "team_id", "group_id",
        "extra",
    ]

    /// The most specific direct match of the first query that has one; else the national team.
    private func route(_ event: FeedEvent) -> UUID? {
        for query in event.routingQueries {
            if let match = snapshot.table.directMatches(query).first { return match.team }
        }
        if let code = event.sourceCountry?.lowercased(), let economy = snapshot.economyByCode[code] {
            return snapshot.table.nationalTeams(of: economy.uuidString).first
        }
        return nil
    }

    /// The group of this window, found or made (with its notification queued) once per import.
    private func group(for event: FeedEvent, team: UUID, on db: any Database) async throws -> UUID {
        let key = GroupKey(team: team, feed: event.feedName, classification: event.classification)
        if let id = groups[key] { return id }
        let existing = try await FeedGroup.query(on: db).filter(\.$team.$id == team)
            .filter(\.$feedName == event.feedName).filter(\.$taxonomy == event.classification.taxonomy)
            .filter(\.$type == event.classification.type).filter(\.$windowStart == windowStart).first()
        if let existing, let id = existing.id {
            groups[key] = id
            return id
        }
        let group = FeedGroup()
        group.id = UUID()
        group.$team.id = team
        group.feedName = event.feedName
        group.taxonomy = event.classification.taxonomy
        group.type = event.classification.type
        group.tlp = options.tlp.rawValue
        group.windowStart = windowStart
        group.windowEnd = windowStart.addingTimeInterval(options.window)
        try await group.create(on: db)
        if let recipient = try await Team.query(on: db).filter(\.$id == team).with(\.$contacts).first() {
            try await Outbox.enqueue(digestOf: group, team: recipient, on: db)
        }
        let id = try group.requireID()
        groups[key] = id
        return id
    }

    private func finish() async throws -> FeedImportReport {
        importRecord.finishedAt = Date()
        importRecord.lines = lines
        importRecord.stored = stored
        importRecord.duplicates = duplicates + duplicatesInFile
        importRecord.malformed = malformed
        importRecord.triaged = triaged
        importRecord.errors = errors.joined(separator: "\n")
        try await importRecord.save(on: db)
        try await AuditLog.recordSystem(
            "feed.import", actor: options.importedBy, targetType: "feed-import", targetID: importRecord.id?.uuidString,
            summary:
                "\(options.source): \(stored) stored, \(duplicates + duplicatesInFile) duplicates, \(malformed) malformed",
            on: db)
        return FeedImportReport(
            id: try importRecord.requireID(), lines: lines, stored: stored, duplicates: duplicates + duplicatesInFile,
            malformed: malformed, triaged: triaged, groups: groups.count, errors: errors)
    }

    /// The fields Concord keeps in columns; everything else (`extra.*`, `source.reverse_dns`, …)
    /// is kept as JSON in `extra`.
    static let columnFields: Set<String> = [
        "feed.name", "feed.provider", "classification.taxonomy", "classification.type", "classification.identifier",
        "source.ip", "source.asn", "source.fqdn", "source.port", "source.geolocation.cc", "time.source",
    ]

    static func extra(_ fields: [String: String]) -> String {
        let rest = fields.filter { !columnFields.contains($0.key) }.sorted { $0.key < $1.key }
        guard !rest.isEmpty else { return "{}" }
        return "{" + rest.map { "\(jsonString($0.key)):\(jsonString($0.value))" }.joined(separator: ",") + "}"
    }

    /// A JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func fingerprint(feed: String, raw: String) -> String {
        Hex.sha256(Data((feed + "\n" + raw).utf8))
    }

    static func name(of format: FeedLineFormat) -> String {
        if case .csv = format { return "csv" }
        return "intelmq"
    }
}
