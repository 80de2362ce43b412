import Fluent
import Vapor

/// `/admin/audit`: the audit log in the browser for the secretariat and forum administrators
/// (issue 17 §5): newest first, a hundred to a page, narrowed by actor, action and object, through
/// the same policy as `GET /api/v1/audit` (no line about an incident the reader may not read).
struct AuditWebController: RouteCollection {
    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let entries: [AuditController.EntryDTO]
        let actions: [String]
        let actor: String
        let action: String
        let target: String
        let page: Int
        let previous: String?
        let next: String?
        let error: String?
    }

    static let pageSize = 100

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.admin), .constant(Paths.audit), use: page)
    }

    @Sendable func page(req: Request) async throws -> Response {
        try req.policy.require(.readAuditLog)
        let number = req.query[String.self, at: "page"].map { Int($0) ?? 0 } ?? 1
        let shown = { (name: String) in req.query[String.self, at: name] ?? "" }
        var entries: [AuditController.EntryDTO] = []
        var error: String?
        do {
            guard (1...10_000).contains(number) else {
                throw ConcordError.invalid(field: "page", "must be a page number")
            }
            entries = try await AuditQueries.newest(
                limit: Self.pageSize + 1, filter: try AuditController.filter(req), skip: (number - 1) * Self.pageSize,
                caller: req.caller
            ).map(AuditController.EntryDTO.init)
        } catch let refusal as ConcordError where refusal.code == .validation {
            error = refusal.fields.map { "\($0.field) \($0.detail)" }.joined(separator: "; ")
        }
        let actions = try await AuditEntry.query(on: req.db).unique().all(\.$action).sorted()
        let page = Page(
            viewer: try await req.webViewer(), csrf: req.csrfToken, entries: Array(entries.prefix(Self.pageSize)),
            actions: actions, actor: shown("actor"), action: shown("action"), target: shown("target"), page: number,
            previous: number > 1 ? InboxWebController.link(req, page: number - 1, path: Self.path) : nil,
            next: entries.count > Self.pageSize ? InboxWebController.link(req, page: number + 1, path: Self.path) : nil,
            error: error)
        return try await req.view.render("audit", page)
            .encodeResponse(status: error == nil ? .ok : .unprocessableEntity, for: req)
    }

    static var path: String { "/\(Paths.admin)/\(Paths.audit)" }
}
