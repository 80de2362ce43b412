import Foundation

/// A reporting year: the calendar year by default, or a fiscal year starting in another month
/// (April to March), cut into twelve months in a time zone (a team's own for its figures, UTC for
/// the forum's).
public struct ReportingPeriod: Hashable, Sendable {
    /// One month of the period: `[start, end)`.
    public struct Month: Hashable, Sendable {
        public let year: Int
        public let month: Int
        public let start: Date
        public let end: Date

        /// `2026-04`.
        public var label: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
    }

    /// The months' English names, whatever the machine's locale.
    public static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// The year the period starts in.
    public let year: Int
    /// The month it starts with, 1 (January: the calendar year) to 12.
    public let startMonth: Int
    public let timeZone: TimeZone
    /// The twelve months, in order.
    public let months: [Month]

    /// Nil for a month outside 1–12 or a year outside 1970–9998.
    public init?(year: Int, startMonth: Int = 1, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        guard (1...12).contains(startMonth), (1970...9998).contains(year) else { return nil }
        self.year = year
        self.startMonth = startMonth
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        func start(_ offset: Int) -> (year: Int, month: Int, date: Date)? {
            let index = startMonth - 1 + offset
            let (y, m) = (year + index / 12, index % 12 + 1)
            return calendar.date(from: DateComponents(year: y, month: m, day: 1)).map { (y, m, $0) }
        }
        var months: [Month] = []
        for offset in 0..<12 {
            guard let first = start(offset), let next = start(offset + 1) else { return nil }
            months.append(Month(year: first.year, month: first.month, start: first.date, end: next.date))
        }
        self.months = months
    }

    public var isCalendarYear: Bool { startMonth == 1 }
    public var start: Date { months[0].start }
    public var end: Date { months[11].end }

    /// "2026", or "fiscal year April 2026 – March 2027".
    public var label: String {
        guard !isCalendarYear else { return String(year) }
        let last = months[11]
        return
            "fiscal year \(Self.monthNames[startMonth - 1]) \(year) – \(Self.monthNames[last.month - 1]) \(last.year)"
    }

    /// The same months a year earlier (for trends).
    public var previous: ReportingPeriod? {
        ReportingPeriod(year: year - 1, startMonth: startMonth, timeZone: timeZone)
    }

    /// The index (0–11) of the month holding `date`; nil outside the period.
    public func monthIndex(of date: Date) -> Int? {
        guard date >= start, date < end else { return nil }
        var low = 0
        var high = 11
        while low < high {
            let middle = (low + high + 1) / 2
            if months[middle].start <= date { low = middle } else { high = middle - 1 }
        }
        return low
    }

    public static func == (lhs: ReportingPeriod, rhs: ReportingPeriod) -> Bool {
        lhs.year == rhs.year && lhs.startMonth == rhs.startMonth && lhs.timeZone.identifier == rhs.timeZone.identifier
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(year)
        hasher.combine(startMonth)
        hasher.combine(timeZone.identifier)
    }
}
