import ConcordCore
import Fluent
import Vapor

/// `/api/v1/feeds`: import a bulk feed (IntelMQ JSON lines or CSV), read an import's report, and
/// the secretariat's triage queue of events no team's constituency matched.
struct FeedController: RouteCollection {
    /// The largest feed body the API takes at once; bigger files go through `concord feed import`.
    static let bodyLimit = 64 << 20

    func boot(routes: any RoutesBuilder) throws {
        typealias P = Paths.Feeds
        let feeds = routes.grouped(.constant(P.feeds))
        feeds.grouped(IdempotencyMiddleware(bodyLimit: Self.bodyLimit)).on(
            .POST, .constant(P.events), body: .collect(maxSize: ByteCount(value: Self.bodyLimit)), use: importEvents)
        feeds.get(.constant(P.imports), ":import", use: report)
        feeds.get(.constant(P.triage), use: triage)
    }

    /// `?format=intelmq|csv`, `&feed=NAME` for lines without `feed.name`, `&map=header:field,…` for
    /// CSV, `&tlp=`; the body is the file.
    @Sendable func importEvents(req: Request) async throws -> Response {
        try req.policy.require(.importFeed)
        let options = try Self.options(req)
        let text = req.body.string ?? ""
        let snapshot = try await req.application.routingDirectory.current(on: req.db)
        let report = try await FeedImporter(
            db: req.db, snapshot: snapshot, options: options, clock: req.application.clock
        ).run(text.feedLines)
        return try await report.encodeResponse(status: .created, for: req)
    }

    @Sendable func report(req: Request) async throws -> FeedImportReport {
        try req.policy.require(.importFeed)
        guard let id = req.parameters.get("import", as: UUID.self),
            let record = try await FeedImport.find(id, on: req.db)
        else { throw ConcordError.notFound("feed import") }
        // Another team's report answers as an unknown one: its id confirms nothing.
        let importer = try await User.query(on: req.db).filter(\.$email == record.importedBy).first()
        guard req.policy.allows(.readFeedImport(importingTeam: importer?.$team.id)) else {
            throw ConcordError.notFound("feed import")
        }
        return FeedImportReport(record)
    }

    /// The newest events that matched no team (the secretariat's to route by hand).
    @Sendable func triage(req: Request) async throws -> [TriagedEventDTO] {
        try req.policy.require(.rerouteIncident)
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1000)
        return try await StoredFeedEvent.query(on: req.db).filter(\.$teamID == nil).sort(\.$receivedAt, .descending)
            .limit(limit).all().map(TriagedEventDTO.init)
    }

    static func options(_ req: Request) throws -> FeedImportOptions {
        var validator = FieldValidator()
        let formatName = req.query[String.self, at: "format"] ?? "intelmq"
        let mapping = try FeedMapping.parse(req.query[String.self, at: "map"] ?? "")
        let format: FeedLineFormat = formatName == "csv" ? .csv(mapping: mapping) : .intelmq
        validator.check(formatName == "csv" || formatName == "intelmq", "format", "must be intelmq or csv")
        let tlp = TLPLabel(text: req.query[String.self, at: "tlp"] ?? "TLP:AMBER")
        validator.check(tlp != nil && tlp != .red, "tlp", "must be TLP:CLEAR, TLP:GREEN, TLP:AMBER or TLP:AMBER+STRICT")
        try validator.throwIfFailed()
        return FeedImportOptions(
            format: format, feedName: req.query[String.self, at: "feed"], tlp: tlp ?? .amber, source: "api",
            importedBy: req.auth.get(Principal.self)?.email ?? "?")
    }
}

/// Reads `header:field,header:field` (a CSV column mapping).
enum FeedMapping {
    static func parse(_ text: String) throws -> [String: String] {
        var mapping: [String: String] = [:]
        for pair in text.split(separator: ",") where !pair.isEmpty {
            let parts = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ConcordError.invalid(field: "map", "write header:field pairs, e.g. ip:source.ip,asn:source.asn")
            }
            mapping[parts[0]] = parts[1]
        }
        return mapping
    }
}

/// An event in the triage queue.
struct TriagedEventDTO: Content {
    let fingerprint: String
    let feed: String
    let classification: String
    let sourceIP: String?
    let sourceASN: Int64?
    let sourceFQDN: String?
    let receivedAt: Date

    init(_ event: StoredFeedEvent) {
        fingerprint = event.id.flatMap { FeedFingerprint(bytes: $0) }?.description ?? ""
        feed = event.feedName
        classification = "\(event.taxonomy)/\(event.type)"
        sourceIP = event.sourceIP
        sourceASN = event.sourceASN
        sourceFQDN = event.sourceFQDN
        receivedAt = event.receivedAt
    }
}
