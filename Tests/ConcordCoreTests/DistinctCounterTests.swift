import Foundation
import Testing

@testable import ConcordCore

@Suite struct DistinctCounterTests {
    /// `count` distinct addresses, a quarter IPv6, from a seeded generator.
    static func addresses(_ count: Int, seed: UInt64) -> [IPAddress] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { index in
            index % 4 == 0
                ? IPAddress(v6High: rng.next(), low: rng.next()) : IPAddress(v4: UInt32(truncatingIfNeeded: rng.next()))
        }
    }

    /// Exact up to 65,536 distinct addresses however often each comes; an estimate past that.
    @Test(arguments: [1, 256, 257, 10_000, 65_536])
    func exactUpToTheLimit(distinct: Int) {
        let addresses = Set(Self.addresses(distinct, seed: UInt64(distinct)))
        var counter = DistinctCounter()
        for _ in 0..<2 { for address in addresses { counter.insert(address) } }
        #expect(counter.count == addresses.count && counter.isExact && counter.standardError == 0)
    }

    @Test func anEstimatePastTheLimit() {
        var counter = DistinctCounter()
        for address in Self.addresses(DistinctCounter.exactLimit + 1, seed: 3) { counter.insert(address) }
        #expect(!counter.isExact)
        #expect(abs(counter.standardError - 0.0041) < 0.0001, "1.04/√65,536")
    }

    /// Within three standard errors (1.2 %) at every size, far beyond the exact limit too.
    @Test(arguments: [70_000, 144_941, 300_000, 1_000_000])
    func estimatesWithinThreeStandardErrors(distinct: Int) {
        var counter = DistinctCounter()
        for address in Self.addresses(distinct, seed: UInt64(distinct)) { counter.insert(address) }
        let error = abs(Double(counter.count - distinct)) / Double(distinct)
        #expect(error < 3 * DistinctCounter.sketchStandardError, "estimated \(counter.count) for \(distinct)")
    }

    /// No bias: over 24 independent sets just past the exact limit (where the old sketch was 2–4 %
    /// low) and at four times it, the mean signed error is within ±0.25 % (three standard errors of
    /// the mean), and the mean absolute error within 0.5 %.
    @Test(arguments: [80_000, 260_000])
    func unbiasedAcrossSets(distinct: Int) {
        var signed = 0.0
        var absolute = 0.0
        let trials = 24
        for trial in 0..<trials {
            var counter = DistinctCounter()
            for address in Self.addresses(distinct, seed: UInt64(trial * 1_000 + distinct)) { counter.insert(address) }
            let error = Double(counter.count - distinct) / Double(distinct)
            signed += error
            absolute += abs(error)
        }
        #expect(abs(signed / Double(trials)) < 0.0025, "mean signed error \(signed / Double(trials))")
        #expect(absolute / Double(trials) < 0.005, "mean absolute error \(absolute / Double(trials))")
    }

    /// A tally never shows more sources than packets, even where the sketch overshoots.
    @Test func neverMoreSourcesThanPackets() {
        for seed in UInt64(0)..<8 {
            var tally = TrafficTally()
            for address in Self.addresses(70_000, seed: seed) {
                tally.packets += 1
                tally.sources.insert(address)
            }
            #expect(tally.sourceCount <= tally.packets)
            #expect(tally.sourcesEstimated)
        }
    }

    /// Merging counters of two streams gives the counter of both, in either order, across the
    /// switch from exact to sketch.
    @Test(arguments: [(10, 10), (200, 100), (100, 5_000), (40_000, 40_000), (70_000, 20)])
    func mergesLikeTheUnion(first: Int, second: Int) {
        var rng = SplitMix64(seed: 99)
        let pool = UInt64(max(first, second) * 3 / 2)
        let left = (0..<first).map { _ in IPAddress(v4: UInt32(truncatingIfNeeded: rng.next() % pool)) }
        let right = (0..<second).map { _ in IPAddress(v4: UInt32(truncatingIfNeeded: rng.next() % pool)) }
        var a = DistinctCounter()
        var b = DistinctCounter()
        var both = DistinctCounter()
        for address in left { a.insert(address) }
        for address in right { b.insert(address) }
        for address in left + right { both.insert(address) }
        #expect(a.merged(with: b) == both)
        #expect(b.merged(with: a) == both)
        #expect(a.merged(with: b).count == both.count)
    }

    /// A sketch folded to a lower precision is the sketch those hashes make there: so an older
    /// sensor's 4,096-register sketch merges with a new one exactly.
    @Test func foldingEqualsSketchingAtTheLowerPrecision() {
        var high = HyperLogLogSketch(precision: 16)
        var low = HyperLogLogSketch(precision: 12)
        for address in Self.addresses(50_000, seed: 12) {
            let hash = DistinctCounter.hash(address)
            high.insert(hash: hash)
            low.insert(hash: hash)
        }
        #expect(high.folded(to: 12) == low)

        var legacy = DistinctCounter(sketch: low)
        var current = DistinctCounter()
        for address in Self.addresses(80_000, seed: 13) { current.insert(address) }
        legacy.formUnion(current)
        #expect(legacy.standardError > 0.016 && legacy.standardError < 0.0163, "the union has the older precision")
        let expected = 50_000 + 80_000
        #expect(abs(Double(legacy.count - expected)) / Double(expected) < 3 * legacy.standardError)
    }
}
