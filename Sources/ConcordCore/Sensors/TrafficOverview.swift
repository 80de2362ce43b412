/// The forum's darknet traffic over a span of UTC days, from every sensor's hourly aggregates: per
/// day, packets and distinct sources in total and by service (a source seen by two sensors or in two
/// hours of a day counts once), and over the whole span the tables by service, source economy,
/// source prefix and TCP flag pattern, and backscatter by answering service and victim. What the dashboard, the port pages and the exports show.
public struct TrafficOverview: Sendable, Equatable {
    /// One UTC day of traffic.
    public struct Day: Sendable, Equatable {
        /// The day's start, in seconds since 1970.
        public let start: Int64
        public var total = TrafficTally()
        public var services: [Service: TrafficTally] = [:]
        /// Hours of the day for which at least one sensor delivered an aggregate.
        public var hoursWithData = 0
    }

    /// Every day of the span in order, days without data included (as zeros).
    public private(set) var days: [Day]
    /// The span's totals and tables.
    public private(set) var total = TrafficTally()
    public private(set) var services: [Service: TrafficTally] = [:]
    public private(set) var economies: [String: TrafficTally] = [:]
    public private(set) var prefixes: [IPPrefix: TrafficTally] = [:]
    public private(set) var flagPatterns: [TCPFlagPattern: TrafficTally] = [:]
    public private(set) var backscatter: [Service: TrafficTally] = [:]
    public private(set) var victims: [IPAddress: Int] = [:]

    /// The overview of `dayCount` days from the UTC day that holds `firstDay`; aggregates outside
    /// the span are ignored, several aggregates of one hour (one per sensor) merge.
    public init(hours: [HourlyAggregate], firstDay: Int64, dayCount: Int) {
        let first = Self.dayStart(containing: firstDay)
        days = (0..<max(dayCount, 0)).map { Day(start: first + Int64($0) * 86_400) }
        var hoursSeen: Set<Int64> = []
        for aggregate in hours {
            let index = Int((Self.dayStart(containing: aggregate.hour) - first) / 86_400)
            guard days.indices.contains(index) else { continue }
            days[index].total.formUnion(aggregate.total)
            days[index].services.merge(aggregate.services) { $0.merged(with: $1) }
            if hoursSeen.insert(aggregate.hour).inserted { days[index].hoursWithData += 1 }
            total.formUnion(aggregate.total)
            services.merge(aggregate.services) { $0.merged(with: $1) }
            economies.merge(aggregate.economies) { $0.merged(with: $1) }
            prefixes.merge(aggregate.prefixes) { $0.merged(with: $1) }
            flagPatterns.merge(aggregate.flagPatterns) { $0.merged(with: $1) }
            backscatter.merge(aggregate.backscatter) { $0.merged(with: $1) }
            victims.merge(aggregate.victims, uniquingKeysWith: +)
        }
    }

    /// Overviews of consecutive spans joined into the overview of them all: their days in order,
    /// their tables merged. The same as the overview of all their hours (the tallies' unions do not
    /// depend on the order), so a day's part can be kept and only the days that changed computed.
    public init(joining parts: [TrafficOverview]) {
        days = parts.flatMap(\.days)
        for part in parts {
            total.formUnion(part.total)
            services.merge(part.services) { $0.merged(with: $1) }
            economies.merge(part.economies) { $0.merged(with: $1) }
            prefixes.merge(part.prefixes) { $0.merged(with: $1) }
            flagPatterns.merge(part.flagPatterns) { $0.merged(with: $1) }
            backscatter.merge(part.backscatter) { $0.merged(with: $1) }
            victims.merge(part.victims, uniquingKeysWith: +)
        }
    }

    /// The start of the UTC day that holds `second`.
    public static func dayStart(containing second: Int64) -> Int64 {
        let quotient = second / 86_400
        return (second % 86_400 != 0 && second < 0 ? quotient - 1 : quotient) * 86_400
    }

    /// One service's traffic day by day over the span.
    public func history(of service: Service) -> [(day: Int64, tally: TrafficTally)] {
        days.map { ($0.start, $0.services[service] ?? TrafficTally()) }
    }
}
