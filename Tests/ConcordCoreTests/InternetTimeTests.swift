import Foundation
import Testing

@testable import ConcordCore

@Suite struct InternetTimeTests {
    /// The hand-written reader against Foundation's formatter, on random instants from 1900 to 2100
    /// written with random offsets and fractions.
    @Test func agreesWithFoundationOnRandomInstants() throws {
        var rng = SplitMix64(seed: 3339)
        for _ in 0..<3000 {
            let seconds = Double(Int64(rng.next() % 6_311_390_400) - 2_208_988_800)
            let millis = Double(rng.next() % 1000) / 1000
            let instant = Date(timeIntervalSince1970: seconds + millis)
            let offsetMinutes = Int(rng.next() % (26 * 60)) - 12 * 60
            let zone = try #require(TimeZone(secondsFromGMT: offsetMinutes / 15 * 15 * 60))
            var style = Date.ISO8601FormatStyle(includingFractionalSeconds: rng.next() % 2 == 0, timeZone: zone)
            if rng.next() % 3 == 0 { style = style.dateTimeSeparator(.space) }
            let text = instant.formatted(style)
            let bytes = Array(text.utf8)
            let parsed = try #require(bytes.withUnsafeBufferPointer { InternetTime.date($0) }, "\(text)")
            let foundation = try Date(text, strategy: style)
            // The formatter writes milliseconds and may truncate the last one.
            let expected = style.includingFractionalSeconds ? instant : Date(timeIntervalSince1970: seconds)
            #expect(abs(parsed.timeIntervalSince(expected)) < 0.001_01, "\(text)")
            #expect(abs(parsed.timeIntervalSince(foundation)) < 0.000_001, "\(text)")
        }
    }

    @Test(arguments: [
        "2026-11-22T10:00:00Z", "2026-11-22 19:00:00+09:00", "2026-11-22T05:30:00-0430", "2026-11-22t10:00:00.000z",
        "2026-11-22T10:00:00.000000001Z",
    ])
    func readsTheFeedForms(text: String) throws {
        let parsed = try #require(Array(text.utf8).withUnsafeBufferPointer { InternetTime.date($0) })
        #expect(abs(parsed.timeIntervalSince1970 - 1_795_341_600) < 0.001)
    }

    @Test(arguments: [
        "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-22T24:00:00Z",
        "2026-11-22T10:60:00Z", "2026-11-22T10:00:00", "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00+09:00x",
        "2026-11-22T10:00:00+9:00", "2026-11-22X10:00:00Z", "２０２６-11-22T10:00:00Z", "2026-11-22T10:00:00+24:00",
    ])
    func leavesEverythingElseToFoundation(text: String) {
        #expect(Array(text.utf8).withUnsafeBufferPointer { InternetTime.date($0) } == nil)
    }

    @Test func knowsTheLeapYears() {
        #expect(Array("2024-02-29T00:00:00Z".utf8).withUnsafeBufferPointer { InternetTime.date($0) } != nil)
        #expect(Array("2000-02-29T00:00:00Z".utf8).withUnsafeBufferPointer { InternetTime.date($0) } != nil)
        #expect(Array("1900-02-29T00:00:00Z".utf8).withUnsafeBufferPointer { InternetTime.date($0) } == nil)
        #expect(ISO8601Parsing.date("1900-02-28T23:59:59Z")?.timeIntervalSince1970 == -2_203_891_201)
    }
}
