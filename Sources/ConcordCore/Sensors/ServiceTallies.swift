/// Tallies by service for the capture reader's inner loop: an open-addressing table from the
/// service's 24-bit code (protocol, port) to a slot of a flat array of tallies, so that a packet
/// costs one multiply and a probe or two instead of hashing a `Service` key with SipHash. The
/// tallies are the same `TrafficTally` values a `[Service: TrafficTally]` holds, and convert both
/// ways without loss.
struct ServiceTallies: Sendable {
    /// Open addressing: each entry is a service's code in the high 32 bits and the index of its
    /// tally in the low 32 (one load finds both); `empty` marks a free entry.
    private var entries = [UInt64](repeating: ServiceTallies.empty, count: 64)
    private(set) var services: [Service] = []
    private(set) var tallies: [TrafficTally] = []

    private static let empty = UInt64.max

    init() {}

    init(_ dictionary: [Service: TrafficTally]) {
        for (service, tally) in dictionary {
            let slot = index(of: service)
            tallies[slot] = tally
        }
    }

    var isEmpty: Bool { services.isEmpty }

    /// The tallies as a dictionary.
    var dictionary: [Service: TrafficTally] {
        Dictionary(uniqueKeysWithValues: zip(services, tallies))
    }

    /// Counts one packet from the source whose hash is `sourceHash` under `service`.
    @inline(__always)
    mutating func add(_ service: Service, _ sourceHash: UInt64) {
        let slot = index(of: service)
        tallies[slot].add(sourceHash)
    }

    /// Counts one packet under the tally at `slot` (from `index(of:)`).
    @inline(__always)
    mutating func add(slot: Int, _ sourceHash: UInt64) { tallies[slot].add(sourceHash) }

    /// Reads the entry `index(of: service)` looks at first, so that its cache line is on its way.
    @inline(__always)
    func peek(_ service: Service) -> UInt64 { entries[home(Self.code(service))] }

    /// Reads the tally at `slot`, so that its cache line is on its way.
    @inline(__always)
    func peek(slot: Int) -> UInt64 { UInt64(truncatingIfNeeded: tallies[slot].packets) }

    /// Reads what counting `sourceHash` at `slot` will change (see `DistinctCounter.peek(hash:)`).
    @inline(__always)
    func peek(slot: Int, _ sourceHash: UInt64) -> UInt64 { tallies[slot].sources.peek(hash: sourceHash) }

    /// The index of `service`'s tally, made empty when it had none.
    @inline(__always)
    mutating func index(of service: Service) -> Int {
        let code = Self.code(service)
        let mask = entries.count - 1
        var slot = home(code)
        while true {
            let found = entries[slot]
            if found >> 32 == UInt64(code) { return Int(truncatingIfNeeded: found & 0xFFFF_FFFF) }
            if found == Self.empty { break }
            slot = (slot + 1) & mask
        }
        entries[slot] = UInt64(code) << 32 | UInt64(tallies.count)
        services.append(service)
        tallies.append(TrafficTally())
        if tallies.count * 2 > entries.count { grow() }
        return tallies.count - 1
    }

    @inline(__always)
    private static func code(_ service: Service) -> UInt32 { UInt32(service.ipProtocol) << 16 | UInt32(service.port) }

    /// Where a code's probe starts: the high bits of a multiplicative hash.
    @inline(__always)
    private func home(_ code: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(code) &* 0x9E37_79B9_7F4A_7C15) >> 32) & (entries.count - 1)
    }

    private mutating func grow() {
        entries = [UInt64](repeating: Self.empty, count: entries.count * 2)
        let mask = entries.count - 1
        for (index, service) in services.enumerated() {
            let code = Self.code(service)
            var slot = home(code)
            while entries[slot] != Self.empty { slot = (slot + 1) & mask }
            entries[slot] = UInt64(code) << 32 | UInt64(index)
        }
    }

    /// Adds the other table's tallies into this one.
    mutating func formUnion(_ other: ServiceTallies) {
        for (service, tally) in zip(other.services, other.tallies) {
            let slot = index(of: service)
            tallies[slot].formUnion(tally)
        }
    }
}

extension ServiceTallies: Equatable {
    /// The same services with the same tallies, in whatever order they were first seen.
    static func == (left: ServiceTallies, right: ServiceTallies) -> Bool { left.dictionary == right.dictionary }
}
