import AsyncHTTPClient
import ConcordCore
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
///
/// The connection goes to `address`, the one `WebhookDestination` checked, with the URL's host
/// kept for the Host header and TLS (server name and certificate): the name is not looked up a
/// second time. Redirects are not followed.
struct WebhookSender: Sendable {
    let eventLoopGroup: any EventLoopGroup
    let secret: ServerSecret

    /// Delivers `body`; throws unless the receiver answers 2xx within 15 seconds.
    func deliver(
        _ body: String, to url: String, address: IPAddress?, event: String, delivery: String, team: UUID,
        secretVersion: Int, at now: Date
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
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(string: body))
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        if let address, let host = WebhookDestination.host(of: url) { configuration.dnsOverride = [host: "\(address)"] }
        let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        let status: UInt
        do {
            status = try await client.execute(request, timeout: .seconds(15)).status.code
        } catch {
            try? await client.shutdown()
            throw ConcordError(.unavailable, "the webhook could not be reached: \(error)")
        }
        try await client.shutdown()
        guard (200..<300).contains(status) else { throw ConcordError(.unavailable, "the webhook answered \(status)") }
    }

    /// `sha256=` and the hex HMAC-SHA256 of `"<timestamp>.<body>"`.
    static func signature(secret: String, timestamp: Int, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + Hex.string(mac)
    }
}
