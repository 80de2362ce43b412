/// How well a sensor delivers: hours delivered on each of the last seven UTC days and, for each
/// month since it was registered (up to twelve, newest first), the share of the month's elapsed
/// hours it delivered. An hour counts as expected once it is over; a live agent's part of the
/// current hour may already be there, so a share never exceeds 1.
public struct SensorUptime: Sendable, Equatable {
    /// One month: `2026-11`, hours delivered and hours expected so far.
    public struct Month: Sendable, Equatable {
        public let month: String
        public let delivered: Int
        public let expected: Int

        /// Delivered over expected, at most 1; 0 when nothing was expected yet.
        public var share: Double { expected == 0 ? 0 : min(1, Double(delivered) / Double(expected)) }
    }

    /// Hours delivered on each of the last seven days, oldest first, today last.
    public let lastSevenDays: [Int]
    public let months: [Month]

    /// `hoursPerDay`: hours delivered per UTC day (keyed by the day's start second).
    public init(hoursPerDay: [Int64: Int], registered: Int64, now: Int64, monthCount: Int = 12) {
        let today = CivilDate(second: now).startSecond
        lastSevenDays = (0..<7).reversed().map { hoursPerDay[today - Int64($0) * 86_400] ?? 0 }
        let firstHour = (registered / 3600 + (registered % 3600 > 0 ? 1 : 0)) * 3600  // the first whole hour
        let lastHourEnd = now / 3600 * 3600
        var months: [Month] = []
        var month = CivilDate(second: now).firstOfMonth
        for _ in 0..<max(monthCount, 0) {
            let start = max(month.startSecond, firstHour)
            let end = min(month.firstOfNextMonth.startSecond, lastHourEnd)
            if month.firstOfNextMonth.startSecond <= firstHour { break }
            let delivered = hoursPerDay.filter {
                $0.key >= month.startSecond && $0.key < month.firstOfNextMonth.startSecond
            }
            .map(\.value).reduce(0, +)
            months.append(
                Month(month: month.monthText, delivered: delivered, expected: Int(max(0, end - start) / 3600)))
            month = month.firstOfPreviousMonth
        }
        self.months = months
    }
}
