import ConcordCore
import Foundation
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// Where a webhook may point: a public address (`OutboundAddress`), unless the operator named
/// the range (`CONCORD_WEBHOOK_ALLOW_RANGES`, for a receiver on the forum's own network or a test's
/// on loopback). Checked when a team saves the address (an address literal, or a name of this
/// machine) and again before every delivery, on every address the name resolves to then, so a
/// name that later resolves inward is refused too. Redirects are never followed (`configure`).
enum WebhookDestination {
    /// At save: refuses an address literal, or a name of this machine, that is not public.
    static func checkAtSave(_ url: String, allowed: [IPPrefix]) throws {
        guard let host = host(of: url) else { return }
        let literal = IPAddress(host) ?? (LocalHost.isThisMachine(host) ? IPAddress("127.0.0.1") : nil)
        if let literal, !OutboundAddress.mayConnect(to: literal, allowed: allowed) {
            throw ConcordError.invalid(field: "url", refusal(literal))
        }
    }

    /// Before connecting: every address the host resolves to now must be allowed.
    static func checkBeforeConnecting(_ url: String, allowed: [IPPrefix], pool: NIOThreadPool) async throws {
        guard let host = host(of: url) else { throw ConcordError(.unavailable, "the webhook address has no host") }
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else {
            addresses = try await pool.runIfActive { try resolve(host) }
        }
        guard !addresses.isEmpty else { throw ConcordError(.unavailable, "\(host) resolves to no address") }
        if let refused = addresses.first(where: { !OutboundAddress.mayConnect(to: $0, allowed: allowed) }) {
            throw ConcordError(.unavailable, "not delivered: \(host) resolves to \(refused); \(refusal(refused))")
        }
    }

    private static func refusal(_ address: IPAddress) -> String {
        "\(address) is not a public address (loopback, private, link-local and reserved ranges are refused unless CONCORD_WEBHOOK_ALLOW_RANGES names them)"
    }

    private static func host(of url: String) -> String? {
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else { return nil }
        return host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// The addresses `host` resolves to (getaddrinfo, on the thread pool: it blocks).
    private static func resolve(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else {
            throw ConcordError(.unavailable, "\(host) does not resolve: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry = list
        while let info = entry {
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            switch info.pointee.ai_family {
            case AF_INET:
                var address = info.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    $0.pointee.sin_addr
                }
                inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
            case AF_INET6:
                var address = info.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    $0.pointee.sin6_addr
                }
                inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
            default: break
            }
            let end = text.firstIndex(of: 0) ?? text.endIndex
            if let parsed = IPAddress(String(decoding: text[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)) {
                addresses.append(parsed)
            }
            entry = info.pointee.ai_next
        }
        return addresses
    }
}
