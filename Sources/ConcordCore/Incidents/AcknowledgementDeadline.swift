import Foundation

/// When a team works: the days and the hours of the day, in its own time zone.
public struct BusinessHours: Hashable, Sendable, CustomStringConvertible {
    /// ISO weekdays (1 Monday … 7 Sunday).
    public let days: Set<Int>
    /// Minutes after midnight.
    public let opens: Int
    public let closes: Int

    private static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Monday to Friday, 09:00–17:00: what a team that states nothing usable is held to.
    public static let officeHours = BusinessHours(days: [1, 2, 3, 4, 5], opens: 9 * 60, closes: 17 * 60)

    /// Creates business hours from ISO weekdays and minutes after midnight.
    public init(days: Set<Int>, opens: Int, closes: Int) {
        self.days = days
        self.opens = opens
        self.closes = closes
    }

    /// Reads `Mon-Fri 09:00-18:00`, `Sun-Thu 08:00-17:00` or `Mon,Wed 10:00-12:00`.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).lowercased().split(
            separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        var days = Set<Int>()
        for group in parts[0].split(separator: ",") {
            let ends = group.split(separator: "-").map { Self.dayNames.firstIndex(of: String($0)).map { $0 + 1 } }
            guard !ends.isEmpty, ends.count <= 2, let first = ends[0], let last = ends.last ?? nil else { return nil }
            var day = first
            while true {
                days.insert(day)
                if day == last { break }
                day = day % 7 + 1
            }
        }
        let times = parts[1].split(separator: "-").map { Self.minutes(String($0)) }
        guard times.count == 2, let opens = times[0], let closes = times[1], opens < closes else { return nil }
        self.days = days
        self.opens = opens
        self.closes = closes
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...24).contains(hours), (0...59).contains(minutes), hours * 60 + minutes <= 24 * 60
        else { return nil }
        return hours * 60 + minutes
    }

    public var description: String {
        let names = days.sorted().map { Self.dayNames[$0 - 1].capitalized }.joined(separator: ",")
        return String(format: "%@ %02d:%02d-%02d:%02d", names, opens / 60, opens % 60, closes / 60, closes % 60)
    }
}

/// A team's service level for acknowledging reports.
public struct ServiceLevel: Hashable, Sendable {
    /// Whether the team answers around the clock (a published 24/7 contact).
    public let alwaysAvailable: Bool
    public let businessHours: BusinessHours
    public let timeZone: TimeZone
    /// How long a 24/7 team has (default two hours).
    public let roundTheClockWindow: TimeInterval
    /// What the team itself promises (its RFC 2350 service level), when it does: this wins.
    public let promised: TimeInterval?

    public init(
        alwaysAvailable: Bool, businessHours: BusinessHours, timeZone: TimeZone,
        roundTheClockWindow: TimeInterval = 7200, promised: TimeInterval? = nil
    ) {
        self.alwaysAvailable = alwaysAvailable
        self.businessHours = businessHours
        self.timeZone = timeZone
        self.roundTheClockWindow = roundTheClockWindow
        self.promised = promised
    }

    /// The acknowledgement deadline for a report received at `reported`: what the team promises if
    /// it promises something; else two hours for a 24/7 team;
    /// otherwise the close of the team's next business day after the day the report arrived, in the
    /// team's time zone (a report on Friday is due by Monday's close for a Mon–Fri team).
    public func acknowledgementDeadline(reportedAt reported: Date) -> Date {
        if let promised { return reported.addingTimeInterval(promised) }
        if alwaysAvailable { return reported.addingTimeInterval(roundTheClockWindow) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let reportDay = calendar.startOfDay(for: reported)
        for offset in 1...14 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: reportDay) else { break }
            let weekday = calendar.component(.weekday, from: day)  // 1 Sunday … 7 Saturday
            let isoWeekday = weekday == 1 ? 7 : weekday - 1
            guard businessHours.days.contains(isoWeekday) else { continue }
            // A wall-clock time, so a daylight-saving change that day does not shift it by an hour.
            let close =
                businessHours.closes == 24 * 60
                ? calendar.date(byAdding: .day, value: 1, to: day)
                : calendar.date(
                    bySettingHour: businessHours.closes / 60, minute: businessHours.closes % 60, second: 0, of: day)
            if let close { return close }
        }
        return reported.addingTimeInterval(7 * 86_400)  // no business day at all: a week
    }
}
