import Fluent
import Vapor

/// `GET /api/v1/audit`: the audit log, newest first, for the forum-wide roles, without the lines
/// about objects the reader may not read (`AuditQueries`), narrowed by `actor`, `action` and
/// `target`. There is no route that changes it.
struct AuditController: RouteCollection {
    /// One audit line.
    struct EntryDTO: Content {
        let at: Date
        let actor: String
        let action: String
        let targetType: String
        let targetId: String?
        let summary: String
        let remoteAddress: String?

        init(_ entry: AuditEntry) {
            at = entry.at
            actor = entry.actor
            action = entry.action
            targetType = entry.targetType
            targetId = entry.targetID
            summary = entry.summary
            remoteAddress = entry.remoteAddress
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.audit), use: list)
    }

    @Sendable func list(req: Request) async throws -> [EntryDTO] {
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1000)
        return try await AuditQueries.newest(limit: limit, filter: try Self.filter(req), caller: req.caller).map(
            EntryDTO.init)
    }

    /// `actor`, `action` and `target` of the address, each at most 200 characters.
    static func filter(_ req: Request) throws -> AuditQueries.Filter {
        var validator = FieldValidator()
        var filter = AuditQueries.Filter()
        for name in ["actor", "action", "target"] {
            guard let text = req.query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty
            else { continue }
            validator.check(text.count <= 200, name, "must be at most 200 characters")
            switch name {
            case "actor": filter.actor = text
            case "action": filter.action = text
            default: filter.target = text
            }
        }
        try validator.throwIfFailed()
        return filter
    }
}
