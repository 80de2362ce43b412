import Fluent
import Vapor

/// `/api/v1/teams/:team/contacts`: points of contact, with OpenPGP keys read by GnuPG.
struct ContactController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let contacts = routes.grouped(.constant(Paths.teams), ":team", .constant(Paths.contacts))
        contacts.get(use: list)
        contacts.post(use: create)
        contacts.patch(":contact", use: update)
        contacts.delete(":contact", use: delete)
    }

    @Sendable func list(req: Request) async throws -> [ContactDTO] {
        try req.policy.require(.readDirectory)
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        return try req.policy.visible(team.contacts, of: team.requireID()).map(ContactDTO.init)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let team = try await DirectoryQueries.team(slug: req.parameters.get("team") ?? "", on: req.db)
        try req.policy.require(.editTeam(team: team.requireID()))
        let contact = try await ContactService.create(
            try req.content.decode(ContactInput.self), for: team, caller: req.caller)
        return try await ContactDTO(contact).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> ContactDTO {
        let (team, contact) = try await ContactService.find(
            team: req.parameters.get("team") ?? "", contact: req.parameters.get("contact", as: UUID.self),
            caller: req.caller)
        try req.policy.require(.editTeam(team: team.requireID()))
        try await ContactService.update(
            contact, with: try req.content.decode(ContactInput.self), of: team, caller: req.caller)
        return try ContactDTO(contact)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        let (team, contact) = try await ContactService.find(
            team: req.parameters.get("team") ?? "", contact: req.parameters.get("contact", as: UUID.self),
            caller: req.caller)
        try req.policy.require(.editTeam(team: team.requireID()))
        try await ContactService.delete(contact, of: team, caller: req.caller)
        return .noContent
    }
}
