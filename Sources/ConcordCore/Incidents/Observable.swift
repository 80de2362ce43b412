import Foundation

/// A technical fact in an incident, validated and normalised: an IP address or prefix, an AS
/// number, a domain, a URL, an e-mail address or a file hash.
public enum Observable: Hashable, Sendable, CustomStringConvertible {
    case ipAddress(IPAddress)
    case ipPrefix(IPPrefix)
    case asn(ASNumber)
    case domain(DomainName)
    /// A URL with an http(s) or ftp scheme; its host is kept for routing.
    case url(String, host: RoutingQuery)
    /// An e-mail address; its domain is kept for routing.
    case email(local: String, domain: DomainName)
    case md5(String)
    case sha1(String)
    case sha256(String)

    /// The kinds, as the API and the forms name them.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case ipAddress = "ip-address"
        case ipPrefix = "ip-prefix"
        case asn
        case domain
        case url
        case email
        case md5
        case sha1
        case sha256
    }

    /// Why a value is not an observable of the kind given.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Parses `value` as an observable of `kind`.
    public static func parse(_ value: String, as kind: Kind) -> Result<Observable, ParseError> {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        func fail(_ why: String) -> Result<Observable, ParseError> { .failure(ParseError(description: why)) }
        switch kind {
        case .ipAddress:
            return IPAddress(text).map { .success(.ipAddress($0)) } ?? fail("'\(text)' is not an IPv4 or IPv6 address")
        case .ipPrefix:
            switch IPPrefix.parse(text) {
            case .success(let prefix): return .success(.ipPrefix(prefix))
            case .failure(let error): return fail(error.description)
            }
        case .asn:
            return ASNumber(text).map { .success(.asn($0)) } ?? fail("'\(text)' is not an AS number in 1–4294967294")
        case .domain:
            switch DomainName.parse(text) {
            case .success(let name) where name.labels.count >= 2: return .success(.domain(name))
            case .success: return fail("'\(text)' is a single label, not a domain")
            case .failure(let error): return fail(error.description)
            }
        case .url:
            return parseURL(text)
        case .email:
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, !parts[0].contains(where: \.isWhitespace),
                let domain = DomainName(String(parts[1])), domain.labels.count >= 2
            else { return fail("'\(text)' is not an e-mail address") }
            return .success(.email(local: String(parts[0]), domain: domain))
        case .md5, .sha1, .sha256:
            let length = kind == .md5 ? 32 : kind == .sha1 ? 40 : 64
            let lower = text.lowercased()
            guard lower.count == length, lower.allSatisfy(\.isHexDigit) else {
                return fail("'\(text)' is not a \(kind.rawValue.uppercased()) hash (\(length) hexadecimal digits)")
            }
            return .success(kind == .md5 ? .md5(lower) : kind == .sha1 ? .sha1(lower) : .sha256(lower))
        }
    }

    /// Guesses the kind: address, prefix, AS number, hash, e-mail, URL, then domain.
    public static func detect(_ value: String) -> Observable? {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let order: [Kind]
        if text.contains("://") {
            order = [.url]
        } else if text.contains("@") {
            order = [.email]
        } else if text.contains("/") {
            order = [.ipPrefix]
        } else if text.lowercased().hasPrefix("as") || text.allSatisfy(\.isNumber) {
            order = [.asn]
        } else {
            order = [.ipAddress, .md5, .sha1, .sha256, .domain]
        }
        for kind in order {
            if case .success(let observable) = parse(text, as: kind) { return observable }
        }
        return nil
    }

    private static func parseURL(_ text: String) -> Result<Observable, ParseError> {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https", "ftp"].contains(scheme), let rawHost = components.host, !rawHost.isEmpty
        else { return .failure(ParseError(description: "'\(text)' is not an http, https or ftp URL")) }
        let host = rawHost.hasPrefix("[") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let query: RoutingQuery
        if let address = IPAddress(host) {
            query = .ip(address)
        } else if let name = DomainName(host), name.labels.count >= 2 {
            query = .domain(name)
        } else {
            return .failure(ParseError(description: "'\(text)' has no valid host"))
        }
        var normalised = components
        normalised.scheme = scheme
        normalised.host = rawHost.lowercased()
        return .success(.url(normalised.string ?? text, host: query))
    }

    /// The kind of this observable.
    public var kind: Kind {
        switch self {
        case .ipAddress: return .ipAddress
        case .ipPrefix: return .ipPrefix
        case .asn: return .asn
        case .domain: return .domain
        case .url: return .url
        case .email: return .email
        case .md5: return .md5
        case .sha1: return .sha1
        case .sha256: return .sha256
        }
    }

    /// What the routing table is asked about this observable; nil for hashes. A prefix routes by
    /// its network address; a URL by its host; an e-mail address by its domain.
    public var routingQuery: RoutingQuery? {
        switch self {
        case .ipAddress(let address): return .ip(address)
        case .ipPrefix(let prefix): return .ip(prefix.address)
        case .asn(let asn): return .asn(asn)
        case .domain(let name): return .domain(name)
        case .url(_, let host): return host
        case .email(_, let domain): return .domain(domain)
        case .md5, .sha1, .sha256: return nil
        }
    }

    /// The normalised text.
    public var description: String {
        switch self {
        case .ipAddress(let address): return address.description
        case .ipPrefix(let prefix): return prefix.description
        case .asn(let asn): return asn.description
        case .domain(let name): return name.description
        case .url(let text, _): return text
        case .email(let local, let domain): return "\(local)@\(domain)"
        case .md5(let hash), .sha1(let hash), .sha256(let hash): return hash
        }
    }
}
