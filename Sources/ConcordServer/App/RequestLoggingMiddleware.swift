import Vapor

/// Logs each request's method and path, with the secret part of a capability path left out: an
/// acknowledgement or communication-check link (`/ack/<id>.<mac>`, `/checks/<id>.<mac>`) works for
/// whoever holds it, so its MAC never reaches the log (`/ack/<id>.…`). At debug unless
/// `CONCORD_LOG_REQUESTS=1`: a server's log is for what needs a reader.
struct RequestLoggingMiddleware: AsyncMiddleware {
    let level: Logger.Level

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.logger.log(level: level, "\(request.method) \(Self.loggable(request.url.path))")
        return try await next.respond(to: request)
    }

    /// The path as it may be logged: a capability token cut after its id (or wholly, if it has none).
    static func loggable(_ path: String) -> String {
        let decoded = path.removingPercentEncoding ?? path
        var segments = decoded.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let capabilities: Set<String> = [Paths.Notifications.acknowledge, Paths.Checks.link]
        guard segments.count >= 3, segments[0].isEmpty, capabilities.contains(segments[1]) else { return decoded }
        let token = segments[2]
        segments[2] = token.firstIndex(of: ".").map { String(token[..<$0]) + ".…" } ?? "…"
        return segments.prefix(3).joined(separator: "/") + (segments.count > 3 ? "/…" : "")
    }
}
