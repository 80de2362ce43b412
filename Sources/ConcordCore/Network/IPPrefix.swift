import Foundation

/// An IP prefix in CIDR form (`203.0.113.0/25`, `2001:db8::/32`).
///
/// Prefixes are strict: the bits after the length must be zero, so a typing slip such as
/// `203.0.113.7/24` is refused instead of silently widened.
public struct IPPrefix: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The network address (host bits are always zero).
    public let address: IPAddress
    /// The prefix length in bits.
    public let length: Int

    /// Why a text is not a prefix.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case notAnAddress(String)
        case badLength(String)
        case hostBitsSet(suggestion: String)

        public var description: String {
            switch self {
            case .notAnAddress(let text): return "'\(text)' is not an IPv4 or IPv6 address"
            case .badLength(let text): return "'\(text)' is not a valid prefix length"
            case .hostBitsSet(let suggestion): return "host bits are set; did you mean \(suggestion)?"
            }
        }
    }

    /// Creates a prefix, clearing host bits.
    public init(network address: IPAddress, length: Int) {
        precondition(length >= 0 && length <= address.bitWidth, "prefix length out of range")
        self.address = address.masked(to: length)
        self.length = length
    }

    /// Parses `address/length`; a bare address is a host prefix (/32 or /128).
    public static func parse(_ text: String) -> Result<IPPrefix, ParseError> {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return .failure(.notAnAddress(String(parts[0]))) }
        var length = address.bitWidth
        if parts.count == 2 {
            let lengthText = String(parts[1])
            guard lengthText.allSatisfy(\.isASCII), lengthText.allSatisfy(\.isNumber), lengthText.count <= 3,
                let value = Int(lengthText), value <= address.bitWidth
            else { return .failure(.badLength(lengthText)) }
            length = value
        }
        let prefix = IPPrefix(network: address, length: length)
        guard prefix.address == address else { return .failure(.hostBitsSet(suggestion: prefix.description)) }
        return .success(prefix)
    }

    /// Parses a prefix or returns nil.
    public init?(_ text: String) {
        guard case .success(let prefix) = IPPrefix.parse(text) else { return nil }
        self = prefix
    }

    /// Whether `other` lies inside this prefix.
    public func contains(_ other: IPAddress) -> Bool {
        other.family == address.family && other.masked(to: length) == address
    }

    /// Whether `other` is this prefix or a more specific one inside it.
    public func contains(_ other: IPPrefix) -> Bool {
        other.length >= length && contains(other.address)
    }

    /// The last address of the prefix.
    public var lastAddress: IPAddress { address.filled(from: length) }

    public var description: String { "\(address)/\(length)" }

    /// Orders by family, then network address, then shorter prefixes first.
    public static func < (lhs: IPPrefix, rhs: IPPrefix) -> Bool {
        if lhs.address != rhs.address { return lhs.address < rhs.address }
        return lhs.length < rhs.length
    }
}
