import Vapor

/// `/account/tokens`: the user's own API tokens in the browser (issue 17 §5): the list with scopes,
/// expiry and last use, a form to create one (its secret shown once, on a page not cached), and
/// Revoke… behind a confirmation. Audited as on the command line.
struct TokensWebController: RouteCollection {
    struct CreateForm: Content {
        var name: String?
        var read: String?
        var write: String?
        var days: String?
    }

    struct Page: Encodable {
        let viewer: WebViewer
        let csrf: String
        let tokens: [MyTokens.Line]
        /// A token just created: its name and secret, shown this once.
        let created: Created?
        let flash: String?
        let error: String?
        let name: String
        let days: String
    }

    struct Created: Encodable {
        let name: String
        let secret: String
    }

    static let flashKey = "flash"

    func boot(routes: any RoutesBuilder) throws {
        let tokens = routes.grouped(.constant(Paths.Accounts.account), .constant(Paths.Accounts.tokens))
        tokens.get(use: page)
        tokens.post(use: create)
        tokens.post(":token", .constant(Paths.Accounts.revoke), use: revoke)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let flash = req.session.data[Self.flashKey]
        if flash != nil { req.session.data[Self.flashKey] = nil }
        return try await render(req, flash: flash)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let form = try req.content.decode(CreateForm.self)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        let scopes = [form.read.map { _ in "read" }, form.write.map { _ in "write" }].compactMap { $0 }
        do {
            guard !scopes.isEmpty else { throw ConcordError.invalid(field: "scope", "tick read, write or both") }
            let days = try (form.days ?? "").isEmpty ? nil : Self.days(form.days ?? "")
            let secret = try await MyTokens.create(name: name, scopes: scopes, expiresInDays: days, caller: req.caller)
            let response = try await render(req, created: Created(name: name, secret: secret))
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        } catch let error as ConcordError where error.code == .validation {
            let detail = error.fields.map { "\(Self.label($0.field)) \($0.detail)" }.joined(separator: "; ")
            return try await render(
                req, error: detail.isEmpty ? error.detail : detail, name: name, days: form.days ?? "",
                status: .unprocessableEntity)
        }
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let name = try await MyTokens.revoke(req.parameters.get("token", as: UUID.self), caller: req.caller)
        req.session.data[Self.flashKey] = "Token '\(name)' revoked: it no longer opens the API."
        return req.redirect(to: Paths.Accounts.tokensPage, redirectType: .normal)
    }

    private func render(
        _ req: Request, created: Created? = nil, flash: String? = nil, error: String? = nil, name: String = "",
        days: String = "", status: HTTPStatus = .ok
    ) async throws -> Response {
        let page = Page(
            viewer: try await req.webViewer(), csrf: req.csrfToken, tokens: try await MyTokens.list(caller: req.caller),
            created: created, flash: flash, error: error, name: name, days: days)
        return try await req.view.render("tokens", page).encodeResponse(status: status, for: req)
    }

    private static func days(_ text: String) throws -> Int {
        guard let days = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ConcordError.invalid(field: "expires-in-days", "must be a number of days (1 to 3650)")
        }
        return days
    }

    /// The form's label of a field the service names.
    static func label(_ field: String) -> String {
        ["name": "Name:", "scope": "Scopes:", "expires-in-days": "Valid for:"][field] ?? "\(field):"
    }
}
