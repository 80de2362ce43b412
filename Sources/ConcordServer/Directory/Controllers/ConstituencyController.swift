import Fluent
import Vapor

/// `/api/v1/teams/:team/constituency`: what a team is responsible for. Every change rebuilds the
/// routing table (`ConstituencyService`).
struct ConstituencyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let constituency = routes.grouped(.constant(Paths.teams), ":team", .constant(Paths.constituency))
        constituency.get(use: show)
        constituency.put(use: replace)
        constituency.post(use: add)
        constituency.delete(use: remove)
    }

    @Sendable func show(req: Request) async throws -> ConstituencyDTO {
        try req.policy.require(.readDirectory)
        return ConstituencyDTO(
            try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db).constituency)
    }

    /// Replaces the whole constituency; every item is validated before anything is written.
    @Sendable func replace(req: Request) async throws -> ConstituencyDTO {
        ConstituencyDTO(
            try await ConstituencyService.replace(
                with: try req.content.decode(ConstituencyDTO.self), of: req.parameters.get("team") ?? "",
                caller: req.caller))
    }

    @Sendable func add(req: Request) async throws -> Response {
        let change = try await ConstituencyService.add(
            try req.content.decode(ConstituencyItemInput.self), to: req.parameters.get("team") ?? "",
            caller: req.caller)
        let entries = try await ConstituencyEntry.query(on: req.db).filter(\.$team.$id == change.team.requireID()).all()
        return try await ConstituencyDTO(entries).encodeResponse(status: .created, for: req)
    }

    /// `DELETE …/constituency?kind=prefix&value=203.0.113.0/25`: the value as written or normalised.
    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        _ = try await ConstituencyService.remove(
            kind: req.query[String.self, at: "kind"].flatMap(ConstituencyEntry.Kind.init(rawValue:)),
            value: req.query[String.self, at: "value"], from: req.parameters.get("team") ?? "", caller: req.caller)
        return .noContent
    }
}
