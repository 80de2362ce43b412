/// How long something took across many cases (notified → acknowledged, reported → resolved): the
/// median, the 90th percentile (nearest rank) and the share within 15, 30 and 60 minutes. Open
/// cases count in the shares' denominators, never as fast.
public struct DurationFigures: Equatable, Sendable, Codable {
    /// Cases that ended (acknowledged, resolved).
    public let ended: Int
    /// Cases that had not ended by the cut-off.
    public let open: Int
    /// Seconds, nearest rank; nil without ended cases.
    public let medianSeconds: Int?
    public let p90Seconds: Int?
    /// Cases ended within 15, 30 and 60 minutes, of all cases.
    public let within15Minutes: Int
    public let within30Minutes: Int
    public let within60Minutes: Int

    /// `seconds` of the ended cases (negative ones, a clock's error, count as 0), `open` more.
    public init(seconds: [Int], open: Int = 0) {
        let sorted = seconds.map { max(0, $0) }.sorted()
        ended = sorted.count
        self.open = max(0, open)
        medianSeconds = Self.rank(50, of: sorted)
        p90Seconds = Self.rank(90, of: sorted)
        within15Minutes = sorted.prefix { $0 <= 900 }.count
        within30Minutes = sorted.prefix { $0 <= 1800 }.count
        within60Minutes = sorted.prefix { $0 <= 3600 }.count
    }

    /// The same figures from a histogram (seconds → how many cases took them), as a database
    /// counts them without handing over every case; `seconds` merged in as single cases.
    public init(histogram: [Int: Int], seconds: [Int] = [], open: Int = 0) {
        var counts: [Int: Int] = [:]
        for (value, count) in histogram where count > 0 { counts[max(0, value), default: 0] += count }
        for value in seconds { counts[max(0, value), default: 0] += 1 }
        let sorted = counts.sorted { $0.key < $1.key }
        let total = sorted.reduce(0) { $0 + $1.value }
        ended = total
        self.open = max(0, open)
        func rank(_ percent: Int) -> Int? {
            guard total > 0 else { return nil }
            let wanted = max(1, (percent * total + 99) / 100)
            var seen = 0
            for (value, count) in sorted {
                seen += count
                if seen >= wanted { return value }
            }
            return sorted.last?.key
        }
        medianSeconds = rank(50)
        p90Seconds = rank(90)
        func within(_ limit: Int) -> Int { sorted.prefix { $0.key <= limit }.reduce(0) { $0 + $1.value } }
        within15Minutes = within(900)
        within30Minutes = within(1800)
        within60Minutes = within(3600)
    }

    /// All cases, ended or not.
    public var cases: Int { ended + open }

    /// The nearest-rank percentile: the smallest value with at least `percent` % of them at or below.
    static func rank(_ percent: Int, of sorted: [Int]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = (percent * sorted.count + 99) / 100
        return sorted[max(0, rank - 1)]
    }

    /// "12 min", "1 h 05 min", "3 d 4 h": a duration as a report prints it.
    public static func text(seconds: Int) -> String {
        let minutes = (max(0, seconds) + 30) / 60
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h \(minutes % 60 < 10 ? "0" : "")\(minutes % 60) min" }
        return "\(minutes / 1440) d \(minutes % 1440 / 60) h"
    }
}
