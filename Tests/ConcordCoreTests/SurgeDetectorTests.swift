import ConcordCore
import Testing

/// The surge detector on synthetic series with known surges: every surge of at least the factor is
/// found on its day and nothing else is, whatever the noise, the level or a few outliers in the
/// history; a short history or a handful of sources is never a surge.
@Suite struct SurgeDetectorTests {
    /// Ninety days of one service: noise of ±`noise` around `level`, and `surges` (day: multiple).
    static func series(level: Double, noise: Double, surges: [Int: Double], rng: inout SplitMix64) -> [Int] {
        (0..<90).map { day in
            let jitter = (Double(rng.next() % 2001) / 1000 - 1) * noise
            return Int((level * (1 + jitter) * (surges[day] ?? 1)).rounded())
        }
    }

    @Test func knownSurgesAreFoundOnTheirDaysAndNothingElse() {
        // setup
        var rng = SplitMix64(seed: 23)
        let detector = SurgeDetector(factor: 3, deviations: 5, minimumSources: 20, minimumHistory: 7)
        let cases: [(level: Double, noise: Double, surges: [Int: Double], expected: Set<Int>)] = [
            (200, 0.2, [35: 6, 36: 5, 60: 2, 80: 12], [35, 36, 80]),  // twice the usual is below the factor
            (5, 0.2, [40: 8, 70: 2], [40]),  // a quiet port: 40 sources is news, 10 is not
            (1500, 0.3, [50: 5, 51: 1.2], [50]),
            (40, 0.5, [:], []),  // noisy but steady
        ]
        for (index, item) in cases.enumerated() {
            let values = Self.series(level: item.level, noise: item.noise, surges: item.surges, rng: &rng)
            // act
            var found: Set<Int> = []
            for day in 28..<values.count {
                let verdict = detector.judge(values[day], history: Array(values[(day - 28)..<day]))
                if verdict?.isSurge == true { found.insert(day) }
            }
            // validate
            #expect(found == item.expected, "series \(index) at level \(item.level)")
        }
    }

    @Test func outliersInTheHistoryNeitherHideASurgeNorRaiseTheBaseline() {
        // setup: four earlier surge days in four weeks of about 100 sources
        let history = [100, 98, 103, 2000, 97, 101, 99, 1800, 102, 100, 96, 2500, 104, 100] + [99, 101, 3000, 98]
        let detector = SurgeDetector()
        // act
        let surge = detector.judge(450, history: history)
        let ordinary = detector.judge(130, history: history)
        // validate
        #expect(surge?.median == 100.5 && surge?.isSurge == true)
        #expect(ordinary?.isSurge == false)
    }

    @Test func aShortHistoryOrAHandfulOfSourcesIsNoSurge() {
        let detector = SurgeDetector(minimumSources: 20, minimumHistory: 7)
        #expect(detector.judge(500, history: [1, 2, 1, 1, 2, 1]) == nil, "six days are not enough")
        #expect(detector.judge(19, history: Array(repeating: 0, count: 28))?.isSurge == false)
        #expect(detector.judge(20, history: Array(repeating: 0, count: 28))?.isSurge == true)
        #expect(detector.judge(20, history: Array(repeating: 0, count: 28)).map { $0.score } == 20)
        #expect(SurgeDetector.median([3, 1, 2]) == 2 && SurgeDetector.median([4, 1, 3, 2]) == 2.5)
        #expect(SurgeDetector.median([]) == 0)
    }
}

/// The scan across sensors and hours: distinct sources of a band are merged over its hours and over
/// the sensors, compared with the same band on earlier days, and days without data stay out.
@Suite struct SurgeScanTests {
    static let telnet = Service(ipProtocol: 6, port: 23)
    static let smb = Service(ipProtocol: 6, port: 445)
    static let day: Int64 = 86_400
    /// 2026-11-01 00:00 UTC.
    static let start: Int64 = 1_793_491_200

    /// 29 days of two sensors: telnet from scanners 0..<40 and SMB from 1000..<1100 every hour, then
    /// on the last day a telnet surge in 06:00-12:00 split over both sensors with an overlap.
    static func forum(surge: Bool, missingDays: Set<Int> = []) -> [HourlyAggregate] {
        var hours: [HourlyAggregate] = []
        for day in 0..<29 where !missingDays.contains(day) {
            for hour in 0..<24 {
                let second = start + Int64(day) * Self.day + Int64(hour) * 3600
                var first: [Service: Range<Int>] = [telnet: 0..<40, smb: 1000..<1100]
                var other: [Service: Range<Int>] = [telnet: 20..<40, smb: 1050..<1100]
                if surge, day == 28, (6..<12).contains(hour) {
                    first[telnet] = 0..<300
                    other[telnet] = 200..<500  // 100 of them seen by both sensors
                }
                hours.append(SyntheticScanning.hour(second, scanners: first))
                hours.append(SyntheticScanning.hour(second, scanners: other))
            }
        }
        return hours
    }

    @Test func aSurgeSplitOverTwoSensorsIsFoundOnceInItsBand() throws {
        // setup
        let scan = SurgeScan(bandHours: 6, baselineDays: 28)
        let hours = Self.forum(surge: true)
        let band = Self.start + 28 * Self.day + 6 * 3600
        // act
        let findings = scan.surges(inBandAt: band, from: hours)
        let earlier = scan.surges(inBandAt: band - 6 * 3600, from: hours)
        let later = scan.surges(inBandAt: band + 6 * 3600, from: hours)
        // validate
        let finding = try #require(findings.first)
        #expect(findings.count == 1 && finding.service == Self.telnet)
        #expect(
            abs(finding.verdict.value - 500) <= 25,
            "500 scanners, each once (HyperLogLog, 1.6 %): \(finding.verdict.value)")
        #expect(finding.verdict.median == 40 && finding.verdict.historyCount == 28)
        #expect(finding.summary.hasPrefix("tcp/23: ") && finding.summary.contains("between 06:00 and 12:00 UTC"))
        #expect(earlier.isEmpty && later.isEmpty, "the surge belongs to one band only")
        #expect(scan.surges(inBandAt: band, from: Self.forum(surge: false)).isEmpty)
        #expect(scan.bandStart(containing: band + 5 * 3600 + 59) == band)
        #expect(scan.hoursNeeded(forBandAt: band) == (band - 28 * Self.day)...(band + 5 * 3600))
    }

    @Test func daysWithoutDataStayOutOfTheBaseline() {
        // setup: nothing delivered for 22 of the 28 days before: six days left, one short of the minimum
        let scan = SurgeScan(bandHours: 6, baselineDays: 28)
        let band = Self.start + 28 * Self.day + 6 * 3600
        let sparse = Self.forum(surge: true, missingDays: Set(0..<22))
        let enough = Self.forum(surge: true, missingDays: Set(0..<21))
        // act
        let none = scan.surges(inBandAt: band, from: sparse)
        let found = scan.surges(inBandAt: band, from: enough)
        // validate
        #expect(none.isEmpty)
        #expect(found.map(\.service) == [Self.telnet] && found.first?.verdict.historyCount == 7)
    }
}
