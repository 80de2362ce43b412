import Fluent
import Vapor

/// Logs in the user whose id the session carries (web pages only). A user still on a password
/// Concord generated (`mustChangePassword`) reaches only the page that replaces it, and logout.
struct WebSessionMiddleware: AsyncMiddleware {
    static let userKey = "user"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let raw = request.session.data[Self.userKey], let id = UUID(uuidString: raw),
            let user = try await User.find(id, on: request.db)
        {
            // A disabled account's open sessions end at their next request.
            guard user.disabledAt == nil else {
                request.session.destroy()
                return try await next.respond(to: request)
            }
            // Failed logins elsewhere never end a live session (LoginThrottle).
            request.auth.login(try await request.principal(of: user, scopes: nil))
            let path = request.url.path
            if user.mustChangePassword, path != Paths.Accounts.passwordPage(), path != "/\(Paths.Accounts.logout)" {
                let target =
                    request.method == .GET ? path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) : nil
                return request.redirect(to: Paths.Accounts.passwordPage(next: target), redirectType: .normal)
            }
        }
        return try await next.respond(to: request)
    }
}

/// Synchroniser-token CSRF protection: every session has a random token; every form carries it in
/// a hidden `csrf` field; a state-changing request without the matching token is refused with 403.
struct CSRFMiddleware: AsyncMiddleware {
    static let sessionKey = "csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method != .GET && request.method != .HEAD {
            // The token is in the body, so the body is read here, before the route would: up to the
            // attachment limit for file uploads, a megabyte for every other form.
            if request.body.data == nil {
                let limit =
                    request.url.path.hasSuffix("/\(Paths.attachments)")
                    ? request.application.concord.attachmentMaxBytes + (1 << 20) : 1 << 20
                _ = try await request.body.collect(max: limit).get()
            }
            let expected = request.session.data[Self.sessionKey] ?? ""
            let given: String
            do {
                given = try request.content.decode(CSRFField.self).csrf
            } catch let error as ConcordError where error.code == .validation {
                throw error  // a body refused for what it holds (ControlCharacterGuard) says so
            } catch {
                given = request.headers.first(name: "X-CSRF-Token") ?? ""
            }
            guard !expected.isEmpty, Self.constantTimeEqual(expected, given) else {
                request.logger.notice(
                    "CSRF token missing or wrong for \(request.method) \(RequestLoggingMiddleware.loggable(request.url.path))"
                )
                throw ConcordError(
                    .forbidden, "the form has expired or did not come from Concord; reload the page and try again")
            }
        }
        return try await next.respond(to: request)
    }

    /// The token as a form field (url-encoded or multipart).
    private struct CSRFField: Decodable {
        let csrf: String
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// This session's CSRF token, created on first use.
    var csrfToken: String {
        if let token = session.data[CSRFMiddleware.sessionKey] { return token }
        let token = Data([UInt8].random(count: 24)).base64EncodedString()
        session.data[CSRFMiddleware.sessionKey] = token
        return token
    }

    /// Whether the request is for the JSON API (problem+json errors) rather than the web pages.
    var isAPIRequest: Bool {
        url.path.hasPrefix("/\(Paths.api)/") || url.path == "/\(Paths.metrics)"
            || url.path.hasPrefix("/\(Paths.Sharing.taxii)")
    }
}
