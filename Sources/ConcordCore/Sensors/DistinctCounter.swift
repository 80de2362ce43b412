import Foundation

/// Counts distinct IP addresses in fixed memory, and merges: a HyperLogLog sketch (Flajolet et al.
/// 2007) with 4,096 one-byte registers, kept exact (a list of 64-bit hashes) until it has seen 256
/// distinct addresses. Standard error once dense: 1.04/√4096 ≈ 1.6 %; below 256 the count is exact.
///
/// Hand-written: no mirrored package has one. The hash is fixed (not Swift's per-process seeded
/// `Hasher`), so sketches made by different sensors and processes merge: merging two sketches gives
/// exactly the sketch of both streams, whatever the order.
public struct DistinctCounter: Sendable {
    static let precision = 12
    static let registerCount = 1 << precision
    static let exactLimit = 256

    private var hashes: [UInt64] = []
    private var registers: [UInt8] = []

    public init() {}

    init(hashes: [UInt64], registers: [UInt8]) {
        self.hashes = hashes
        self.registers = registers
    }

    /// The exact hashes or the registers, for the wire form.
    var storage: (hashes: [UInt64], registers: [UInt8]) { (hashes, registers) }

    public var isExact: Bool { registers.isEmpty }

    public mutating func insert(_ address: IPAddress) { insert(hash: Self.hash(address)) }

    mutating func insert(hash: UInt64) {
        if registers.isEmpty {
            if hashes.contains(hash) { return }
            hashes.append(hash)
            if hashes.count > Self.exactLimit { densify() }
            return
        }
        let index = Int(hash >> UInt64(64 - Self.precision))
        let rank = UInt8(min((hash << UInt64(Self.precision)).leadingZeroBitCount, 64 - Self.precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    private mutating func densify() {
        registers = [UInt8](repeating: 0, count: Self.registerCount)
        let pending = hashes
        hashes = []
        for hash in pending { insert(hash: hash) }
    }

    /// The number of distinct addresses inserted: exact below 256, else the sketch's estimate.
    public var count: Int {
        if registers.isEmpty { return hashes.count }
        let m = Double(Self.registerCount)
        var sum = 0.0
        var zeros = 0
        for register in registers {
            sum += 1.0 / Double(UInt64(1) << UInt64(register))
            if register == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        if raw <= 2.5 * m && zeros > 0 {
            return Int((m * log(m / Double(zeros))).rounded())  // linear counting for small counts
        }
        return Int(raw.rounded())
    }

    /// The sketch of both streams.
    public func merged(with other: DistinctCounter) -> DistinctCounter {
        var result = self
        result.formUnion(other)
        return result
    }

    public mutating func formUnion(_ other: DistinctCounter) {
        if other.registers.isEmpty {
            for hash in other.hashes { insert(hash: hash) }
            return
        }
        if registers.isEmpty { densify() }
        for index in 0..<Self.registerCount where other.registers[index] > registers[index] {
            registers[index] = other.registers[index]
        }
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
    /// The same exact set, or the same registers.
    public static func == (left: DistinctCounter, right: DistinctCounter) -> Bool {
        if left.registers.isEmpty && right.registers.isEmpty { return Set(left.hashes) == Set(right.hashes) }
        return left.registers == right.registers
    }
}
