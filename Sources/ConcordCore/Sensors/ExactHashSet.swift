/// A set of 64-bit hashes by open addressing (linear probing on the low bits, which a good mix
/// spreads evenly), for `DistinctCounter`'s exact phase: one flat array, no per-element allocation,
/// a probe or two per insert. Zero marks an empty slot, so a zero hash is stored as `zeroStandIn`.
struct ExactHashSet: Sendable {
    /// The value a zero hash is stored as (a zero hash turns up once in 2^64 addresses).
    static let zeroStandIn: UInt64 = 0x9E37_79B9_7F4A_7C15

    private(set) var slots: [UInt64] = []
    private(set) var count = 0

    init() {}

    /// Adds `hash`; false when it was there already.
    @discardableResult
    mutating func insert(_ hash: UInt64) -> Bool {
        let value = hash == 0 ? Self.zeroStandIn : hash
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: value) & mask
        while true {
            let slot = slots[index]
            if slot == 0 {
                slots[index] = value
                count += 1
                return true
            }
            if slot == value { return false }
            index = (index + 1) & mask
        }
    }

    /// The slot `insert(hash)` probes first, read so that its cache line is on its way (see
    /// `DistinctCounter.peek(hash:)`).
    @inline(__always)
    func peek(_ hash: UInt64) -> UInt64 {
        slots.isEmpty ? 0 : slots[Int(truncatingIfNeeded: hash) & (slots.count - 1)]
    }

    func contains(_ hash: UInt64) -> Bool {
        guard !slots.isEmpty else { return false }
        let value = hash == 0 ? Self.zeroStandIn : hash
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: value) & mask
        while slots[index] != 0 {
            if slots[index] == value { return true }
            index = (index + 1) & mask
        }
        return false
    }

    /// The stored hashes, in no particular order.
    var elements: some Sequence<UInt64> { slots.lazy.filter { $0 != 0 } }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: max(8, old.count * 2))
        count = 0
        for value in old where value != 0 { insert(value) }
    }
}
