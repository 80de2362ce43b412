import Vapor

/// `/account`: the user's own account (issue 17 §5): who they are, the way to their password and
/// API tokens, and their second factor, set up by scanning or typing a new secret and typing back
/// a code (`SecondFactor`), or turned off with a current code. The secret being set up waits in the
/// session (server-side), never in a cookie, and is shown on a page not cached.
struct AccountWebController: RouteCollection {
    struct CodeForm: Content {
        var code: String?
    }

    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let displayName: String
        let secondFactor: Bool
        /// The secret being set up: grouped for typing, and as an `otpauth://` link.
        let pending: Pending?
        let flash: String?
        let error: String?
    }

    struct Pending: Encodable {
        let grouped: String
        let uri: String
    }

    static let pendingKey = "totp-pending"
    static let flashKey = "account-flash"

    func boot(routes: any RoutesBuilder) throws {
        let account = routes.grouped(.constant(Paths.Accounts.account))
        account.get(use: page)
        let totp = account.grouped(.constant(Paths.Accounts.totp))
        totp.post(use: start)
        totp.post(.constant(Paths.Accounts.enable), use: enable)
        totp.post(.constant(Paths.Accounts.disable), use: disable)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let flash = req.session.data[Self.flashKey]
        if flash != nil { req.session.data[Self.flashKey] = nil }
        return try await render(req, flash: flash)
    }

    /// A new secret to set up (replacing one not finished).
    @Sendable func start(req: Request) async throws -> Response {
        _ = try req.caller.requirePrincipal()
        req.session.data[Self.pendingKey] = SecondFactor.newSecret()
        return req.redirect(to: Paths.Accounts.accountPage + "#second-factor", redirectType: .normal)
    }

    @Sendable func enable(req: Request) async throws -> Response {
        _ = try req.caller.requirePrincipal()
        let code = try req.content.decode(CodeForm.self).code ?? ""
        do {
            try await SecondFactor.enable(
                secret: req.session.data[Self.pendingKey] ?? "", code: code, caller: req.caller)
            req.session.data[Self.pendingKey] = nil
            req.session.data[Self.flashKey] = "Second factor on: from now on, logging in asks for a code from your app."
            return req.redirect(to: Paths.Accounts.accountPage, redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation {
            return try await render(
                req, error: error.fields.first?.detail ?? error.detail, status: .unprocessableEntity)
        }
    }

    @Sendable func disable(req: Request) async throws -> Response {
        _ = try req.caller.requirePrincipal()
        let code = try req.content.decode(CodeForm.self).code ?? ""
        do {
            try await SecondFactor.disable(code: code, caller: req.caller)
            req.session.data[Self.flashKey] = "Second factor off: logging in asks for your password only."
            return req.redirect(to: Paths.Accounts.accountPage, redirectType: .normal)
        } catch let error as ConcordError where error.code == .validation || error.code == .conflict {
            return try await render(
                req, error: error.fields.first?.detail ?? error.detail,
                status: error.code == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    private func render(_ req: Request, flash: String? = nil, error: String? = nil, status: HTTPStatus = .ok)
        async throws -> Response
    {
        let viewer = try await req.webViewer()
        let principal = try req.caller.requirePrincipal()
        guard let user = try await User.find(principal.userID, on: req.db) else { throw ConcordError.unauthenticated }
        let on = user.totpSecret != nil
        let pending =
            on
            ? nil
            : req.session.data[Self.pendingKey].map {
                Pending(grouped: SecondFactor.grouped($0), uri: SecondFactor.uri(email: user.email, secret: $0))
            }
        let page = Page(
            viewer: viewer, csrf: req.csrfToken, displayName: user.displayName, secondFactor: on, pending: pending,
            flash: flash, error: error)
        let response = try await req.view.render("account", page).encodeResponse(status: status, for: req)
        if pending != nil { response.headers.replaceOrAdd(name: .cacheControl, value: "no-store") }
        return response
    }
}
