import ConcordCore
import Vapor

/// An error TAXII names with its own status: 406, 413, 415 and the rest.
struct TAXIIError: Error, Sendable {
    let status: HTTPResponseStatus
    let description: String
}

/// What every `/taxii2` request passes through: the `Accept` header must admit TAXII 2.1 (406
/// otherwise), and every error leaves as a TAXII error message (§3.6.1) whose `http_status` is the
/// status line's, in `application/taxii+json;version=2.1`. Unexpected errors are logged by type
/// and answered as a bare 500, as on the rest of the API.
struct TAXIIMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            guard TAXIIMediaType.accepts(request.headers.first(name: .accept)) else {
                throw TAXIIError(status: .notAcceptable, description: "send Accept: \(TAXIIMediaType.taxii)")
            }
            return try await next.respond(to: request)
        } catch {
            return Self.response(for: error, request: request)
        }
    }

    static func response(for error: any Error, request: Request) -> Response {
        let status: HTTPResponseStatus
        let description: String
        var retryAfter: Int?
        switch error {
        case let taxii as TAXIIError:
            (status, description) = (taxii.status, taxii.description)
        case let concord as ConcordError:
            (status, description, retryAfter) = (concord.status, concord.detail, concord.retryAfter)
        case is DecodingError:
            (status, description) = (.badRequest, "the body is not a TAXII envelope of JSON objects")
        case let abort as any AbortError where abort.status.code < 500:
            (status, description) = (abort.status, abort.reason)
        case _ where TransientDatabaseError.busy(for: error) != nil:
            let busy = ConcordError.busy
            (status, description, retryAfter) = (busy.status, busy.detail, busy.retryAfter)
        default:
            request.logger.report(error: error)
            (status, description) = (.internalServerError, "an unexpected error occurred; it has been logged")
        }
        let message = TAXIIErrorMessage(
            title: status.reasonPhrase, description: description, httpStatus: String(status.code))
        let response = Response(status: status)
        response.body = .init(data: (try? JSONEncoder().encode(message)) ?? Data("{}".utf8))
        response.headers.replaceOrAdd(name: .contentType, value: TAXIIMediaType.taxii)
        if let retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter)) }
        if status == .unauthorized {
            response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Basic realm=\"Concord TAXII\", Bearer")
        }
        return response
    }
}

/// HTTP Basic for TAXII clients, which mostly speak only that: the password is either an API token
/// (`concord_…`, any user name) or the account's own password (with lock-out and audit, as at the
/// web login; accounts with a second factor must use a token).
struct TAXIIBasicAuthenticator: AsyncBasicAuthenticator {
    func authenticate(basic: BasicAuthorization, for request: Request) async throws {
        if basic.password.hasPrefix("concord_") {
            if let principal = try await BearerTokenAuthenticator.principal(forToken: basic.password, request: request)
            {
                request.auth.login(principal)
            }
            return
        }
        guard
            let user = try? await LoginService.authenticate(
                email: basic.username, password: basic.password, totp: nil, caller: request.caller)
        else { return }
        request.auth.login(try await request.principal(of: user, scopes: nil))
    }
}
