/// How long something took across many cases (notified → acknowledged, reported → resolved): the
/// median, the 90th percentile (nearest rank) and the share within 15, 30 and 60 minutes. Open
/// cases count in the shares' denominators, never as fast.
///
/// Times are counted on a grid, each rounded up to its next step (`step(_:)`): the minute below
/// an hour, the quarter hour below a day, the hour below a week, the day beyond. The grid is what a
/// report prints, it keeps 15, 30 and 60 minutes exact, and it lets a year of a million cases be
/// kept as a few hundred counts a day (the statistics summary) and still give exactly the figures
/// counted case by case.
public struct DurationFigures: Equatable, Sendable, Codable {
    /// Cases that ended (acknowledged, resolved).
    public let ended: Int
    /// Cases that had not ended by the cut-off.
    public let open: Int
    /// Seconds, nearest rank, on the grid; nil without ended cases.
    public let medianSeconds: Int?
    public let p90Seconds: Int?
    /// Cases ended within 15, 30 and 60 minutes, of all cases.
    public let within15Minutes: Int
    public let within30Minutes: Int
    public let within60Minutes: Int

    /// `seconds` of the ended cases (negative ones, a clock's error, count as 0), `open` more.
    public init(seconds: [Int], open: Int = 0) {
        let sorted = seconds.map(Self.step).sorted()
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
        for (value, count) in histogram where count > 0 { counts[Self.step(value), default: 0] += count }
        for value in seconds { counts[Self.step(value), default: 0] += 1 }
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

    /// `seconds` rounded up to the grid's next step: whole minutes below an hour, quarter hours
    /// below a day, hours below a week, days beyond (a negative time, a clock's error, is 0).
    public static func step(_ seconds: Int) -> Int {
        let value = max(0, seconds)
        let grain = value <= 3600 ? 60 : value <= 86400 ? 900 : value <= 7 * 86400 ? 3600 : 86400
        return (value + grain - 1) / grain * grain
    }

    /// "12 min", "1 h 15 min", "3 d 4 h", "12 d": a duration as a report prints it, on the grid.
    public static func text(seconds: Int) -> String {
        let minutes = step(seconds) / 60
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 1440 {
            return minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min"
        }
        let hours = minutes / 60
        if hours < 7 * 24 { return hours % 24 == 0 ? "\(hours / 24) d" : "\(hours / 24) d \(hours % 24) h" }
        return "\(hours / 24) d"
    }
}
