import Foundation

/// Counts distinct IP addresses, and merges: exact (a set of 64-bit hashes) up to 65,536 distinct
/// addresses, then a HyperLogLog sketch of 65,536 registers (`HyperLogLogSketch`, p = 16, bias
/// corrected), whose relative standard error is 0.41 %. The exact phase plays the part of
/// HyperLogLog++'s sparse form, without its error.
///
/// The hash is fixed (not Swift's per-process seeded `Hasher`), so counters made by different
/// sensors and processes merge: merging two counters gives exactly the counter of both streams,
/// whatever the order. A 64-bit hash makes two addresses collide once in about 2^33 sets of 65,536.
public struct DistinctCounter: Sendable {
    /// Distinct addresses counted exactly before the sketch takes over.
    public static let exactLimit = 65_536
    /// The sketch's precision: 2^16 registers.
    public static let precision = 16

    private var exact = ExactHashSet()
    private var sketch: HyperLogLogSketch?

    public init() {}

    init(exactHashes: [UInt64]) {
        for hash in exactHashes { exact.insert(hash) }
        if exact.count > Self.exactLimit { densify(precision: Self.precision) }
    }

    init(sketch: HyperLogLogSketch) { self.sketch = sketch }

    /// The exact hashes (sorted) or the sketch, for the wire form.
    var storage: (hashes: [UInt64], sketch: HyperLogLogSketch?) {
        sketch.map { ([], $0) } ?? (exact.elements.sorted(), nil)
    }

    /// True while the count is exact.
    public var isExact: Bool { sketch == nil }

    /// The relative standard error of a count past `exactLimit`: 1.04/√65,536 ≈ 0.41 %.
    public static var sketchStandardError: Double { HyperLogLogSketch(precision: precision).standardError }

    /// The relative standard error of `count`: 0 while exact.
    public var standardError: Double { sketch?.standardError ?? 0 }

    public mutating func insert(_ address: IPAddress) { insert(hash: Self.hash(address)) }

    @inline(__always)
    mutating func insert(hash: UInt64) {
        if sketch != nil {
            sketch?.insert(hash: hash)
            return
        }
        if exact.insert(hash), exact.count > Self.exactLimit { densify(precision: Self.precision) }
    }

    /// Reads the memory `insert(hash:)` will change and returns it (of no use but to keep the read):
    /// a batch of counts peeks at all its hashes first, so that their cache misses are in flight
    /// together, then inserts them from cache.
    @inline(__always)
    func peek(hash: UInt64) -> UInt64 { sketch?.peek(hash: hash) ?? exact.peek(hash) }

    private mutating func densify(precision: Int) {
        var dense = HyperLogLogSketch(precision: precision)
        for hash in exact.elements { dense.insert(hash: hash) }
        exact = ExactHashSet()
        sketch = dense
    }

    /// The number of distinct addresses inserted: exact up to 65,536, else the sketch's estimate.
    public var count: Int {
        guard let sketch else { return exact.count }
        return Int(sketch.estimate.rounded())
    }

    /// The counter of both streams.
    public func merged(with other: DistinctCounter) -> DistinctCounter {
        var result = self
        result.formUnion(other)
        return result
    }

    /// Adds the other stream's addresses. Sketches of different precisions (an older sensor's)
    /// meet at the lower one.
    public mutating func formUnion(_ other: DistinctCounter) {
        guard let theirs = other.sketch else {
            for hash in other.exact.elements { insert(hash: hash) }
            return
        }
        if sketch == nil { densify(precision: theirs.precision) }
        guard var mine = sketch else { return }
        let precision = min(mine.precision, theirs.precision)
        mine = mine.folded(to: precision)
        mine.formUnion(theirs.folded(to: precision))
        sketch = mine
    }

    /// A fixed 64-bit mix of the address (MurmurHash3's finaliser over both halves and the family).
    static func hash(_ address: IPAddress) -> UInt64 {
        func mix(_ value: UInt64) -> UInt64 {
            var z = value
            z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
            z = (z ^ (z >> 33)) &* 0xC4CE_B9FE_1A85_EC53
            return z ^ (z >> 33)
        }
        return mix(address.high &+ mix(address.low ^ (address.family == .v4 ? 4 : 6)))
    }
}

extension DistinctCounter: Equatable {
    /// The same exact set, or the same sketch.
    public static func == (left: DistinctCounter, right: DistinctCounter) -> Bool {
        switch (left.sketch, right.sketch) {
        case (nil, nil):
            return left.exact.count == right.exact.count && left.exact.elements.allSatisfy(right.exact.contains)
        case (let mine?, let theirs?): return mine == theirs
        default: return false
        }
    }
}
