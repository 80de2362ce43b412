import Fluent
import Vapor

/// `/admin/users`: accounts in the browser (issue 17 §5): every team's for a forum administrator
/// (`?team=` narrows it), a team administrator's own team's; an invitation whose generated password
/// is shown once; a role changed; Disable… behind a confirmation, Enable. Through
/// `UserAdministration`, as the API and the command line.
struct UsersWebController: RouteCollection {
    struct InviteForm: Content {
        var email: String?
        var displayName: String?
        var team: String?
        var role: String?
    }

    struct RoleForm: Content {
        var role: String?
    }

    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let users: [UserAdministration.Line]
        /// The teams an invitation may be for (one for a team administrator).
        let teams: [Choice]
        /// The roles this administrator may give.
        let roles: [String]
        let team: String
        let invited: Invited?
        let flash: String?
        let error: String?
        let form: InviteForm
    }

    struct Choice: Encodable {
        let slug: String
        let name: String
    }

    struct Invited: Encodable {
        let email: String
        let password: String
    }

    static let flashKey = "users-flash"

    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped(.constant(Paths.admin), .constant(Paths.Accounts.users))
        users.get(use: page)
        users.post(use: invite)
        users.post(":user", .constant(Paths.Accounts.role), use: changeRole)
        users.post(":user", .constant(Paths.Accounts.disable), use: disable)
        users.post(":user", .constant(Paths.Accounts.enable), use: enable)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let flash = req.session.data[Self.flashKey]
        if flash != nil { req.session.data[Self.flashKey] = nil }
        return try await render(req, flash: flash)
    }

    @Sendable func invite(req: Request) async throws -> Response {
        try UserController.requireAdministrator(req)
        let form = try req.content.decode(InviteForm.self)
        do {
            let (account, _) = try await UserAdministration.invite(
                email: form.email ?? "", displayName: form.displayName, teamSlug: form.team ?? "",
                role: form.role ?? "", acting: .caller(req.caller))
            let response = try await render(req, invited: Invited(email: account.email, password: account.password))
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        } catch let error as ConcordError where [.validation, .conflict, .notFound].contains(error.code) {
            let detail = error.fields.map { "\(Self.label($0.field)) \($0.detail)" }.joined(separator: "; ")
            return try await render(
                req, error: detail.isEmpty ? error.detail : detail, form: form,
                status: error.code == .validation
                    ? .unprocessableEntity : error.code == .conflict ? .conflict : .notFound)
        }
    }

    @Sendable func changeRole(req: Request) async throws -> Response {
        try UserController.requireAdministrator(req)
        let role = try req.content.decode(RoleForm.self).role
        return try await change(req, UserAdministration.Change(role: role)) { "\($0.email) is now \($0.role)." }
    }

    @Sendable func disable(req: Request) async throws -> Response {
        try UserController.requireAdministrator(req)
        return try await change(req, UserAdministration.Change(disabled: true)) {
            "\($0.email) is disabled: its sessions, API tokens and TAXII password no longer open Concord."
        }
    }

    @Sendable func enable(req: Request) async throws -> Response {
        try UserController.requireAdministrator(req)
        return try await change(req, UserAdministration.Change(disabled: false)) { "\($0.email) may log in again." }
    }

    private func change(
        _ req: Request, _ change: UserAdministration.Change, said: (UserAdministration.Line) -> String
    ) async throws -> Response {
        do {
            let line = try await UserAdministration.update(
                req.parameters.get("user", as: UUID.self), change, acting: .caller(req.caller))
            req.session.data[Self.flashKey] = said(line)
            return req.redirect(to: Paths.Accounts.usersPage + "#user-\(line.id)", redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            let detail = error.fields.map(\.detail).joined(separator: "; ")
            return try await render(
                req, error: detail.isEmpty ? error.detail : detail,
                status: error.code == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    private func render(
        _ req: Request, invited: Invited? = nil, flash: String? = nil, error: String? = nil,
        form: InviteForm = InviteForm(), status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.caller.requirePrincipal()
        let forumAdmin = principal.role == .forumAdmin
        let asked = req.query[String.self, at: "team"].flatMap { $0.isEmpty ? nil : $0 }
        let users = try await UserAdministration.list(teamSlug: asked, acting: .caller(req.caller))
        let teams = try await Team.query(on: req.db).sort(\.$shortName).all()
            .filter { forumAdmin || $0.id == principal.teamID }
            .map { Choice(slug: $0.slug, name: $0.shortName) }
        let roles = Role.allCases.filter { forumAdmin || !$0.isForumWide }.map(\.rawValue)
        var form = form
        form.role = form.role ?? Role.handler.rawValue
        form.team = form.team ?? asked
        let page = Page(
            viewer: try await req.webViewer(), csrf: req.csrfToken, users: users, teams: teams, roles: roles,
            team: asked ?? "", invited: invited, flash: flash, error: error, form: form)
        return try await req.view.render("users", page).encodeResponse(status: status, for: req)
    }

    /// The form's label of a field the service names.
    static func label(_ field: String) -> String {
        ["email": "E-mail:", "role": "Role:", "displayName": "Name:"][field] ?? "\(field):"
    }
}
