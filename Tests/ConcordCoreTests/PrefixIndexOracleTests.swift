import Testing

@testable import ConcordCore

/// The tries against a brute-force linear scan on random tables (IPv4 and IPv6 mixed).
@Suite struct PrefixIndexOracleTests {
    @Test(arguments: [(UInt64(1), 50), (2, 2_000), (3, 20_000)])
    func trieAgreesWithLinearScan(seed: UInt64, size: Int) {
        // setup
        var rng = SplitMix64(seed: seed)
        let prefixes = (0..<size).map { _ in RandomNetworks.prefix(using: &rng) }
        let index = PrefixIndex(prefixes.map { ($0, $0.description) })
        let sortedPrefixes = index.entries.map(\.prefix)
        let oracle = LinearPrefixScan(prefixes: sortedPrefixes)
        let ranges = SortedRangeTable(sortedPrefixes: sortedPrefixes)
        var mismatches: [String] = []
        // act
        for _ in 0..<3_000 {
            let address = RandomNetworks.address(using: &rng, near: prefixes)
            let expected = oracle.lookup(address)
            let got = index.longestMatchIndex(address)
            if expected != got || ranges.lookup(address) != expected {
                mismatches.append("\(address): oracle \(expected) trie \(got) ranges \(ranges.lookup(address))")
            }
        }
        // validate
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func allMatchesComeMostSpecificFirst() {
        // setup
        let index = PrefixIndex([
            (IPPrefix("203.0.113.0/24")!, "national"), (IPPrefix("203.0.113.0/25")!, "sector"),
            (IPPrefix("203.0.113.0/25")!, "sector-2"), (IPPrefix("2001:db8::/32")!, "v6"),
            (IPPrefix("0.0.0.0/0")!, "default"),
        ])
        // act
        let matches = index.matches(IPAddress("203.0.113.7")!)
        // validate
        #expect(matches.map(\.prefix.description) == ["203.0.113.0/25", "203.0.113.0/24", "0.0.0.0/0"])
        #expect(matches.first?.values == ["sector", "sector-2"])
        #expect(index.matches(IPAddress("203.0.113.200")!).map(\.prefix.length) == [24, 0])
        #expect(index.longestMatch(IPAddress("2001:db8:1::1")!)?.values == ["v6"])
        #expect(index.longestMatch(IPAddress("2001:db9::1")!) == nil)
    }

    @Test func hostRoutesAtEveryDepthIncludingIPv6Tails() {
        // setup: prefixes that end at every bit position around the 16-bit head and 6-bit strides
        var pairs: [(IPPrefix, Int)] = []
        let v6 = IPAddress("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff")!
        let v4 = IPAddress("198.51.100.77")!
        for length in 0...128 { pairs.append((IPPrefix(network: v6, length: length), length)) }
        for length in 0...32 { pairs.append((IPPrefix(network: v4, length: length), 1000 + length)) }
        let index = PrefixIndex(pairs)
        // act / validate
        #expect(index.longestMatch(v6)?.values == [128])
        #expect(index.matches(v6).count == 129)
        #expect(index.longestMatch(v4)?.values == [1032])
        #expect(index.longestMatch(IPAddress("198.51.100.76")!)?.values == [1031])
        #expect(index.longestMatch(IPAddress("2001:db8:aaaa:bbbb:cccc:dddd:eeee:fffe")!)?.values == [127])
        #expect(index.longestMatch(IPAddress("8000::")!)?.values == [0])
    }
}

/// Path compression: a lone deep route sits below strides that are skipped; a key that leaves the
/// skipped path at any bit must fall back to the covering prefix.
@Suite struct PathCompressionTests {
    @Test func keysLeavingASkippedPathFallBackToTheCoveringPrefix() throws {
        // setup
        let deep = try #require(IPAddress("2001:db8:1:2:3:4:5:6"))
        let index = PrefixIndex([
            (try #require(IPPrefix("2001:db8::/32")), "covering"), (IPPrefix(network: deep, length: 128), "host"),
            (try #require(IPPrefix("0.0.0.0/0")), "v4-default"),
            (try #require(IPPrefix("198.51.100.77/32")), "v4-host"),
        ])
        // act / validate
        #expect(index.longestMatch(deep)?.values == ["host"])
        for bit in 32..<128 {
            let flipped =
                bit < 64
                ? IPAddress(v6High: deep.high ^ (1 << UInt64(63 - bit)), low: deep.low)
                : IPAddress(v6High: deep.high, low: deep.low ^ (1 << UInt64(127 - bit)))
            #expect(index.longestMatch(flipped)?.values == ["covering"], "bit \(bit)")
        }
        #expect(index.longestMatch(try #require(IPAddress("2001:db9::1"))) == nil)
        let v4 = try #require(IPAddress("198.51.100.77")).v4Value ?? 0
        #expect(index.longestMatch(IPAddress(v4: v4))?.values == ["v4-host"])
        for bit in 0..<32 {
            #expect(
                index.longestMatch(IPAddress(v4: v4 ^ (1 << UInt32(bit))))?.values == ["v4-default"], "v4 bit \(bit)")
        }
    }
}
