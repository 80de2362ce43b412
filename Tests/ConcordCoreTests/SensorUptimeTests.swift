import ConcordCore
import Foundation
import Testing

/// Civil dates against Foundation's Gregorian calendar, and a sensor's uptime by day and month.
@Suite struct SensorUptimeTests {
    /// From 1603 to 2380, every seventh day (Foundation's calendar turns Julian before 1582).
    @Test func civilDatesAgreeWithFoundationOverSevenCenturies() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var mismatches: [String] = []
        for day in stride(from: Int64(-134_000), through: 150_000, by: 7) {
            let second = day * 86_400 + 3_723
            let date = CivilDate(second: second)
            let parts = calendar.dateComponents(
                [.year, .month, .day], from: Date(timeIntervalSince1970: Double(second)))
            if (parts.year, parts.month, parts.day) != (date.year, date.month, date.day)
                || date.startSecond != day * 86_400 || CivilDate(date.description) != date
            {
                mismatches.append(date.description)
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(CivilDate("2026-02-29") == nil && CivilDate("2028-02-29") != nil && CivilDate("2026-13-01") == nil)
        #expect(CivilDate("2026-1-01") == nil && CivilDate("") == nil)
        #expect(CivilDate(second: -1).description == "1969-12-31")
    }

    @Test func uptimeCountsTheHoursThatWereOverSinceTheSensorBegan() {
        // setup: registered 2026-10-30 12:30 UTC; now 2026-11-03 10:15 UTC
        let registered = CivilDate(year: 2026, month: 10, day: 30).startSecond + 12 * 3600 + 1800
        let now = CivilDate(year: 2026, month: 11, day: 3).startSecond + 10 * 3600 + 900
        var perDay: [Int64: Int] = [:]
        for day in [30, 31] { perDay[CivilDate(year: 2026, month: 10, day: day).startSecond] = day == 30 ? 11 : 24 }
        for day in 1...3 { perDay[CivilDate(year: 2026, month: 11, day: day).startSecond] = day == 2 ? 12 : 24 }
        perDay[CivilDate(year: 2026, month: 11, day: 3).startSecond] = 11  // ten whole hours and a live part
        // act
        let uptime = SensorUptime(hoursPerDay: perDay, registered: registered, now: now)
        // validate
        #expect(uptime.lastSevenDays == [0, 0, 11, 24, 24, 12, 11])
        #expect(uptime.months.map(\.month) == ["2026-11", "2026-10"], "nothing before the sensor began")
        #expect(uptime.months.map(\.expected) == [24 + 24 + 10, 11 + 24])
        #expect(uptime.months.map(\.delivered) == [24 + 12 + 11, 35])
        #expect(uptime.months[1].share == 1 && abs(uptime.months[0].share - 47.0 / 58.0) < 1e-12)
    }
}
