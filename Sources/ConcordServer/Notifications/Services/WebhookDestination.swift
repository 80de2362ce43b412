import ConcordCore
import Foundation
import Vapor

/// Where a webhook may point: a public address (`OutboundAddress`), unless the operator named
/// the range (`CONCORD_WEBHOOK_ALLOW_RANGES`, for a receiver on the forum's own network or a test's
/// on loopback). Checked when a team saves the address (an address literal, or a name of this
/// machine) and again before every delivery, on every address the name resolves to then, so a
/// name that later resolves inward is refused too; the delivery then connects to the address that
/// was checked (`WebhookSender`), not to what a second lookup might say. Redirects are never
/// followed.
enum WebhookDestination {
    /// At save: refuses an address literal, or a name of this machine, that is not public.
    static func checkAtSave(_ url: String, allowed: [IPPrefix]) throws {
        guard let host = host(of: url) else { return }
        let literal = IPAddress(host) ?? (LocalHost.isThisMachine(host) ? IPAddress("127.0.0.1") : nil)
        if let literal, !OutboundAddress.mayConnect(to: literal, allowed: allowed) {
            throw ConcordError.invalid(field: "url", refusal(literal))
        }
    }

    /// Before connecting: every address the host resolves to now must be allowed. Returns the
    /// address to connect to (the first the resolver gave), or nil when the URL names an address.
    static func checkBeforeConnecting(_ url: String, allowed: [IPPrefix], resolver: any NameResolver) async throws
        -> IPAddress?
    {
        guard let host = host(of: url) else { throw ConcordError(.unavailable, "the webhook address has no host") }
        if let literal = IPAddress(host) {
            guard OutboundAddress.mayConnect(to: literal, allowed: allowed) else {
                throw ConcordError(.unavailable, "not delivered: \(refusal(literal))")
            }
            return nil
        }
        let addresses = try await resolver.addresses(of: host)
        guard let first = addresses.first else { throw ConcordError(.unavailable, "\(host) resolves to no address") }
        if let refused = addresses.first(where: { !OutboundAddress.mayConnect(to: $0, allowed: allowed) }) {
            throw ConcordError(.unavailable, "not delivered: \(host) resolves to \(refused); \(refusal(refused))")
        }
        return first
    }

    private static func refusal(_ address: IPAddress) -> String {
        "\(address) is not a public address (loopback, private, link-local and reserved ranges are refused unless CONCORD_WEBHOOK_ALLOW_RANGES names them)"
    }

    static func host(of url: String) -> String? {
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else { return nil }
        return host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}
