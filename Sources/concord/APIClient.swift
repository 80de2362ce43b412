import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where the commands that act as a person find Concord, and with whose token.
struct APIOptions: ParsableArguments {
    @Option(help: "Concord's address (default: $CONCORD_URL, else http://127.0.0.1:8080).")
    var url: String?

    @Option(help: "An API token (default: $CONCORD_TOKEN); `concord token create` makes one.")
    var token: String?

    /// A client for these options; fails when no token is given.
    func client() throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        guard let token = token ?? environment["CONCORD_TOKEN"], !token.isEmpty else {
            throw ValidationError("give --token or set CONCORD_TOKEN (see `concord token create`)")
        }
        let base = url ?? environment["CONCORD_URL"] ?? "http://127.0.0.1:8080"
        return APIClient(base: base.hasSuffix("/") ? String(base.dropLast()) : base, token: token)
    }
}

/// The JSON API as a person's tool uses it: bearer token, JSON in and out, and a problem+json
/// answer turned into a readable error.
struct APIClient: Sendable {
    let base: String
    let token: String

    /// An answer the API refused, with the problem's detail and every field error.
    struct Refused: Error, CustomStringConvertible {
        let status: Int
        let detail: String
        /// The server's `Retry-After`, in seconds.
        var retryAfter: Int?
        var description: String { "Concord answered \(status): \(detail)" }
    }

    /// No answer at all: the server is down, the address is wrong, or the answer took too long.
    struct Unreachable: Error, CustomStringConvertible {
        let base: String
        let reason: String
        var description: String {
            "cannot reach Concord at \(base) (\(reason)); is `concord serve` running there? (--url or CONCORD_URL)"
        }
    }

    /// A transport failure in a few words, not the socket error's dump.
    static func transportReason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") || text.contains("readTimeout") {
            return "no answer in time"
        }
        if text.contains("refused") || text.contains("Refused") { return "connection refused" }
        if text.contains("resolve") || text.contains("NXDOMAIN") || text.contains("getaddrinfo") {
            return "the host name does not resolve"
        }
        return "no connection"
    }

    func get<Response: Decodable>(_ path: String, as type: Response.Type) async throws -> Response {
        try decode(try await send(.GET, path, body: nil), as: type)
    }

    /// POSTs `body`. With `retrying`, the request carries a new `Idempotency-Key` and is sent
    /// again, with the same key, after a 5xx or a timeout (up to `RetryPolicy.attempts` times, each
    /// retry said on standard error): Concord answers a retry it has done already with the first
    /// answer, so nothing is reported twice.
    func post<Body: Encodable, Response: Decodable>(
        _ path: String, _ body: Body, as type: Response.Type, retrying: Bool = false
    ) async throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(body)
        guard retrying else { return try decode(try await send(.POST, path, body: data), as: type) }
        let key = UUID().uuidString
        var attempt = 1
        while true {
            do {
                return try decode(try await send(.POST, path, body: data, idempotencyKey: key), as: type)
            } catch let failure where attempt < RetryPolicy.attempts && RetryPolicy.isTransient(failure) {
                let delay = RetryPolicy.delay(after: attempt, failure)
                FileHandle.standardError.write(
                    Data(
                        "\(RetryPolicy.reason(failure)); retrying in \(delay) s (attempt \(attempt + 1) of \(RetryPolicy.attempts), same Idempotency-Key)\n"
                            .utf8))
                try await Task.sleep(for: .seconds(delay))
                attempt += 1
            }
        }
    }

    /// Sends `body` as `contentType` (JSON by default) with `method`, and decodes the answer.
    func send<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, body: Data?, contentType: String = "application/json",
        as type: Response.Type
    ) async throws -> Response {
        try decode(try await send(method, path, body: body, contentType: contentType), as: type)
    }

    /// The answer's bytes as they are (a CSV, a file).
    func raw(_ path: String) async throws -> Data { try await send(.GET, path, body: nil) }

    /// The process's one HTTP client. Its connect timeout bounds every attempt to connect, so a
    /// refused connection ends the command in seconds; the shared client's would try again until
    /// the request's 30 s were gone (async-http-client's connection pool retries refusals).
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(5), read: .seconds(30))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    private func send(
        _ method: HTTPMethod, _ path: String, body: Data?, idempotencyKey: String? = nil,
        contentType: String = "application/json"
    ) async throws -> Data {
        var request = HTTPClientRequest(url: base + "/api/v1" + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await Self.http.execute(request, timeout: .seconds(30))
        } catch {
            throw Unreachable(base: base, reason: Self.transportReason(error))
        }
        let data = Data(buffer: try await response.body.collect(upTo: 16 << 20))
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Refused(
                status: Int(response.status.code), detail: Self.problemDetail(data),
                retryAfter: response.headers.first(name: "Retry-After").flatMap(Int.init))
        }
        return data
    }

    private func decode<Response: Decodable>(_ data: Data, as type: Response.Type) throws -> Response {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: data)
    }

    /// `detail`, or the field errors, on one line (every command's errors are one line).
    static func problemDetail(_ data: Data) -> String {
        struct Problem: Decodable {
            struct Field: Decodable {
                let field: String
                let detail: String
            }
            let detail: String
            let errors: [Field]?
        }
        guard let problem = try? JSONDecoder().decode(Problem.self, from: data) else {
            return String(decoding: data.prefix(300), as: UTF8.self)
        }
        guard let fields = problem.errors, !fields.isEmpty else { return problem.detail }
        return fields.map { "\($0.field): \($0.detail)" }.joined(separator: "; ")
    }
}

/// When the CLI sends a request again: after a 5xx answer or a failure to get any answer (a
/// timeout, a refused or dropped connection), with growing waits, at most five attempts in all.
enum RetryPolicy {
    static let attempts = 5

    /// 5xx answers and transport failures; never a 4xx, which a retry would only repeat.
    static func isTransient(_ error: any Error) -> Bool {
        if let refused = error as? APIClient.Refused { return refused.status >= 500 }
        return !(error is DecodingError)
    }

    /// 1, 2, 4, 8 seconds, or the server's `Retry-After` when it names a longer wait.
    static func delay(after attempt: Int, _ error: any Error) -> Int {
        let backoff = 1 << (attempt - 1)
        return max(backoff, (error as? APIClient.Refused)?.retryAfter ?? 0)
    }

    static func reason(_ error: any Error) -> String {
        if let refused = error as? APIClient.Refused { return "Concord answered \(refused.status)" }
        return "no answer from Concord (\(String(describing: type(of: error))))"
    }
}
