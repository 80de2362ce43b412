import Vapor

/// Turns every error into an RFC 9457 problem: `application/problem+json` with a stable `type`.
/// Unexpected errors are logged with their type only and answered as a bare 500, so nothing a
/// request carried (tokens, passwords) reaches the client or the log.
struct ProblemMiddleware: AsyncMiddleware {
    /// The RFC 9457 body.
    struct Problem: Content {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let instance: String
        let errors: [ConcordError.FieldError]?
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            // Paths under /taxii2 that match no route still answer in TAXII's own error format.
            if request.url.path.hasPrefix("/\(Paths.Sharing.taxii)") {
                return TAXIIMiddleware.response(for: error, request: request)
            }
            return problemResponse(for: error, request: request)
        }
    }

    private func problemResponse(for error: any Error, request: Request) -> Response {
        let concord: ConcordError
        switch error {
        case let known as ConcordError:
            concord = known
        case is DecodingError:
            concord = ConcordError(
                .malformedRequest, "the request body does not match the expected JSON: \(Self.describe(error))")
        case let abort as any AbortError where abort.status == .notFound:
            concord = .notFound("resource")
        case let abort as any AbortError where abort.status == .unauthorized:
            concord = .unauthenticated
        case let abort as any AbortError where abort.status == .payloadTooLarge:
            concord = ConcordError(.tooLarge, "the request body is larger than this route accepts")
        case let abort as any AbortError where abort.status.code < 500:
            concord = ConcordError(.malformedRequest, abort.reason)
        case _ where TransientDatabaseError.busy(for: error) != nil:
            request.logger.warning("write refused for the moment: \(String(describing: type(of: error)))")
            concord = .busy
        default:
            request.logger.report(error: error)
            if !request.isAPIRequest {
                return WebErrorPage.response(
                    for: ConcordError(.unavailable, "an unexpected error occurred; it has been logged"),
                    request: request, status: .internalServerError)
            }
            return Self.encode(
                Problem(
                    type: "about:blank", title: "Internal Server Error", status: 500,
                    detail: "an unexpected error occurred; it has been logged", instance: request.url.path,
                    errors: nil), status: .internalServerError)
        }
        if !request.isAPIRequest {
            let page = WebErrorPage.response(for: concord, request: request)
            if let seconds = concord.retryAfter { page.headers.replaceOrAdd(name: .retryAfter, value: String(seconds)) }
            return page
        }
        let problem = Problem(
            type: "https://concord.example/problems/\(concord.code.rawValue)", title: concord.status.reasonPhrase,
            status: Int(concord.status.code), detail: concord.detail, instance: request.url.path,
            errors: concord.fields.isEmpty ? nil : concord.fields)
        let response = Self.encode(problem, status: concord.status)
        if concord.code == .unauthenticated { response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer") }
        if let seconds = concord.retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds)) }
        return response
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "invalid" }
        switch decoding {
        case .keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not valid JSON" : "wrong type or value at '\(path)'"
        @unknown default: return "invalid"
        }
    }

    static func encode(_ problem: Problem, status: HTTPResponseStatus) -> Response {
        let response = Response(status: status)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        response.body = .init(data: (try? encoder.encode(problem)) ?? Data("{}".utf8))
        response.headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
        return response
    }
}
