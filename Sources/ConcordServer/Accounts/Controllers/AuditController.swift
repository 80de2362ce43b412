import Fluent
import Vapor

/// `GET /api/v1/audit`: the audit log, newest first, for the forum-wide roles, without the lines
/// about objects the reader may not read (`AuditQueries`). There is no route that changes it.
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
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.audit), use: list)
    }

    @Sendable func list(req: Request) async throws -> [EntryDTO] {
        let limit = min(max(req.query[Int.self, at: "limit"] ?? 100, 1), 1000)
        return try await AuditQueries.newest(limit: limit, caller: req.caller).map {
            EntryDTO(
                at: $0.at, actor: $0.actor, action: $0.action, targetType: $0.targetType, targetId: $0.targetID,
                summary: $0.summary, remoteAddress: $0.remoteAddress)
        }
    }
}
