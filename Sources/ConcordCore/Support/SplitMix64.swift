/// A small seeded random number generator (SplitMix64), so that randomised tests and benchmarks
/// are repeatable: the same seed gives the same prefixes and queries on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random prefixes and addresses for tests and benchmarks.
public enum RandomNetworks {
    /// A random prefix: IPv4 with length 8–32 or IPv6 with length 16–64 (plus a few host routes),
    /// IPv4 with probability `v4Share`.
    public static func prefix(using rng: inout SplitMix64, v4Share: Double = 0.5) -> IPPrefix {
        if Double(rng.next() % 1_000_000) / 1_000_000 < v4Share {
            let length = Int(rng.next() % 25) + 8
            return IPPrefix(network: IPAddress(v4: UInt32(truncatingIfNeeded: rng.next())), length: length)
        }
        let length = rng.next() % 50 == 0 ? 128 : Int(rng.next() % 49) + 16
        return IPPrefix(network: IPAddress(v6High: rng.next(), low: rng.next()), length: length)
    }

    /// A random address, drawn half the time from inside one of `near` (so lookups hit deep
    /// prefixes, not only the short ones that cover most of the space).
    public static func address(using rng: inout SplitMix64, near prefixes: [IPPrefix]) -> IPAddress {
        let random = rng.next()
        if random & 1 == 0, !prefixes.isEmpty {
            let base = prefixes[Int(rng.next() % UInt64(prefixes.count))]
            let noise = IPAddress(family: base.address.family, high: rng.next(), low: rng.next())
            let (maskHigh, maskLow) = IPAddress.mask(length: base.length)
            let widthHigh: UInt64 = base.address.family == .v4 ? 0xFFFF_FFFF_0000_0000 : .max
            let widthLow: UInt64 = base.address.family == .v4 ? 0 : .max
            return IPAddress(
                family: base.address.family,
                high: (base.address.high & maskHigh) | (noise.high & ~maskHigh & widthHigh),
                low: (base.address.low & maskLow) | (noise.low & ~maskLow & widthLow))
        }
        return random & 2 == 0
            ? IPAddress(v4: UInt32(truncatingIfNeeded: rng.next()))
            : IPAddress(v6High: rng.next(), low: rng.next())
    }
}
