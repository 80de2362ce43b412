/// Looks for surges of scanning in one band of hours across the forum's sensors. For every service
/// (protocol and destination port) seen in the band, the distinct sources of the band (merged over
/// its hours and every sensor, so a source seen by two sensors counts once) are judged against the
/// same band on each of the previous `baselineDays` days: scanners follow the clock of the place
/// they run in, so 02:00–08:00 is compared with 02:00–08:00. Days on which no sensor delivered
/// anything in the band are left out of the baseline rather than counted as silence.
public struct SurgeScan: Sendable, Equatable, Codable {
    /// Hours in a band; bands start at multiples of it from 00:00 UTC (24 must be divisible by it).
    public var bandHours: Int
    /// Days of history the baseline is taken from.
    public var baselineDays: Int
    public var detector: SurgeDetector

    public init(bandHours: Int = 6, baselineDays: Int = 28, detector: SurgeDetector = SurgeDetector()) {
        precondition(bandHours > 0 && 24 % bandHours == 0, "a band divides the day")
        self.bandHours = bandHours
        self.baselineDays = baselineDays
        self.detector = detector
    }

    /// The start (seconds since 1970) of the band that holds `second`.
    public func bandStart(containing second: Int64) -> Int64 {
        let length = Int64(bandHours) * 3600
        let quotient = second / length
        return (second % length != 0 && second < 0 ? quotient - 1 : quotient) * length
    }

    /// The hours (their starts) whose aggregates `surges(inBandAt:from:)` reads.
    public func hoursNeeded(forBandAt start: Int64) -> ClosedRange<Int64> {
        (start - Int64(baselineDays) * 86_400)...(start + Int64(bandHours - 1) * 3600)
    }

    /// The surges in the band that starts at `start`, by service, biggest score first. `hours` may
    /// hold several aggregates of one hour (one per sensor) and hours outside the window.
    public func surges(inBandAt start: Int64, from hours: [HourlyAggregate]) -> [SurgeFinding] {
        let window = hoursNeeded(forBandAt: start)
        let day: Int64 = 86_400
        var bands: [Int64: (services: [Service: TrafficTally], packets: Int)] = [:]
        for aggregate in hours where window.contains(aggregate.hour) {
            let band = bandStart(containing: aggregate.hour)
            guard (start - band) % day == 0 else { continue }  // another band of the day
            var entry = bands[band] ?? ([:], 0)
            entry.packets += aggregate.total.packets
            entry.services.merge(aggregate.services) { $0.merged(with: $1) }
            bands[band] = entry
        }
        guard let current = bands[start] else { return [] }
        let history = (1...max(baselineDays, 1)).compactMap { bands[start - Int64($0) * day] }
            .filter { $0.packets > 0 }
        var findings: [SurgeFinding] = []
        for (service, tally) in current.services {
            let past = history.map { $0.services[service]?.sourceCount ?? 0 }
            guard let verdict = detector.judge(tally.sourceCount, history: past), verdict.isSurge else { continue }
            findings.append(
                SurgeFinding(
                    service: service, bandStart: start, bandHours: bandHours, packets: tally.packets,
                    verdict: verdict))
        }
        return findings.sorted { ($1.verdict.score, $0.service) < ($0.verdict.score, $1.service) }
    }
}

/// A surge of one service in one band: the distinct sources and packets seen, and the verdict with
/// its baseline.
public struct SurgeFinding: Sendable, Equatable {
    public let service: Service
    public let bandStart: Int64
    public let bandHours: Int
    public let packets: Int
    public let verdict: SurgeVerdict

    public init(service: Service, bandStart: Int64, bandHours: Int, packets: Int, verdict: SurgeVerdict) {
        self.service = service
        self.bandStart = bandStart
        self.bandHours = bandHours
        self.packets = packets
        self.verdict = verdict
    }

    /// "tcp/23: 412 sources between 00:00 and 06:00 UTC, 8.2 times the median of 50 over 28 days".
    public var summary: String {
        let ratio = verdict.median > 0 ? Double(verdict.value) / verdict.median : Double(verdict.value)
        let from = Int((bandStart % 86_400 + 86_400) % 86_400 / 3600)
        let until = from + bandHours
        func clock(_ hour: Int) -> String { (hour < 10 ? "0" : "") + "\(hour):00" }
        return "\(service): \(verdict.value) sources between \(clock(from)) and \(clock(until)) UTC, "
            + "\(DecimalText.oneDecimal(ratio)) times the median of \(DecimalText.oneDecimal(verdict.median)) "
            + "over \(verdict.historyCount) days"
    }
}
