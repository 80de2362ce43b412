import ConcordCore
import Foundation
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// Turns a host name into addresses: the system's resolver live, a script in tests (which have no
/// network). Webhook deliveries resolve once through it, check every address, and connect to the
/// checked one, so a name that resolves again differently between check and connect (DNS
/// rebinding) cannot lead inward.
protocol NameResolver: Sendable {
    func addresses(of host: String) async throws -> [IPAddress]
}

/// getaddrinfo, on the thread pool (it blocks).
struct SystemNameResolver: NameResolver {
    let pool: NIOThreadPool

    func addresses(of host: String) async throws -> [IPAddress] {
        try await pool.runIfActive { try Self.resolve(host) }
    }

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
            if let parsed = IPAddress(String(decoding: text[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)),
                !addresses.contains(parsed)
            {
                addresses.append(parsed)
            }
            entry = info.pointee.ai_next
        }
        return addresses
    }
}

extension Application {
    private struct NameResolverKey: StorageKey { typealias Value = any NameResolver }

    /// The resolver webhook deliveries use: the system's unless a test set another.
    var nameResolver: any NameResolver {
        get { storage[NameResolverKey.self] ?? SystemNameResolver(pool: threadPool) }
        set { storage[NameResolverKey.self] = newValue }
    }
}
