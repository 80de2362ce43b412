import ConcordCore
import Testing

/// The forum-wide overview: days in UTC, a source counted once per day however many sensors and
/// hours saw it, empty days kept, and the span's tables equal to merging every hour.
@Suite struct TrafficOverviewTests {
    static let telnet = Service(ipProtocol: 6, port: 23)
    static let dns = Service(ipProtocol: 17, port: 53)
    /// 2026-11-01 00:00 UTC.
    static let start: Int64 = 1_793_491_200

    @Test func daysCountEachSourceOnceAcrossSensorsAndHours() {
        // setup: three days; day 1 has no data; two sensors see overlapping scanners
        var hours: [HourlyAggregate] = []
        for hour in 0..<24 {
            let second = Self.start + Int64(hour) * 3600
            hours.append(SyntheticScanning.hour(second, scanners: [Self.telnet: 0..<30, Self.dns: 100..<110]))
            hours.append(SyntheticScanning.hour(second, scanners: [Self.telnet: 20..<50]))
            hours.append(SyntheticScanning.hour(second + 2 * 86_400, scanners: [Self.telnet: 0..<5]))
        }
        hours.append(SyntheticScanning.hour(Self.start + 3 * 86_400, scanners: [Self.dns: 0..<1]))  // outside
        // act
        let overview = TrafficOverview(hours: hours, firstDay: Self.start + 3600, dayCount: 3)
        // validate
        #expect(overview.days.map(\.start) == [Self.start, Self.start + 86_400, Self.start + 2 * 86_400])
        #expect(overview.days.map(\.total.packets) == [24 * 2 * (30 + 10 + 30), 0, 24 * 2 * 5])
        #expect(overview.days.map(\.total.sources.count) == [60, 0, 5])
        #expect(overview.days.map(\.hoursWithData) == [24, 0, 24])
        #expect(overview.history(of: Self.telnet).map(\.tally.sources.count) == [50, 0, 5])
        #expect(overview.services[Self.dns]?.packets == 24 * 2 * 10, "the hour outside the span is left out")
        var merged = hours[0]
        for aggregate in hours.dropFirst() where aggregate.hour == hours[0].hour {
            merged = merged.merged(with: aggregate)
        }
        #expect(overview.prefixes.count >= merged.prefixes.count)
        #expect(overview.total.sources.count == 50 + 10)
        #expect(
            TrafficOverview.dayStart(containing: -1) == -86_400 && TrafficOverview.dayStart(containing: 86_399) == 0)
    }

    @Test func joiningDaysGivesTheOverviewOfAllTheirHours() {
        // setup: four days of two sensors, one day empty, one past the sketch's exact limit
        var hours: [HourlyAggregate] = []
        for day in [0, 1, 3] {
            for hour in stride(from: 0, to: 24, by: 5) {
                let second = Self.start + Int64(day) * 86_400 + Int64(hour) * 3600
                let offset = day * 1000 + hour
                hours.append(SyntheticScanning.hour(second, scanners: [Self.telnet: offset..<(offset + 40)]))
                hours.append(
                    SyntheticScanning.hour(second, scanners: [Self.dns: 0..<(day == 3 && hour == 0 ? 70_000 : 20)]))
            }
        }
        let whole = TrafficOverview(hours: hours, firstDay: Self.start, dayCount: 4)
        // act
        let parts = (0..<4).map { day in
            TrafficOverview(hours: hours, firstDay: Self.start + Int64(day) * 86_400, dayCount: 1)
        }
        let joined = TrafficOverview(joining: parts)
        let reversed = TrafficOverview(joining: [TrafficOverview(joining: Array(parts[2...])), parts[0], parts[1]])
        // validate
        #expect(joined == whole)
        #expect(joined.days.map(\.hoursWithData) == [5, 5, 0, 5])
        #expect(whole.services[Self.dns]?.sources.isExact == false, "the sketch took over on day 4")
        #expect(reversed.total == whole.total && reversed.services == whole.services, "order does not matter")
    }
}
