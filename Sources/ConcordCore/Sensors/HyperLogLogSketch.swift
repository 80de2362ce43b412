import Foundation

/// The dense HyperLogLog sketch behind `DistinctCounter` once it stops being exact: 2^p one-byte
/// registers, each the highest rank (leading zeros + 1 of the hash's bits after the first p) seen
/// among the hashes whose first p bits are its index.
///
/// The estimate is Ertl's improved estimator ("New cardinality estimation algorithms for
/// HyperLogLog sketches", 2017, the one Redis uses): it corrects the raw HyperLogLog estimate's bias
/// over the whole range from the register histogram alone, where HyperLogLog++ (Heule et al. 2013)
/// uses empirical bias tables and a switch to linear counting. Its relative standard error is
/// 1.04/√(2^p). Hand-written: no mirrored package has a HyperLogLog.
struct HyperLogLogSketch: Sendable, Equatable {
    let precision: Int
    private(set) var registers: [UInt8]

    /// The precisions the wire form accepts (the legacy sketch was p = 12).
    static let precisions = 4...18

    init(precision: Int) {
        self.precision = precision
        registers = [UInt8](repeating: 0, count: 1 << precision)
    }

    /// A sketch from stored registers, or nil when their count or a value does not fit `precision`.
    init?(precision: Int, registers: [UInt8]) {
        guard Self.precisions.contains(precision), registers.count == 1 << precision,
            registers.allSatisfy({ Int($0) <= 65 - precision })
        else { return nil }
        self.precision = precision
        self.registers = registers
    }

    /// The relative standard error of the estimate.
    var standardError: Double { 1.04 / Double(1 << precision).squareRoot() }

    @inline(__always)
    mutating func insert(hash: UInt64) {
        let index = Int(truncatingIfNeeded: hash >> UInt64(64 - precision))
        let rank = UInt8(truncatingIfNeeded: min((hash << UInt64(precision)).leadingZeroBitCount, 64 - precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    /// The register `insert(hash:)` updates, read so that its cache line is on its way.
    @inline(__always)
    func peek(hash: UInt64) -> UInt64 { UInt64(registers[Int(truncatingIfNeeded: hash >> UInt64(64 - precision))]) }

    /// Takes the union with `other`, which must have the same precision.
    mutating func formUnion(_ other: HyperLogLogSketch) {
        precondition(precision == other.precision, "fold to one precision first")
        registers.withUnsafeMutableBufferPointer { mine in
            other.registers.withUnsafeBufferPointer { theirs in
                for index in mine.indices { mine[index] = max(mine[index], theirs[index]) }
            }
        }
    }

    /// The same sketch at a lower precision: exactly the sketch the same hashes would have made
    /// there, since a register's index bits beyond the lower precision begin the lower one's rank.
    func folded(to lower: Int) -> HyperLogLogSketch {
        guard lower < precision else { return self }
        let dropped = precision - lower
        var result = HyperLogLogSketch(precision: lower)
        for (index, rank) in registers.enumerated() where rank > 0 {
            let extra = UInt64(index) & ((1 << UInt64(dropped)) - 1)
            let newRank: Int
            if extra == 0 {
                newRank = dropped + Int(rank)
            } else {
                newRank = extra.leadingZeroBitCount - (64 - dropped) + 1
            }
            let newIndex = index >> dropped
            if UInt8(newRank) > result.registers[newIndex] { result.registers[newIndex] = UInt8(newRank) }
        }
        return result
    }

    /// The estimated number of distinct hashes inserted.
    var estimate: Double {
        let q = 64 - precision
        var histogram = [Int](repeating: 0, count: q + 2)
        for register in registers { histogram[Int(register)] += 1 }
        let m = Double(registers.count)
        var z = m * Self.tau(1 - Double(histogram[q + 1]) / m)
        for k in stride(from: q, through: 1, by: -1) { z = 0.5 * (z + Double(histogram[k])) }
        z += m * Self.sigma(Double(histogram[0]) / m)
        guard z.isFinite, z > 0 else { return 0 }
        return m * m / (2 * log(2.0)) / z
    }

    /// σ(x) = x + Σ_{k≥1} x^(2^k) · 2^(k-1), infinite at x = 1 (every register empty).
    static func sigma(_ value: Double) -> Double {
        if value >= 1 { return .infinity }
        var x = value
        var y = 1.0
        var z = value
        while true {
            x *= x
            let previous = z
            z += x * y
            y += y
            if z == previous { return z }
        }
    }

    /// τ(x) = (1 - x - Σ_{k≥1} (1 - x^(2^-k))² · 2^-k) / 3.
    static func tau(_ value: Double) -> Double {
        if value <= 0 || value >= 1 { return 0 }
        var x = value
        var y = 1.0
        var z = 1 - value
        while true {
            x = x.squareRoot()
            let previous = z
            y *= 0.5
            z -= (1 - x) * (1 - x) * y
            if z == previous { return z / 3 }
        }
    }
}
