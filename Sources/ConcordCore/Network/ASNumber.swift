import Foundation

/// An autonomous system number (RFC 6793, 32 bits). AS 0 (RFC 7607) and AS 4294967295 are refused.
public struct ASNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The numeric value.
    public let value: UInt32

    /// Accepts `64496`, `AS64496` or `as64496`.
    public init?(_ text: String) {
        var digits = Substring(text.trimmingSpaces)
        if digits.lowercased().hasPrefix("as") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let parsed = UInt64(digits)
        else { return nil }
        self.init(value: parsed)
    }

    /// Accepts a number within 1 ... 4294967294.
    public init?(value: UInt64) {
        guard value >= 1, value < UInt64(UInt32.max) else { return nil }
        self.value = UInt32(value)
    }

    public var description: String { "AS\(value)" }

    public static func < (lhs: ASNumber, rhs: ASNumber) -> Bool { lhs.value < rhs.value }
}
