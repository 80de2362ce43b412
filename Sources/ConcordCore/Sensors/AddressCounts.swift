/// Packets per address for the capture reader's inner loop (backscatter victims): open addressing
/// on the address's fixed 64-bit hash (`DistinctCounter.hash`, already computed for the packet), the
/// address compared in full on a hit, so the counts are exact. Stands in for an `[IPAddress: Int]`,
/// whose per-packet SipHash of the 17-byte key costs more than the count.
struct AddressCounts: Sendable {
    /// Each entry: the index of its address in `addresses` plus one; 0 marks a free entry.
    private var entries = [Int32](repeating: 0, count: 64)
    private var hashes: [UInt64] = []
    private(set) var addresses: [IPAddress] = []
    private(set) var counts: [Int] = []

    init() {}

    init(_ dictionary: [IPAddress: Int]) {
        for (address, count) in dictionary { add(address, hash: DistinctCounter.hash(address), count: count) }
    }

    /// The counts as a dictionary.
    var dictionary: [IPAddress: Int] { Dictionary(uniqueKeysWithValues: zip(addresses, counts)) }

    /// Reads the entry `add` looks at first, so that its cache line is on its way.
    @inline(__always)
    func peek(hash: UInt64) -> UInt64 { UInt64(truncatingIfNeeded: entries[home(hash)]) }

    /// Adds `count` packets from `address`, whose `DistinctCounter.hash` is `hash`.
    @inline(__always)
    mutating func add(_ address: IPAddress, hash: UInt64, count: Int = 1) {
        let mask = entries.count - 1
        var slot = home(hash)
        while true {
            let found = Int(entries[slot])
            if found == 0 { break }
            if hashes[found - 1] == hash, addresses[found - 1] == address {
                counts[found - 1] += count
                return
            }
            slot = (slot + 1) & mask
        }
        hashes.append(hash)
        addresses.append(address)
        counts.append(count)
        entries[slot] = Int32(addresses.count)
        if addresses.count * 2 > entries.count { grow() }
    }

    /// Adds the other table's counts into this one.
    mutating func formUnion(_ other: AddressCounts) {
        for index in other.addresses.indices {
            add(other.addresses[index], hash: other.hashes[index], count: other.counts[index])
        }
    }

    @inline(__always)
    private func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 32) & (entries.count - 1) }

    private mutating func grow() {
        entries = [Int32](repeating: 0, count: entries.count * 2)
        let mask = entries.count - 1
        for index in hashes.indices {
            var slot = home(hashes[index])
            while entries[slot] != 0 { slot = (slot + 1) & mask }
            entries[slot] = Int32(index + 1)
        }
    }
}

extension AddressCounts: Equatable {
    static func == (left: AddressCounts, right: AddressCounts) -> Bool { left.dictionary == right.dictionary }
}
