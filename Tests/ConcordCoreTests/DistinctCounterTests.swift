import Testing

@testable import ConcordCore

@Suite struct DistinctCounterTests {
    /// Exact below 256; within 5 % (about three standard errors of a 4,096-register sketch) above,
    /// on random IPv4 and IPv6 sources, each inserted several times.
    @Test(arguments: [1, 100, 256, 257, 1_000, 10_000, 100_000, 1_000_000])
    func countsWithinTheStatedError(distinct: Int) {
        var rng = SplitMix64(seed: UInt64(distinct))
        var counter = DistinctCounter()
        var addresses: [IPAddress] = []
        for index in 0..<distinct {
            addresses.append(
                index % 4 == 0
                    ? IPAddress(v6High: rng.next(), low: rng.next()) : IPAddress(v4: UInt32(index) &* 2_654_435_761))
        }
        for _ in 0..<3 { for address in addresses.prefix(min(distinct, 50_000)) { counter.insert(address) } }
        for address in addresses { counter.insert(address) }
        if distinct <= 256 {
            #expect(counter.count == distinct && counter.isExact)
        } else {
            let error = abs(Double(counter.count - distinct)) / Double(distinct)
            #expect(error < 0.05, "estimated \(counter.count) for \(distinct)")
            #expect(!counter.isExact)
        }
    }

    /// Merging sketches of two streams gives the sketch of both, in either order, across the switch
    /// from exact to sketch.
    @Test(arguments: [(10, 10), (200, 100), (100, 5_000), (20_000, 30_000)])
    func mergesLikeTheUnion(first: Int, second: Int) {
        var rng = SplitMix64(seed: 99)
        let left = (0..<first).map { _ in IPAddress(v4: UInt32(truncatingIfNeeded: rng.next() % 40_000)) }
        let right = (0..<second).map { _ in IPAddress(v4: UInt32(truncatingIfNeeded: rng.next() % 40_000)) }
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
}
