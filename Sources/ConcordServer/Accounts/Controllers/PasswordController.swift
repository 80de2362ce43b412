import Vapor

/// `/account/password`: a logged-in user chooses a new password, giving the current one. A user
/// whose password Concord generated (a one-time password) is sent here by `WebSessionMiddleware`
/// before any other page.
struct PasswordController: RouteCollection {
    /// What the form posts.
    struct PasswordForm: Content {
        var current: String?
        var new: String?
        var confirm: String?
        var next: String?
    }

    /// The page's context.
    struct PasswordPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let next: String
        /// True when the password in use was generated and must be replaced now.
        let required: Bool
        let error: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let page = routes.grouped(.constant(Paths.Accounts.account), .constant(Paths.Accounts.password))
        page.get(use: form)
        page.post(use: change)
    }

    @Sendable func form(req: Request) async throws -> View {
        let viewer = try await req.webViewer()
        return try await req.view.render(
            "password",
            PasswordPage(
                viewer: viewer, csrf: req.csrfToken,
                next: LoginController.safeNext(req.query[String.self, at: "next"]),
                required: try await Self.mustChange(req), error: nil))
    }

    @Sendable func change(req: Request) async throws -> Response {
        let viewer = try await req.webViewer()
        let form = try req.content.decode(PasswordForm.self)
        do {
            guard form.new == form.confirm else {
                throw ConcordError.invalid(field: "confirm", "the two new passwords differ")
            }
            try await AccountService.changePassword(
                current: form.current ?? "", new: form.new ?? "", caller: req.caller)
            return req.redirect(to: LoginController.safeNext(form.next), redirectType: .normal)
        } catch let error as ConcordError where [.validation, .unauthenticated, .throttled].contains(error.code) {
            let page = PasswordPage(
                viewer: viewer, csrf: req.csrfToken, next: LoginController.safeNext(form.next),
                required: try await Self.mustChange(req), error: error.detail)
            let response = try await req.view.render("password", page).encodeResponse(
                status: error.code == .throttled ? error.status : .unprocessableEntity, for: req)
            if let seconds = error.retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: "\(seconds)") }
            return response
        }
    }

    private static func mustChange(_ req: Request) async throws -> Bool {
        guard let principal = req.auth.get(Principal.self) else { return false }
        return try await User.find(principal.userID, on: req.db)?.mustChangePassword ?? false
    }
}
