import ConcordCore
import Fluent
import Vapor

/// Sightings: a team says it saw a shared indicator (how often, first and last), as a STIX
/// `sighting` stored beside the indicator under the indicator's own label, so the indicator's
/// creator (and whoever may read the indicator) sees it.
struct SightingController: RouteCollection {
    /// What `POST /api/v1/sharing/sightings` takes.
    struct Input: Content {
        let indicator: String
        let collection: UUID
        let count: Int?
        let firstSeen: Date?
        let lastSeen: Date?
    }

    /// One sighting as the API shows it.
    struct Sighting: Content {
        let id: String
        let indicator: String
        let team: String
        let count: Int
        let firstSeen: String?
        let lastSeen: String?
        let label: String
    }

    func boot(routes: any RoutesBuilder) throws {
        let sightings = routes.grouped(.constant(Paths.Sharing.sharing), .constant(Paths.Sharing.sightings))
        sightings.post(use: report)
        sightings.get(use: list)
    }

    @Sendable func report(req: Request) async throws -> Response {
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        try req.policy.require(.reportIncident)
        let input = try req.content.decode(Input.self)
        var validator = FieldValidator()
        let count = input.count ?? 1
        validator.check((1...999_999_999).contains(count), "count", "must be between 1 and 999,999,999")
        if let first = input.firstSeen, let last = input.lastSeen {
            validator.check(first <= last, "lastSeen", "must not be before firstSeen")
        }
        try validator.throwIfFailed()
        guard let collection = try await SharingCollections.find(input.collection, on: req.db),
            req.policy.allows(.readCollection(collection.access))
        else { throw ConcordError.notFound("collection") }
        try req.policy.require(.writeCollection(collection.access))
        let reader = STIXObjectReader(collection: collection, policy: req.policy)
        guard
            let indicator = try await StoredSTIXObject.query(on: req.db).filter(\.$collectionID == collection.id)
                .filter(\.$stixID == input.indicator).filter(\.$isLast == true).first(),
            indicator.type == "indicator", reader.visible(indicator)
        else { throw ConcordError.notFound("indicator \(input.indicator)") }
        guard let team = try await Team.find(principal.teamID, on: req.db) else { throw ConcordError.forbidden }
        let label = indicator.tlp
        let marking = JSONValue.array([.string(TLPMarking.id(of: label))])
        var identity = try IncidentSTIXDocument.identity(of: team)
        identity["object_marking_refs"] = marking
        let now = STIXTimestamp(date: req.application.clock.now()).description
        var sighting: [String: JSONValue] = [
            "type": "sighting", "spec_version": "2.1", "id": .string("sighting--\(UUID().uuidString.lowercased())"),
            "created": .string(now), "modified": .string(now), "created_by_ref": identity["id"] ?? .null,
            "sighting_of_ref": .string(indicator.stixID), "count": .integer(Int64(count)),
            "where_sighted_refs": [identity["id"] ?? .null], "object_marking_refs": marking,
        ]
        if let first = input.firstSeen { sighting["first_seen"] = .string(STIXTimestamp(date: first).description) }
        if let last = input.lastSeen { sighting["last_seen"] = .string(STIXTimestamp(date: last).description) }
        let outcome = try await STIXIngest.add(
            [.object(identity), .object(sighting)], to: collection, by: .init(principal), defaultLabel: nil, on: req.db,
            now: req.application.clock.now())
        if let failure = outcome.failures.first {
            throw ConcordError(.conflict, "\(failure.id): \(failure.message ?? "refused")")
        }
        return try await Self.dto(sighting, team: team.slug, label: label).encodeResponse(status: .created, for: req)
    }

    /// The sightings of `?indicator=` the caller may read, in every collection it reads.
    @Sendable func list(req: Request) async throws -> [Sighting] {
        try req.policy.require(.readDirectory)
        let indicator = req.query[String.self, at: "indicator"] ?? ""
        guard STIXIdentifier(indicator) != nil else {
            throw ConcordError.invalid(field: "indicator", "must be a STIX id such as indicator--<UUID>")
        }
        let slugs = try await SharingController.slugs(on: req.db)
        var found: [Sighting] = []
        for collection in try await SharingCollections.all(on: req.db)
        where req.policy.allows(.readCollection(collection.access)) {
            let reader = STIXObjectReader(collection: collection, policy: req.policy)
            let rows = try await StoredSTIXObject.query(on: req.db).filter(\.$collectionID == collection.id)
                .filter(\.$type == "sighting").filter(\.$isLast == true).all()
            for row in rows where reader.visible(row) {
                let body = (try? JSONDecoder().decode([String: JSONValue].self, from: Data(row.body.utf8))) ?? [:]
                guard body["sighting_of_ref"]?.string == indicator else { continue }
                found.append(
                    Self.dto(body, team: slugs[row.ownerTeamID] ?? "?", label: row.tlp))
            }
        }
        return found
    }

    private static func dto(_ body: [String: JSONValue], team: String, label: TLPLabel) -> Sighting {
        Sighting(
            id: body["id"]?.string ?? "", indicator: body["sighting_of_ref"]?.string ?? "", team: team,
            count: Int(body["count"]?.integer ?? 1), firstSeen: body["first_seen"]?.string,
            lastSeen: body["last_seen"]?.string, label: label.rawValue)
    }
}
