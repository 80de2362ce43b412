import ConcordCore
import Foundation
import Vapor
import VaporTesting

@testable import ConcordServer

/// A small TAXII 2.1 client for tests: the right media types, an actor's token as HTTP Basic
/// (as TAXII clients send it), and STIX objects to send.
struct TAXIIClient {
    let app: Application
    let forum: TestForum
    let actor: Actor

    static let root = "/taxii2/forum"

    /// `application/taxii+json;version=2.1` as Vapor writes media types.
    static let mediaType = HTTPMediaType(type: "application", subType: "taxii+json", parameters: ["version": "2.1"])

    static func collection(_ id: UUID) -> String { "\(root)/collections/\(id.uuidString.lowercased())" }

    var headers: HTTPHeaders {
        var headers: HTTPHeaders = ["Accept": TAXIIMediaType.taxii]
        if let token = forum.tokens[actor] {
            headers.basicAuthorization = BasicAuthorization(username: "\(actor.rawValue)@test.example", password: token)
        }
        return headers
    }

    func get(_ path: String, headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = self.headers
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        return try await app.testing().send(.GET, path, headers: headers)
    }

    func delete(_ path: String) async throws -> TestingHTTPResponse {
        try await app.testing().send(.DELETE, path, headers: headers)
    }

    /// POSTs an envelope of `objects`; the answer is the status resource.
    func add(_ objects: [[String: Any]], to collection: UUID) async throws -> TestingHTTPResponse {
        let body = try JSONSerialization.data(withJSONObject: ["objects": objects])
        return try await app.testing().send(
            .POST, Self.collection(collection) + "/objects/", headers: headers, body: ByteBuffer(data: body),
            contentType: Self.mediaType)
    }

    /// Follows `next` from the first page to the last, returning every page's JSON.
    func pages(_ path: String, limit: Int) async throws -> [[String: Any]] {
        var pages: [[String: Any]] = []
        var next: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let cursor = next.map { "&next=\($0)" }  // base64url and a dot: nothing to escape
            let response = try await get(path + "\(separator)limit=\(limit)" + (cursor ?? ""))
            guard response.status == .ok else { throw Abort(response.status, reason: response.body.string) }
            let page = taxiiJSON(response)
            pages.append(page)
            next = page["next"] as? String
        } while next != nil
        return pages
    }
}

/// STIX objects for the sharing tests.
enum STIXSamples {
    /// An indicator for `address`, marked `label` (none when nil).
    static func indicator(
        id: String = "indicator--\(UUID().uuidString.lowercased())", label: TLPLabel? = .green,
        modified: String = "2026-11-30T00:00:00.000Z", address: String = "198.51.100.7"
    ) -> [String: Any] {
        var object: [String: Any] = [
            "type": "indicator", "spec_version": "2.1", "id": id, "created": "2026-11-29T00:00:00.000Z",
            "modified": modified, "name": "C2 server \(address)", "pattern": "[ipv4-addr:value = '\(address)']",
            "pattern_type": "stix", "valid_from": "2026-11-29T00:00:00Z", "indicator_types": ["malicious-activity"],
        ]
        if let label { object["object_marking_refs"] = [TLPMarking.id(of: label)] }
        return object
    }
}

/// The JSON object of a response body.
func taxiiJSON(_ response: TestingHTTPResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
}
