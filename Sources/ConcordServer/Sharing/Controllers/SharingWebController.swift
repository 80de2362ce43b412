import ConcordCore
import Fluent
import Vapor

/// The sharing page: what the viewer's team has shared (the last version of each object, as far as
/// the viewer may read it), who received it (the delivery log), and a correlation lookup. Every
/// part goes through the same policy as TAXII and the API.
struct SharingWebController: RouteCollection {
    /// One object the team shared.
    struct SharedObject: Encodable {
        let id: String
        let type: String
        let name: String
        let label: TLPLabel
        let collection: String
        let added: String
    }

    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let objects: [SharedObject]
        let deliveries: [DeliveryDTO]
        let value: String
        let correlation: CorrelationResult?
        let problem: String?
    }

    /// Objects and deliveries the page lists, newest first.
    static let listed = 100

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.Sharing.sharing), use: page)
    }

    @Sendable func page(req: Request) async throws -> View {
        let viewer = try await req.webViewer()
        guard let principal = req.auth.get(Principal.self) else { throw ConcordError.unauthenticated }
        let value = (req.query[String.self, at: "value"] ?? "").trimmingCharacters(in: .whitespaces)
        var correlation: CorrelationResult?
        var problem: String?
        if !value.isEmpty {
            try req.policy.require(.lookup)
            do {
                correlation = try await CorrelationIndex.lookup(
                    try CorrelationController.key(value), caller: req.caller)
            } catch let error as ConcordError where error.code == .validation {
                problem = error.fields.first?.detail ?? error.detail
            }
        }
        return try await req.view.render(
            "sharing",
            Page(
                viewer: viewer, csrf: req.csrfToken, objects: try await Self.shared(by: principal, request: req),
                deliveries: try await SharingController.deliveries(
                    of: principal, object: nil, limit: Self.listed, request: req),
                value: value, correlation: correlation, problem: problem))
    }

    /// The last versions of what the principal's team shared, newest first, that the principal may
    /// read (a TLP:RED object of a teammate is not listed).
    static func shared(by principal: Principal, request req: Request) async throws -> [SharedObject] {
        let rows = try await StoredSTIXObject.query(on: req.db).filter(\.$ownerTeamID == principal.teamID)
            .filter(\.$isLast == true).sort(\.$dateAddedMicroseconds, .descending).limit(listed).all()
        var collections: [UUID: ResolvedCollection] = [:]
        var shared: [SharedObject] = []
        for row in rows {
            if collections[row.collectionID] == nil {
                collections[row.collectionID] = try await SharingCollections.find(row.collectionID, on: req.db)
            }
            guard let collection = collections[row.collectionID],
                STIXObjectReader(collection: collection, policy: req.policy).visible(row)
            else { continue }
            let body = try? Array(row.body.utf8).withUnsafeBytes { try JSONParser.parse($0) }
            shared.append(
                SharedObject(
                    id: row.stixID, type: row.type, name: body?.object?["name"]?.string ?? "", label: row.tlp,
                    collection: collection.collection.title,
                    added: STIXTimestamp(microseconds: row.dateAddedMicroseconds).description))
        }
        return shared
    }
}
