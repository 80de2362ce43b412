import Foundation
import Testing

@testable import ConcordCore

/// The sensors' uptime sparkline: a bar per day against 24 hours, short days in the warning
/// colour, an empty day still a mark, and a data: address that decodes to the same SVG.
@Suite struct SVGSparklineTests {
    @Test func barsFollowTheValuesAgainstTheMaximum() throws {
        let chart = SVGSparkline(values: [24, 12, 0, 30], maximum: 24)
        let svg = chart.render()
        let heights = svg.matches(of: #/height="(\d+)" fill/#).map { Int($0.output.1)! }
        #expect(heights == [20, 10, 1, 20], "full, half, an empty day's mark, clamped")
        let colours = svg.matches(of: #/fill="(#[0-9a-f]+)"/#).map { String($0.output.1) }
        #expect(colours == ["#1d2733", "#a4420b", "#a4420b", "#1d2733"])
        #expect(chart.width == 4 * 10 - 2)
        let encoded = try #require(chart.dataURL.split(separator: ",").last)
        #expect(String(decoding: try #require(Data(base64Encoded: String(encoded))), as: UTF8.self) == svg)
    }
}
