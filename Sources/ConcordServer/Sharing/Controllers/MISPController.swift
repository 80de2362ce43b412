import ConcordCore
import Fluent
import Vapor

/// MISP in and out: events imported as STIX, and a MISP feed of what the caller may see.
struct MISPController: RouteCollection {
    /// What an import did.
    struct ImportOutcome: Content {
        let report: String
        let label: String
        let collection: UUID
        let stored: Int
        let skipped: [String]
    }

    func boot(routes: any RoutesBuilder) throws {
        typealias P = Paths.Sharing
        let sharing = routes.grouped(.constant(P.sharing))
        sharing.on(.POST, .constant(P.mispEvents), body: .collect(maxSize: "32mb"), use: importEvent)
        sharing.get(.constant(P.mispFeed), .constant(P.mispManifest), use: manifest)
        sharing.get(.constant(P.mispFeed), .constant(P.mispHashes), use: hashes)
        sharing.get(.constant(P.mispFeed), ":event", use: event)
    }

    /// Imports one MISP event into `?collection=` (default: the forum's for CLEAR and GREEN, the
    /// caller's team's otherwise).
    @Sendable func importEvent(req: Request) async throws -> Response {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        try req.policy.require(.reportIncident)
        guard let body = req.body.data, let json = try? JSONDecoder().decode(JSONValue.self, from: body) else {
            throw ConcordError(.malformedRequest, "the body must be a MISP event in JSON")
        }
        guard let team = try await Team.find(principal.teamID, on: req.db) else { throw ConcordError.forbidden }
        let importer = MISPEventImporter(
            author: try IncidentSTIXDocument.identity(of: team), now: req.application.clock.now())
        let document: MISPEventImporter.Document
        do { document = try importer.document(from: json) } catch {
            throw ConcordError.invalid(field: "Event", error.message)
        }
        let label = document.label ?? req.application.concord.sharingDefaultLabel ?? .amber
        let chosen =
            req.query[UUID.self, at: "collection"]
            ?? (label <= .green ? SharingCollections.forumID : principal.teamID)
        guard let collection = try await SharingCollections.find(chosen, on: req.db),
            req.policy.allows(.readCollection(collection.access))
        else { throw ConcordError.notFound("collection") }
        try req.policy.require(.writeCollection(collection.access))
        let defaultLabel = req.application.concord.sharingDefaultLabel
        // All or nothing: one refused object rolls the whole event back.
        let outcome = try await req.db.writeTransaction { db in
            let outcome = try await STIXIngest.add(
                document.objects.map(JSONValue.object), to: collection, by: .init(principal),
                defaultLabel: defaultLabel, on: db, now: req.application.clock.now())
            if !outcome.failures.isEmpty {
                throw ConcordError.invalid(
                    outcome.failures.map { ConcordError.FieldError(field: $0.id, detail: $0.message ?? "refused") })
            }
            return outcome
        }
        try await AuditLog.record(
            "sharing.misp-import", targetType: "collection", targetID: chosen.uuidString,
            summary: "imported a MISP event as \(outcome.successes.count) STIX objects", caller: req.caller, on: req.db)
        return try await ImportOutcome(
            report: document.objects.last?["id"]?.string ?? "", label: label.rawValue, collection: chosen,
            stored: outcome.successes.count, skipped: document.skipped
        ).encodeResponse(status: .created, for: req)
    }

    @Sendable func manifest(req: Request) async throws -> Response {
        try req.policy.require(.readDirectory)
        let events = try await MISPFeedExporter(caller: req.caller).events()
        return try Self.json(MISPFeedExporter.manifest(events))
    }

    @Sendable func hashes(req: Request) async throws -> Response {
        try req.policy.require(.readDirectory)
        let events = try await MISPFeedExporter(caller: req.caller).events()
        return Response(
            status: .ok, headers: ["Content-Type": "text/csv"], body: .init(string: MISPFeedExporter.hashes(events)))
    }

    /// `<uuid>.json`: one event, recorded as delivered.
    @Sendable func event(req: Request) async throws -> Response {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        try req.policy.require(.readDirectory)
        let name = req.parameters.get("event") ?? ""
        guard name.hasSuffix(".json"), let uuid = UUID(uuidString: String(name.dropLast(5))) else {
            throw ConcordError.notFound("event")
        }
        let events = try await MISPFeedExporter(caller: req.caller).events()
        guard let event = events.first(where: { $0.uuid == uuid.uuidString.lowercased() }) else {
            throw ConcordError.notFound("event")
        }
        try await STIXDeliveryLog.record(
            event.rows, to: principal, by: .mispFeed, on: req.db, now: req.application.clock.now())
        return try Self.json(["Event": .object(event.json)])
    }

    private static func json(_ value: JSONValue) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try encoder.encode(value)))
    }
}
