import Vapor

/// `/api/v1/users`: accounts for their administrators (`UserAdministration`): the list (`?team=`),
/// an invitation (its generated password in the answer, once) and a change of role or a disable.
struct UserController: RouteCollection {
    /// The body of `POST /api/v1/users`.
    struct Invitation: Content {
        var email: String
        var displayName: String?
        var team: String
        var role: String
    }

    /// The answer to an invitation: the account, and its password shown this once.
    struct Invited: Content {
        let user: UserAdministration.Line
        let password: String
    }

    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped(.constant(Paths.Accounts.users))
        users.get(use: list)
        users.post(use: invite)
        users.patch(":user", use: update)
    }

    @Sendable func list(req: Request) async throws -> [UserAdministration.Line] {
        try await UserAdministration.list(teamSlug: req.query[String.self, at: "team"], acting: .caller(req.caller))
    }

    @Sendable func invite(req: Request) async throws -> Response {
        try Self.requireAdministrator(req)
        let invitation = try req.content.decode(Invitation.self)
        let invited = try await UserAdministration.invite(
            email: invitation.email, displayName: invitation.displayName, teamSlug: invitation.team,
            role: invitation.role, acting: .caller(req.caller))
        let response = try await Invited(user: invited.line, password: invited.account.password)
            .encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func update(req: Request) async throws -> UserAdministration.Line {
        try Self.requireAdministrator(req)
        return try await UserAdministration.update(
            req.parameters.get("user", as: UUID.self), try req.content.decode(UserAdministration.Change.self),
            acting: .caller(req.caller))
    }

    /// A forum or team administrator, asked before the body is read (the service then decides for
    /// the account and role at hand).
    static func requireAdministrator(_ req: Request) throws {
        try req.policy.require(.manageUsers(team: req.auth.get(Principal.self)?.teamID, granting: nil))
    }
}
