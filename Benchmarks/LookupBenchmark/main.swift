// Lookup benchmark: longest-prefix match on a table of random IPv4/IPv6 prefixes, single thread,
// the compressed trie next to a sorted-array binary search and a naive linear scan in the same run.
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

var rng = SplitMix64(seed: 2026)
let prefixes = (0..<prefixCount).map { _ in RandomNetworks.prefix(using: &rng) }
let queries = (0..<queryCount).map { _ in RandomNetworks.address(using: &rng, near: prefixes) }

var index: PrefixIndex<Int32>!
let trieBuild = seconds { index = PrefixIndex(prefixes.enumerated().map { ($0.element, Int32($0.offset)) }) }
let sorted = index.entries.map(\.prefix)
var ranges: SortedRangeTable!
let rangeBuild = seconds { ranges = SortedRangeTable(sortedPrefixes: sorted) }
let linear = LinearPrefixScan(prefixes: sorted)

/// Times one pass of `lookup` over every query; the checksum keeps the work from being optimised away.
@inline(never)
func timedPass(_ queries: [IPAddress], _ lookup: (IPAddress) -> Int32) -> (seconds: Double, checksum: Int64) {
    var checksum: Int64 = 0
    let time = seconds {
        queries.withUnsafeBufferPointer { buffer in
            for query in buffer { checksum &+= Int64(lookup(query)) }
        }
    }
    return (time, checksum)
}

let trieIndex: PrefixIndex<Int32> = index
let rangeTable: SortedRangeTable = ranges
let (trieTime, checksum) = timedPass(queries) { trieIndex.longestMatchIndex($0) }
let (rangeTime, rangeChecksum) = timedPass(queries) { rangeTable.lookup($0) }
var linearAgrees = true
let linearTime = seconds {
    for query in queries.prefix(linearCount) where linear.lookup(query) != index.longestMatchIndex(query) {
        linearAgrees = false
    }
}

let trieRate = Double(queryCount) / trieTime
let rangeRate = Double(queryCount) / rangeTime
let linearRate = Double(min(linearCount, queryCount)) / linearTime
func millions(_ rate: Double) -> String { String(format: "%.2f M/s", rate / 1e6) }
print("table: \(index.entries.count) distinct prefixes (\(prefixCount) drawn), \(queryCount) queries, single thread")
print("build: trie \(String(format: "%.2f", trieBuild)) s (\(index.trieMemoryFootprint / 1_048_576) MiB), "
    + "sorted ranges \(String(format: "%.2f", rangeBuild)) s")
print("compressed trie      \(millions(trieRate))")
print("sorted-array search  \(millions(rangeRate))   trie/sorted = \(String(format: "%.1f", trieRate / rangeRate))x")
print("linear scan          \(String(format: "%.1f", linearRate)) /s on \(min(linearCount, queryCount)) queries"
    + "   trie/linear = \(String(format: "%.0f", trieRate / linearRate))x")
print("answers agree: \(checksum == rangeChecksum && linearAgrees)")
if checksum != rangeChecksum || !linearAgrees { exit(1) }
