import Vapor

/// `/login` and `/logout` for the web pages.
struct LoginController: RouteCollection {
    /// What the login form posts.
    struct LoginForm: Content {
        var email: String
        var password: String
        var totp: String?
        var next: String?
    }

    /// The login page's context.
    struct LoginPage: Encodable {
        let csrf: String
        let next: String
        let email: String
        let error: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.Accounts.login), use: form)
        routes.post(.constant(Paths.Accounts.login), use: login)
        routes.post(.constant(Paths.Accounts.logout), use: logout)
    }

    @Sendable func form(req: Request) async throws -> View {
        try await req.view.render(
            "login",
            LoginPage(
                csrf: req.csrfToken, next: Self.safeNext(req.query[String.self, at: "next"]),
                email: "", error: nil))
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        do {
            let user = try await LoginService.authenticate(
                email: form.email, password: form.password, totp: form.totp, caller: req.caller)
            // A new session id at login, so an id planted before it (session fixation) is worth nothing.
            if let old = req.session.id {
                try await req.application.sessions.driver.deleteSession(old, for: req).get()
                req.session.id = nil
            }
            req.session.data[WebSessionMiddleware.userKey] = try user.requireID().uuidString
            req.session.data[CSRFMiddleware.sessionKey] = nil  // a fresh token after the privilege change
            if user.mustChangePassword {
                let next = Self.safeNext(form.next).addingPercentEncoding(withAllowedCharacters: .alphanumerics)
                return req.redirect(to: Paths.Accounts.passwordPage(next: next), redirectType: .normal)
            }
            return req.redirect(to: Self.safeNext(form.next), redirectType: .normal)
        } catch let error as ConcordError where [.unauthenticated, .locked, .throttled].contains(error.code) {
            let page = LoginPage(
                csrf: req.csrfToken, next: Self.safeNext(form.next), email: form.email, error: error.detail)
            let response = try await req.view.render("login", page).encodeResponse(status: error.status, for: req)
            if let seconds = error.retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: "\(seconds)") }
            return response
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        req.session.destroy()
        return req.redirect(to: Paths.Accounts.loginPage(), redirectType: .normal)
    }

    /// Only local paths, so the login form cannot be used to send people elsewhere; the desk when
    /// none was asked for.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return Paths.deskPage }
        return next
    }
}
