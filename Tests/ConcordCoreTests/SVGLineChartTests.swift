import ConcordCore
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The SVG charts: well-formed XML with one line per series and one point per value, every point
/// inside the plot, text escaped, and y axes that hold the data in round steps.
@Suite struct SVGLineChartTests {
    /// Collects the elements of an SVG document.
    final class Elements: NSObject, XMLParserDelegate {
        var found: [(name: String, attributes: [String: String])] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) { found.append((name, attributes)) }
    }

    static func parse(_ svg: String) -> Elements? {
        let parser = XMLParser(data: Data(svg.utf8))
        let elements = Elements()
        parser.delegate = elements
        return parser.parse() ? elements : nil
    }

    @Test func aChartIsWellFormedWithEveryPointInsideThePlot() throws {
        // setup
        let labels = (1...30).map { "2026-11-\($0 < 10 ? "0" : "")\($0)" }
        let packets = (0..<30).map { Double(1000 + 37 * $0 * $0) }
        let sources = (0..<30).map { Double(40 + ($0 == 20 ? 400 : $0)) }
        var chart = SVGLineChart(
            title: "Packets & sources <per day>",
            labels: labels,
            series: [.init(name: "packets", values: packets), .init(name: "sources \"distinct\"", values: sources)])
        chart.width = 800
        chart.height = 300
        // act
        let svg = chart.render()
        let elements = try #require(Self.parse(svg), "well-formed XML")
        // validate
        let lines = elements.found.filter { $0.name == "polyline" }
        #expect(lines.map { $0.attributes["data-name"] } == ["packets", "sources \"distinct\""])
        for line in lines {
            let points = (line.attributes["points"] ?? "").split(separator: " ").map {
                $0.split(separator: ",").compactMap { Double($0) }
            }
            #expect(points.count == 30)
            #expect(points.allSatisfy { $0.count == 2 && (0...800).contains($0[0]) && (0...300).contains($0[1]) })
            #expect(points.map { $0[0] } == points.map { $0[0] }.sorted(), "x grows with the days")
        }
        #expect(elements.found.filter { $0.name == "circle" }.count == 60)
        #expect(svg.contains("Packets &amp; sources &lt;per day&gt;") && !svg.contains("<per day>"))
        #expect(!svg.contains("<script") && !svg.contains("style="), "no script, no inline style")
        #expect(chart.description.contains("sources \"distinct\" from 40 to 440, last 69"))
    }

    @Test func theYAxisHoldsTheDataInRoundSteps() {
        #expect(SVGLineChart.axis(upTo: 37) == (40, 10))
        #expect(SVGLineChart.axis(upTo: 1200) == (1500, 500))
        #expect(SVGLineChart.axis(upTo: 0.3).maximum == 0.3 || abs(SVGLineChart.axis(upTo: 0.3).maximum - 0.3) < 1e-9)
        #expect(SVGLineChart.axis(upTo: 0) == (1, 0.25))
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let value = Double(rng.next() % 10_000_000) / Double(1 + rng.next() % 1000)
            let axis = SVGLineChart.axis(upTo: value)
            #expect(axis.maximum >= value && axis.maximum / axis.step <= 5 + 1e-9, "\(value) -> \(axis)")
        }
        #expect(SVGLineChart.compact(950) == "950" && SVGLineChart.compact(12_340) == "12.3k")
        #expect(SVGLineChart.compact(3_400_000) == "3.4M" && SVGLineChart.compact(0.5) == "0.5")
    }
}
