import ConcordCore
import Fluent
import Vapor

/// `/api/v1/teams`: member teams, search, and status history.
struct TeamController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let teams = routes.grouped(.constant(Paths.teams))
        teams.get(use: list)
        teams.post(use: create)
        teams.get(":team", use: show)
        teams.patch(":team", use: update)
        teams.delete(":team", use: delete)
        teams.post(":team", .constant(Paths.status), use: changeStatus)
    }

    /// `?q=` searches names, and reads an IP, AS number or domain as a routing query;
    /// `?economy=` narrows to one economy (id or ISO code).
    @Sendable func list(req: Request) async throws -> [TeamSummaryDTO] {
        try req.policy.require(.readDirectory)
        let search = try await DirectorySearch.teams(
            matching: req.query[String.self, at: "q"], economy: req.query[String.self, at: "economy"],
            caller: req.caller)
        return try search.map(TeamSummaryDTO.init)
    }

    @Sendable func show(req: Request) async throws -> TeamDTO {
        try req.policy.require(.readDirectory)
        return try TeamDTO(
            try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db), policy: req.policy)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let team = try await TeamService.create(try req.content.decode(TeamInput.self), caller: req.caller)
        let dto = try TeamDTO(try await DirectoryQueries.team(slug: team.slug, on: req.db), policy: req.policy)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> TeamDTO {
        let team = try await TeamService.update(
            slug: req.parameters.get("team") ?? "", with: try req.content.decode(TeamInput.self), caller: req.caller)
        return try TeamDTO(try await DirectoryQueries.team(slug: team.slug, on: req.db), policy: req.policy)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await TeamService.delete(slug: req.parameters.get("team") ?? "", caller: req.caller)
        return .noContent
    }

    @Sendable func changeStatus(req: Request) async throws -> TeamDTO {
        let team = try await TeamService.changeStatus(
            slug: req.parameters.get("team") ?? "", to: try req.content.decode(StatusInput.self), caller: req.caller)
        return try TeamDTO(try await DirectoryQueries.team(slug: team.slug, on: req.db), policy: req.policy)
    }
}
