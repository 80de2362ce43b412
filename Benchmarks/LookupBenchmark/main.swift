// Lookup benchmark: longest-prefix match on a table of random IPv4/IPv6 prefixes, single thread,
// the compressed trie next to a sorted-array binary search and a naive linear scan in the same run.
// Two query sets: uniformly random addresses, and a harder mix where half the queries are drawn
// from inside table prefixes (so they walk to the deepest levels).
// Usage: concord-bench [prefixes] [queries] [linear-scan queries]   (defaults 1000000 10000000 200)
import ConcordCore
import Foundation

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let prefixCount = arguments.count > 0 ? arguments[0] : 1_000_000
let queryCount = arguments.count > 1 ? arguments[1] : 10_000_000
let linearCount = arguments.count > 2 ? arguments[2] : 200

func seconds(_ work: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    work()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Times one pass of `lookup` over every query; the checksum keeps the work from being optimised away.
@inline(never)
func timedPass(_ queries: [IPAddress], _ lookup: (IPAddress) -> Int32) -> (rate: Double, checksum: Int64) {
    var checksum: Int64 = 0
    let time = seconds {
        queries.withUnsafeBufferPointer { buffer in
            for query in buffer { checksum &+= Int64(lookup(query)) }
        }
    }
    return (Double(queries.count) / time, checksum)
}

func millions(_ rate: Double) -> String { String(format: "%6.2f M/s", rate / 1e6) }

var rng = SplitMix64(seed: 2026)
let prefixes = (0..<prefixCount).map { _ in RandomNetworks.prefix(using: &rng) }
var index: PrefixIndex<Int32>!
let trieBuild = seconds { index = PrefixIndex(prefixes.enumerated().map { ($0.element, Int32($0.offset)) }) }
let sorted = index.entries.map(\.prefix)
var rangesBuilt: SortedRangeTable!
let rangeBuild = seconds { rangesBuilt = SortedRangeTable(sortedPrefixes: sorted) }
let trie: PrefixIndex<Int32> = index
let ranges: SortedRangeTable = rangesBuilt
let linear = LinearPrefixScan(prefixes: sorted)

print(
    "table: \(trie.entries.count) distinct prefixes (\(prefixCount) drawn, half IPv4 /8–/32, half IPv6 /16–/64), "
        + "\(queryCount) queries per set, single thread")
print(
    "build: trie \(String(format: "%.2f", trieBuild)) s (\(trie.trieMemoryFootprint / 1_048_576) MiB), "
        + "sorted ranges \(String(format: "%.2f", rangeBuild)) s")
var allAgree = true
for (name, nearShare) in [("uniform random addresses", false), ("half inside table prefixes", true)] {
    let queries = (0..<queryCount).map { _ in
        nearShare ? RandomNetworks.address(using: &rng, near: prefixes) : RandomNetworks.address(using: &rng, near: [])
    }
    let (trieRate, trieSum) = timedPass(queries) { trie.longestMatchIndex($0) }
    let (rangeRate, rangeSum) = timedPass(queries) { ranges.lookup($0) }
    let sample = Array(queries.prefix(linearCount))
    var linearAgrees = true
    let linearTime = seconds {
        for query in sample where linear.lookup(query) != trie.longestMatchIndex(query) { linearAgrees = false }
    }
    let linearRate = Double(sample.count) / linearTime
    allAgree = allAgree && trieSum == rangeSum && linearAgrees
    print("\n\(name):")
    print("  compressed trie      \(millions(trieRate))")
    print(
        "  sorted-array search  \(millions(rangeRate))   trie/sorted = \(String(format: "%.1f", trieRate / rangeRate))x"
    )
    print(
        "  linear scan          \(String(format: "%8.1f", linearRate)) /s (on \(sample.count) queries)"
            + "   trie/linear = \(String(format: "%.0f", trieRate / linearRate))x")
}
print("\nanswers agree (trie = sorted ranges on every query, = linear scan on the sample): \(allAgree)")
if !allAgree { exit(1) }
