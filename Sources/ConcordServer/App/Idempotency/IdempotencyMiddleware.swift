import Foundation
import Vapor

/// Makes a POST safe to retry: with an `Idempotency-Key` header, a client that lost the answer
/// (a timeout, a dropped connection) sends the same request again and gets the first answer back,
/// marked `Idempotent-Replayed: true`, instead of a second incident, import or envelope. Keys are
/// the client's own (scoped to the authenticated user); the same key with another request is a
/// 422; a retry while the first still runs is a 409 with `Retry-After`. Only successful answers
/// are kept; after a failure the retry runs again.
struct IdempotencyMiddleware: AsyncMiddleware {
    static let header = "Idempotency-Key"
    static let replayedHeader = "Idempotent-Replayed"

    /// The route's own body limit (the body is read here to be digested); nil for the default.
    var bodyLimit: Int? = nil

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let key = request.headers.first(name: Self.header),
            let principal = request.auth.get(Principal.self)
        else { return try await next.respond(to: request) }
        guard Self.isValid(key) else {
            throw ConcordError(.malformedRequest, "\(Self.header) must be 1 to 255 visible ASCII characters")
        }
        let limit = bodyLimit ?? request.application.routes.defaultMaxBodySize.value
        let body = try await request.body.collect(max: limit).get()
        let store = IdempotencyStore(db: request.db, clock: request.application.clock)
        switch try await store.claim(
            scope: "user:\(principal.userID.uuidString)", key: key, digest: Self.digest(request, body: body))
        {
        case .replay(let record):
            return Self.replay(record)
        case .mismatch:
            throw ConcordError(.validation, "this \(Self.header) was used with another request; use a new key")
        case .inProgress:
            var error = ConcordError(.conflict, "the first request with this \(Self.header) is still running")
            error.retryAfter = 1
            throw error
        case .claimed(let record):
            let response: Response
            do { response = try await next.respond(to: request) } catch {
                try? await store.release(record)
                throw error
            }
            if (200..<300).contains(response.status.code), let stored = response.body.buffer {
                try await store.finish(
                    record, status: Int(response.status.code), contentType: response.headers.first(name: .contentType),
                    location: response.headers.first(name: .location), body: Data(buffer: stored))
            } else {
                try await store.release(record)
            }
            return response
        }
    }

    /// Visible ASCII, as the draft's structured-header string allows, at most 255 characters.
    static func isValid(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 255 && key.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// SHA-256 of the method, the path with its query, and the body.
    static func digest(_ request: Request, body: ByteBuffer?) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.url.string)\n".utf8))
        if let body { body.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) } }
        return Hex.string(hasher.finalize())
    }

    private static func replay(_ record: IdempotencyRecord) -> Response {
        var headers = HTTPHeaders()
        if let type = record.contentType { headers.replaceOrAdd(name: .contentType, value: type) }
        if let location = record.location { headers.replaceOrAdd(name: .location, value: location) }
        headers.replaceOrAdd(name: replayedHeader, value: "true")
        return Response(
            status: HTTPResponseStatus(statusCode: record.status ?? 200), headers: headers,
            body: .init(data: record.body ?? Data()))
    }
}
