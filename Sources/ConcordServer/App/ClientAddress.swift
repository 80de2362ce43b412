import ConcordCore
import Vapor

extension Request {
    /// The client's address: the peer's, or, when the peer is a proxy the operator trusts
    /// (`CONCORD_TRUSTED_PROXIES`, such as the HAProxy of `deploy/`), the nearest address in
    /// `X-Forwarded-For` that is not a trusted proxy. A header from anyone else is ignored, so a
    /// client cannot choose the address its logins are throttled and audited under.
    var clientAddress: String? {
        guard let peer = remoteAddress?.ipAddress else { return nil }
        let trusted = application.concord.trustedProxies
        guard Self.isTrusted(peer, among: trusted) else { return peer }
        let hops = headers[.xForwardedFor].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !Self.isTrusted(hop, among: trusted) {
            return IPAddress(hop).map(\.description) ?? peer
        }
        return peer
    }

    private static func isTrusted(_ address: String, among trusted: [IPPrefix]) -> Bool {
        guard let parsed = IPAddress(address) else { return false }
        return trusted.contains { $0.contains(parsed) }
    }
}
