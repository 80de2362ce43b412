/// Tallies by source economy for the capture reader's inner loop: one slot per country index of the
/// GeoIP databases (`GeoIPCountryDatabase.codes`), so that a packet costs an array index instead of
/// a country code string, its reference count and a hash of it. Converts to and from the
/// `[String: TrafficTally]` the summary shows, without loss.
struct EconomyTallies: Sendable {
    private var byIndex: [TrafficTally?] = Array(repeating: nil, count: GeoIPCountryDatabase.codes.count)
    /// Economies given by a dictionary that are no country index (none from a GeoIP lookup).
    private var others: [String: TrafficTally] = [:]

    init() {}

    init(_ dictionary: [String: TrafficTally]) {
        for (code, tally) in dictionary {
            if let index = GeoIPCountryDatabase.codes.firstIndex(of: code) {
                byIndex[index] = tally
            } else {
                others[code] = tally
            }
        }
    }

    /// Counts one packet from the source whose hash is `sourceHash` under the country `index` (0: none, `--`).
    @inline(__always)
    mutating func add(countryIndex index: Int, _ sourceHash: UInt64) {
        if byIndex[index] == nil { byIndex[index] = TrafficTally() }
        byIndex[index]?.add(sourceHash)
    }

    /// Reads what counting `sourceHash` under `index` will change (see `DistinctCounter.peek(hash:)`).
    @inline(__always)
    func peek(countryIndex index: Int, _ sourceHash: UInt64) -> UInt64 {
        byIndex[index]?.sources.peek(hash: sourceHash) ?? 0
    }

    /// The tallies by ISO 3166 code, `--` for sources the data set places nowhere.
    var dictionary: [String: TrafficTally] {
        var result = others
        for (index, tally) in byIndex.enumerated() {
            guard let tally else { continue }
            result[GeoIPCountryDatabase.codes[index], default: TrafficTally()].formUnion(tally)
        }
        return result
    }
}

extension EconomyTallies: Equatable {
    static func == (left: EconomyTallies, right: EconomyTallies) -> Bool { left.dictionary == right.dictionary }
}
