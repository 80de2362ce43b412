import Foundation
import Vapor
import VaporTesting

@testable import ConcordServer

/// A browser-like session for the web pages: a cookie and the CSRF token the pages carry.
struct WebSession {
    var cookie: String
    var csrf: String

    /// Opens the login page and, unless anonymous, logs in as the test forum's user for `actor`.
    static func start(_ app: Application, as actor: Actor) async throws -> WebSession {
        var session = try await fresh(app)
        if actor != .anonymous {
            let response = try await session.send(
                .POST, "/login",
                form: [
                    "email": "\(actor.rawValue)@test.example",
                    "password": "correct horse \(actor.rawValue)",
                ], app: app)
            guard response.status == .seeOther else {
                throw ConcordError(.unauthenticated, "test login failed: \(response.status)")
            }
            session.cookie = response.headers.setCookie?["concord_session"]?.string ?? session.cookie
            session = try await session.refreshed(app)
        }
        return session
    }

    /// A session cookie and CSRF token from the login page.
    static func fresh(_ app: Application) async throws -> WebSession {
        let page = try await app.testing().send(.GET, "/login")
        let cookie = page.headers.setCookie?["concord_session"]?.string ?? ""
        return WebSession(cookie: cookie, csrf: csrfToken(in: String(buffer: page.body)) ?? "")
    }

    /// The CSRF token rotates at login; read the current one from a page.
    func refreshed(_ app: Application) async throws -> WebSession {
        let page = try await send(.GET, "/login", form: [:], app: app)
        return WebSession(cookie: cookie, csrf: Self.csrfToken(in: String(buffer: page.body)) ?? csrf)
    }

    /// Sends a request with the session cookie; state-changing ones post `form` plus the CSRF token.
    func send(
        _ method: HTTPMethod, _ path: String, form: [String: String], csrf override: String? = nil,
        app: Application
    ) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.cookie = ["concord_session": .init(string: cookie)]
        var body: ByteBuffer? = nil
        if method != .GET {
            var fields = form
            fields["csrf"] = override ?? csrf
            let encoded = fields.map { key, value in
                "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }.joined(separator: "&")
            body = ByteBuffer(string: encoded)
        }
        return try await app.testing().send(method, path, headers: headers, body: body, contentType: .urlEncodedForm)
    }

    /// Posts form fields in order, repeating names as a browser does for `name[]` lists.
    func post(_ path: String, fields: [(String, String)], app: Application) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.cookie = ["concord_session": .init(string: cookie)]
        let encoded = ([("csrf", csrf)] + fields).map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")="
                + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }.joined(separator: "&")
        return try await app.testing().send(
            .POST, path, headers: headers, body: ByteBuffer(string: encoded), contentType: .urlEncodedForm)
    }

    /// Posts one file as `multipart/form-data`, with the CSRF token as a field.
    func upload(_ path: String, field: String, filename: String, data: Data, app: Application) async throws
        -> TestingHTTPResponse
    {
        let boundary = "test-\(UUID().uuidString)"
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n".utf8))
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers = HTTPHeaders()
        headers.cookie = ["concord_session": .init(string: cookie)]
        return try await app.testing().send(
            .POST, path, headers: headers, body: ByteBuffer(data: body),
            contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]))
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
