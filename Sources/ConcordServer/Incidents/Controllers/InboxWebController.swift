import ConcordCore
import Vapor

/// `GET /incidents`: the inbox page, with its filters, sort, search and pages (see
/// `IncidentInboxPage`). A wrong filter is named above the form, which keeps what was typed.
struct InboxWebController: RouteCollection {
    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let inbox: InboxPageDTO
        let unread: Int
        let states: [String]
        let tlps: [String]
        let taxonomies: [ClassificationGroup]
        let teams: [IncidentWebController.TeamChoice]
        let previous: String?
        let next: String?
    }

    /// One RSIT taxonomy and its types, with the labels people read, for a grouped `<select>`.
    struct ClassificationGroup: Encodable {
        struct Choice: Encodable {
            let value: String
            let label: String
        }
        let value: String
        let label: String
        let types: [Choice]

        static let all: [ClassificationGroup] = RSITClassification.taxonomies.map { entry in
            ClassificationGroup(
                value: entry.taxonomy, label: RSITClassification.label(entry.taxonomy),
                types: entry.types.map { Choice(value: "\(entry.taxonomy)/\($0)", label: RSITClassification.label($0)) }
            )
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.incidents), use: page)
    }

    @Sendable func page(req: Request) async throws -> Response {
        try req.policy.require(.readDirectory)
        let query = try req.query.decode(IncidentInboxPage.Query.self)
        let inbox = try await IncidentInboxPage.page(query, caller: req.caller)
        let teams = try await Team.query(on: req.db).sort(\.$shortName).all()
        let page = Page(
            viewer: try await req.webViewer(), csrf: req.csrfToken, inbox: inbox,
            unread: try await IncidentInbox.items(caller: req.caller).unread,
            states: IncidentState.allCases.map(\.rawValue), tlps: TLPLabel.allCases.map(\.rawValue),
            taxonomies: ClassificationGroup.all,
            teams: teams.map { IncidentWebController.TeamChoice(slug: $0.slug, name: $0.shortName) },
            previous: inbox.page > 1 ? Self.link(req, page: inbox.page - 1) : nil,
            next: inbox.more ? Self.link(req, page: inbox.page + 1) : nil)
        return try await req.view.render("incidents", page)
            .encodeResponse(status: inbox.errors.isEmpty ? .ok : .unprocessableEntity, for: req)
    }

    /// This page's address (or `path`) with another page number.
    static func link(_ req: Request, page: Int, path: String = "/\(Paths.incidents)") -> String {
        var components = URLComponents()
        components.path = path
        components.queryItems =
            (URLComponents(string: req.url.string)?.queryItems ?? []).filter { $0.name != "page" }
            + [URLQueryItem(name: "page", value: String(page))]
        return components.string ?? components.path
    }
}
