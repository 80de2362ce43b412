import Foundation
import Vapor

/// POSTs a notification to a team's webhook: JSON, signed with HMAC-SHA256 over
/// `"<timestamp>.<body>"` with the team's secret, in the style receivers already know:
///
///     X-Concord-Event: incident.assigned
///     X-Concord-Delivery: <the outbox message id, the same on every attempt>
///     X-Concord-Timestamp: <Unix seconds>
///     X-Concord-Signature: sha256=<hex HMAC>
///
/// A receiver recomputes the HMAC, compares in constant time and refuses old timestamps (replays).
struct WebhookSender: Sendable {
    let client: any Client
    let secret: ServerSecret

    /// Delivers `body`; throws unless the receiver answers 2xx within 15 seconds.
    func deliver(
        _ body: String, to url: String, event: String, delivery: String, team: UUID, secretVersion: Int, at now: Date
    ) async throws {
        let timestamp = Int(now.timeIntervalSince1970)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "User-Agent", value: "Concord-Webhook/1")
        headers.add(name: "X-Concord-Event", value: event)
        headers.add(name: "X-Concord-Delivery", value: delivery)
        headers.add(name: "X-Concord-Timestamp", value: String(timestamp))
        headers.add(
            name: "X-Concord-Signature",
            value: Self.signature(
                secret: secret.webhookSecret(team: team, version: secretVersion), timestamp: timestamp, body: body))
        let request = ClientRequest(
            method: .POST, url: URI(string: url), headers: headers, body: ByteBuffer(string: body),
            timeout: .seconds(15))
        let response = try await client.send(request)
        guard (200..<300).contains(response.status.code) else {
            throw ConcordError(.unavailable, "the webhook answered \(response.status.code)")
        }
    }

    /// `sha256=` and the hex HMAC-SHA256 of `"<timestamp>.<body>"`.
    static func signature(secret: String, timestamp: Int, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + Hex.string(mac)
    }
}
