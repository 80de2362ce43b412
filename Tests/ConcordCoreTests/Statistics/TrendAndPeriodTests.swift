import ConcordCore
import Foundation
import Testing

/// Trends are computed in integers and printed with one decimal beside both counts; reporting
/// periods cut a calendar or fiscal year into months in a time zone.
@Suite struct TrendAndPeriodTests {
    @Test func trendsAreComputedNeverTyped() throws {
        let quarterly = try #require(Trend(previous: 1290, current: 1307))
        #expect(quarterly.tenthsOfPercent == 13)
        #expect(quarterly.description == "+1.3 %", "a report once printed +13%")
        #expect(quarterly.line == "1,290 → 1,307 (+1.3 %)")
        #expect(Trend(previous: 7, current: 63)?.description == "+800.0 %")
        #expect(Trend(previous: 1307, current: 1290)?.description == "-1.3 %")
        #expect(Trend(previous: 3, current: 2)?.description == "-33.3 %")
        #expect(Trend(previous: 16, current: 17)?.description == "+6.3 %", "6.25 rounds away from zero")
        #expect(Trend(previous: 16, current: 15)?.description == "-6.3 %")
        #expect(Trend(previous: 5, current: 5)?.description == "0.0 %")
        #expect(Trend(previous: 0, current: 12)?.description == "new")
        #expect(Trend(previous: 0, current: 0)?.description == "none")
        #expect(Trend(previous: -1, current: 3) == nil && Trend(previous: 1, current: -3) == nil)
        #expect(Trend(previous: 1, current: 2_000_000)?.line == "1 → 2,000,000 (+199,999,900.0 %)")
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func aTrendIsTheExactChangeRoundedToATenth(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<2000 {
            let previous = Int.random(in: 1...1_000_000, using: &rng)
            let current = Int.random(in: 0...2_000_000, using: &rng)
            let exact = Double(current - previous) * 1000 / Double(previous)
            let tenths = Trend(previous: previous, current: current)?.tenthsOfPercent ?? .max
            #expect(abs(Double(tenths) - exact) <= 0.5 + 1e-9, "seed \(seed): \(previous) → \(current)")
        }
    }

    @Test func figuresAreGroupedAndSharesHaveOneDecimal() {
        #expect(Figures.grouped(0) == "0" && Figures.grouped(999) == "999" && Figures.grouped(1000) == "1,000")
        #expect(Figures.grouped(1_234_567) == "1,234,567" && Figures.grouped(-20_000) == "-20,000")
        #expect(Figures.percent(1, of: 3) == "33.3 %" && Figures.percent(2, of: 3) == "66.7 %")
        #expect(Figures.percent(0, of: 0) == nil)
    }

    @Test func aCalendarYearInUTCAndAFiscalYearInTokyo() throws {
        let utc = try #require(ReportingPeriod(year: 2026))
        #expect(utc.label == "2026" && utc.isCalendarYear)
        #expect(utc.start == Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00Z
        #expect(utc.end == Date(timeIntervalSince1970: 1_798_761_600))  // 2027-01-01T00:00Z
        #expect(utc.months.map(\.label).first == "2026-01" && utc.months.map(\.label).last == "2026-12")
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let fiscal = try #require(ReportingPeriod(year: 2026, startMonth: 4, timeZone: tokyo))
        #expect(fiscal.label == "fiscal year April 2026 – March 2027")
        #expect(fiscal.months.last?.label == "2027-03")
        // 2026-03-31T15:30Z is already 1 April in Tokyo: the fiscal year's first month
        let aprilInTokyo = Date(timeIntervalSince1970: 1_774_971_000)
        #expect(fiscal.monthIndex(of: aprilInTokyo) == 0)
        #expect(fiscal.monthIndex(of: aprilInTokyo.addingTimeInterval(-3600)) == nil)
        #expect(utc.monthIndex(of: aprilInTokyo) == 2, "still March in UTC")
        #expect(fiscal.previous?.label == "fiscal year April 2025 – March 2026")
        #expect(ReportingPeriod(year: 2026, startMonth: 13) == nil)
    }

    @Test func everyInstantFallsInTheMonthThatHoldsIt() throws {
        var rng = SplitMix64(seed: 7)
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let period = try #require(ReportingPeriod(year: 2026, startMonth: 7, timeZone: zone))
        for _ in 0..<5000 {
            let second = Double.random(in: -40 * 86_400...(400 * 86_400), using: &rng)
            let date = period.start.addingTimeInterval(second)
            let linear = period.months.firstIndex { $0.start <= date && date < $0.end }
            #expect(period.monthIndex(of: date) == linear)
        }
        #expect(zip(period.months, period.months.dropFirst()).allSatisfy { $0.end == $1.start })
    }
}
