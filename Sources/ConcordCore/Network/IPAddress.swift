import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address held as a 128-bit value, most significant bits first.
///
/// IPv4 addresses occupy the top 32 bits of `high`, so the same bit-walking code serves both families
/// while the family keeps them apart (an IPv4 address never matches an IPv6 prefix).
@frozen
public struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address family.
    public enum Family: String, Sendable, Codable { case v4, v6 }

    public let family: Family
    /// Bits 0–63 of the address (for IPv4: the address in the top 32 bits).
    public let high: UInt64
    /// Bits 64–127 of the address (always zero for IPv4).
    public let low: UInt64

    /// The number of bits in an address of this family.
    public var bitWidth: Int { family == .v4 ? 32 : 128 }

    /// Creates an IPv4 address from its 32-bit value.
    public init(v4 value: UInt32) {
        family = .v4
        high = UInt64(value) << 32
        low = 0
    }

    /// Creates an IPv6 address from its two 64-bit halves.
    public init(v6High high: UInt64, low: UInt64) {
        family = .v6
        self.high = high
        self.low = low
    }

    init(family: Family, high: UInt64, low: UInt64) {
        self.family = family
        self.high = high
        self.low = low
    }

    /// Parses dotted-quad IPv4 or any RFC 4291 text form of IPv6 (with the C library's `inet_pton`).
    /// Returns nil for anything else, including zone ids and leading zeros that `inet_pton` refuses.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.utf8.count <= 45 else { return nil }
        if trimmed.contains(":") {
            var raw = in6_addr()
            guard inet_pton(AF_INET6, trimmed, &raw) == 1 else { return nil }
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            var hi: UInt64 = 0
            var lo: UInt64 = 0
            for index in 0..<8 { hi = hi << 8 | UInt64(bytes[index]) }
            for index in 8..<16 { lo = lo << 8 | UInt64(bytes[index]) }
            self.init(v6High: hi, low: lo)
        } else {
            var raw = in_addr()
            guard inet_pton(AF_INET, trimmed, &raw) == 1 else { return nil }
            self.init(v4: UInt32(bigEndian: raw.s_addr))
        }
    }

    /// The address's 32-bit value when it is IPv4.
    public var v4Value: UInt32? { family == .v4 ? UInt32(truncatingIfNeeded: high >> 32) : nil }

    /// Canonical text: dotted quad, or RFC 5952 compressed IPv6 (from `inet_ntop`).
    public var description: String {
        switch family {
        case .v4:
            let value = UInt32(truncatingIfNeeded: high >> 32)
            return "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
        case .v6:
            var bytes = [UInt8](repeating: 0, count: 16)
            for index in 0..<8 {
                bytes[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(index)))
                bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(index)))
            }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            let ok = bytes.withUnsafeBytes { raw in
                inet_ntop(AF_INET6, raw.baseAddress, &buffer, socklen_t(INET6_ADDRSTRLEN)) != nil
            }
            guard ok else { return "invalid" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Orders IPv4 before IPv6, then numerically.
    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.family != rhs.family { return lhs.family == .v4 }
        return (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// The bit at `index` (0 = most significant).
    @inlinable
    public func bit(_ index: Int) -> Bool {
        index < 64 ? (high >> UInt64(63 - index)) & 1 == 1 : (low >> UInt64(127 - index)) & 1 == 1
    }

    /// This address with every bit from `length` on cleared.
    public func masked(to length: Int) -> IPAddress {
        let (maskHigh, maskLow) = IPAddress.mask(length: length)
        return IPAddress(family: family, high: high & maskHigh, low: low & maskLow)
    }

    /// This address with every bit from `length` on set (the last address of the prefix).
    public func filled(from length: Int) -> IPAddress {
        let (maskHigh, maskLow) = IPAddress.mask(length: length)
        let widthHigh: UInt64 = family == .v4 ? 0xFFFF_FFFF_0000_0000 : .max
        let widthLow: UInt64 = family == .v4 ? 0 : .max
        return IPAddress(family: family, high: (high | ~maskHigh) & widthHigh, low: (low | ~maskLow) & widthLow)
    }

    static func mask(length: Int) -> (UInt64, UInt64) {
        let high: UInt64 = length <= 0 ? 0 : length >= 64 ? .max : ~(UInt64.max >> UInt64(length))
        let low: UInt64 = length <= 64 ? 0 : length >= 128 ? .max : ~(UInt64.max >> UInt64(length - 64))
        return (high, low)
    }
}
