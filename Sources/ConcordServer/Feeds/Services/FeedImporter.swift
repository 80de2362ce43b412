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
/// the secretariat's triage queue), stored once (by its `FeedFingerprint`, so a second import of
/// the same file stores nothing), and grouped per team, feed, classification and window into one
/// aggregated notification. Rows go in batches of 50,000, each in one transaction (fewer commits
/// write each page of the fingerprint index fewer times; on SQLite a batch holds the write lock
/// for about half a second); the next batch is read while the database stores the last one.
// @unchecked Sendable: reading (`read`, its batch and counters) happens on the importing task only;
// storing (`store`, its counters and the group cache) in at most one task at a time, which the
// importing task awaits before it starts the next. The two share no state.
final class FeedImporter: @unchecked Sendable {
    static let defaultBatchSize = 50_000
    static let reportedErrors = 100

    private let db: any Database
    private let snapshot: RoutingSnapshot
    private let options: FeedImportOptions
    private let now: Date
    private let clock: any ConcordClock
    /// Events per transaction.
    private let batchSize: Int
    private let windowStart: Date
    private var importRecord = FeedImport()
    /// The groups of this window with events in the database, by key.
    private var groups: [GroupKey: UUID] = [:]
    /// The groups this import made (each with its notification).
    private var groupsCreated = 0
    private var batch: [FeedEventRow] = []
    private var seenInBatch = Set<FeedFingerprint>()
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

    init(
        db: any Database, snapshot: RoutingSnapshot, options: FeedImportOptions, clock: any ConcordClock,
        batchSize: Int = FeedImporter.defaultBatchSize
    ) {
        self.db = db
        self.batchSize = batchSize
        self.snapshot = snapshot
        self.options = options
        self.clock = clock
        let now = clock.now()
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
            if batch.count >= batchSize {
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
        importRecord.tlp = options.tlp
        importRecord.importedBy = options.importedBy
        importRecord.startedAt = now
        (importRecord.lines, importRecord.stored, importRecord.duplicates) = (0, 0, 0)
        (importRecord.malformed, importRecord.triaged, importRecord.errors) = (0, 0, "")
        let record = importRecord
        try await db.writeTransaction { db in try await record.create(on: db) }
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
            let fingerprint = FeedFingerprint(feed: event.feedName, line: trimmed)
            guard seenInBatch.insert(fingerprint).inserted else {
                duplicatesInFile += 1
                return
            }
            batch.append(FeedEventRow(fingerprint: fingerprint, event: event, extra: Self.extra(fields)))
        }
    }

    private func fail(_ line: Int, _ reason: String) {
        malformed += 1
        if errors.count < Self.reportedErrors { errors.append("line \(line): \(reason)") }
    }

    /// Stores a batch: every row is routed and given its group, then inserted unless its
    /// fingerprint is stored already (one index probe per row, in the INSERT itself). Groups first
    /// seen in this batch are made, with their notification, only if one of their rows was new.
    /// Rows are routed before the transaction begins, so SQLite's write lock is held only for
    /// the writes.
    private func store(_ pending: [FeedEventRow]) async throws {
        var routed: [FeedEventRow] = []
        var unrouted: [FeedEventRow] = []
        routed.reserveCapacity(pending.count)
        for var row in pending {
            guard let team = route(row.event) else {
                unrouted.append(row)
                continue
            }
            row.team = team
            routed.append(row)
        }
        try await db.writeTransaction { [routed, unrouted] db in
            try await SQLiteBulkWrites.prepare(db)
            var routed = routed
            var newGroups: [GroupKey: UUID] = [:]
            for index in routed.indices {
                guard let team = routed[index].team else { continue }
                let event = routed[index].event
                let key = GroupKey(team: team, feed: event.feedName, classification: event.classification)
                if let id = self.groups[key] ?? newGroups[key] {
                    routed[index].group = id
                } else if let id = try await self.existingGroup(key, on: db) {
                    self.groups[key] = id
                    routed[index].group = id
                } else {
                    let id = UUID()
                    newGroups[key] = id
                    routed[index].group = id
                }
            }
            let importID = try self.importRecord.requireID()
            let storedRouted = try await FeedEventStore.insert(routed, importID: importID, receivedAt: self.now, on: db)
            let storedUnrouted = try await FeedEventStore.insert(
                unrouted, importID: importID, receivedAt: self.now, on: db)
            if !newGroups.isEmpty {
                let used = try await FeedEventStore.groupsInUse(Array(newGroups.values), on: db)
                for (key, id) in newGroups where used.contains(id) {
                    self.groups[key] = try await self.createGroup(key, id: id, on: db)
                }
            }
            self.stored += storedRouted + storedUnrouted
            self.triaged += storedUnrouted
            self.duplicates += pending.count - storedRouted - storedUnrouted
        }
    }

    /// The most specific direct match of the first query that has one; else the national team.
    private func route(_ event: FeedEvent) -> UUID? {
        for query in event.routingQueries {
            if let team = snapshot.table.mostSpecificTeam(query) { return team }
        }
        if let code = event.sourceCountry?.lowercased(), let economy = snapshot.economyByCode[code] {
            return snapshot.table.nationalTeams(of: economy.uuidString).first
        }
        return nil
    }

    /// The group of this window made by an earlier import, if any.
    private func existingGroup(_ key: GroupKey, on db: any Database) async throws -> UUID? {
        try await FeedGroup.query(on: db).filter(\.$team.$id == key.team).filter(\.$feedName == key.feed)
            .filter(\.$taxonomy == key.classification.taxonomy).filter(\.$type == key.classification.type)
            .filter(\.$windowStart == windowStart).first()?.id
    }

    /// Makes the group of this window with its aggregated notification, and answers its id. On
    /// PostgreSQL another import may be making the same group at this moment: a lock on the key
    /// orders the two, and the later one moves its rows to the group the first made.
    private func createGroup(_ key: GroupKey, id: UUID, on db: any Database) async throws -> UUID {
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            let name = "feed-group \(key.team) \(key.feed) \(key.classification) \(windowStart.timeIntervalSince1970)"
            try await sql.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: name), 0))").run()
            if let made = try await existingGroup(key, on: db) {
                try await sql.update(StoredFeedEvent.schema).set("group_id", to: made).where("group_id", .equal, id)
                    .run()
                return made
            }
        }
        let group = FeedGroup()
        group.id = id
        group.$team.id = key.team
        group.feedName = key.feed
        group.taxonomy = key.classification.taxonomy
        group.type = key.classification.type
        group.tlp = options.tlp
        group.windowStart = windowStart
        group.windowEnd = windowStart.addingTimeInterval(options.window)
        try await group.create(on: db)
        if let recipient = try await Team.query(on: db).filter(\.$id == key.team).with(\.$contacts).first() {
            try await Outbox.enqueue(digestOf: group, team: recipient, on: db)
        }
        groupsCreated += 1
        return id
    }

    private func finish() async throws -> FeedImportReport {
        importRecord.finishedAt = clock.now()
        importRecord.lines = lines
        importRecord.stored = stored
        importRecord.duplicates = duplicates + duplicatesInFile
        importRecord.malformed = malformed
        importRecord.triaged = triaged
        importRecord.errors = errors.joined(separator: "\n")
        let (record, actor, clock) = (importRecord, options.importedBy, clock)
        let summary =
            "\(options.source): \(stored) stored, \(duplicates + duplicatesInFile) duplicates, \(malformed) malformed"
        try await db.writeTransaction { db in
            try await record.save(on: db)
            try await AuditLog.recordSystem(
                "feed.import", actor: actor, targetType: "feed-import", targetID: record.id?.uuidString,
                summary: summary, clock: clock, on: db)
        }
        return FeedImportReport(
            id: try importRecord.requireID(), lines: lines, stored: stored, duplicates: duplicates + duplicatesInFile,
            malformed: malformed, triaged: triaged, groups: groupsCreated, errors: errors)
    }

    /// The fields Concord keeps in columns; everything else (`extra.*`, `source.reverse_dns`, …)
    /// is kept as JSON in `extra`.
    static let columnFields: Set<String> = [
        "feed.name", "feed.provider", "classification.taxonomy", "classification.type", "classification.identifier",
        "source.ip", "source.asn", "source.fqdn", "source.port", "source.geolocation.cc", "time.source",
    ]

    static func extra(_ fields: [String: String]) -> String {
        var rest: [(key: String, value: String)] = []
        for field in fields where !columnFields.contains(field.key) { rest.append(field) }
        guard !rest.isEmpty else { return "{}" }
        rest.sort { $0.key < $1.key }
        var json = "{"
        for (index, field) in rest.enumerated() {
            if index > 0 { json += "," }
            json += JSONValue.quoted(field.key)
            json += ":"
            json += JSONValue.quoted(field.value)
        }
        return json + "}"
    }

    static func name(of format: FeedLineFormat) -> String {
        if case .csv = format { return "csv" }
        return "intelmq"
    }
}
