/// A horizontal bar chart as a standalone SVG document, in the style of `SVGLineChart` (no
/// script, no external style, a title and a text alternative): one bar per row, an optional
/// vertical line for each marker (e.g. the 15, 30 and 60 minute thresholds), and "no answer" for a
/// row without a value.
public struct SVGBarChart: Sendable {
    /// One bar.
    public struct Bar: Sendable, Equatable {
        public let label: String
        /// nil: nothing to draw ("no answer").
        public let value: Double?
        /// Drawn in the second colour (e.g. late).
        public let highlighted: Bool

        public init(label: String, value: Double?, highlighted: Bool = false) {
            self.label = label
            self.value = value
            self.highlighted = highlighted
        }
    }

    public var title: String
    /// The unit after values (`min`).
    public var unit: String
    public var bars: [Bar]
    /// Vertical reference lines, with their labels.
    public var markers: [(value: Double, label: String)]
    public var width = 760

    public init(title: String, unit: String, bars: [Bar], markers: [(value: Double, label: String)] = []) {
        self.title = title
        self.unit = unit
        self.bars = bars
        self.markers = markers
    }

    /// The SVG document.
    public func render() -> String {
        let (left, right, top, row) = (150.0, 70.0, 44.0, 22.0)
        let height = Int(top + row * Double(max(bars.count, 1)) + 30)
        let plotWidth = Double(width) - left - right
        let largest = max(bars.compactMap(\.value).max() ?? 0, markers.map(\.value).max() ?? 0)
        let scale = SVGLineChart.axis(upTo: largest)
        func x(_ value: Double) -> Double { left + plotWidth * value / scale.maximum }
        let f = SVGLineChart.format
        let escape = SVGLineChart.escape
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" role="img" aria-labelledby="bar-title bar-desc" \
            font-family="sans-serif" font-size="11">
            <title id="bar-title">\(escape(title))</title>
            <desc id="bar-desc">\(escape(description))</desc>
            <rect width="\(width)" height="\(height)" fill="#ffffff"/>
            <text x="8" y="18" font-size="14" font-weight="bold" fill="#222222">\(escape(title))</text>

            """
        let bottom = top + row * Double(bars.count)
        for tick in stride(from: 0.0, through: scale.maximum + scale.step / 2, by: scale.step) {
            out += """
                <line x1="\(f(x(tick)))" y1="\(f(top - 4))" x2="\(f(x(tick)))" y2="\(f(bottom))" stroke="#e3e3e3"/>
                <text x="\(f(x(tick)))" y="\(f(bottom + 14))" text-anchor="middle" fill="#555555">\
                \(SVGLineChart.compact(tick))</text>

                """
        }
        for (index, bar) in bars.enumerated() {
            let y = top + row * Double(index)
            out += """
                <text x="\(f(left - 6))" y="\(f(y + row / 2))" text-anchor="end" dominant-baseline="middle" \
                fill="#222222">\(escape(bar.label))</text>

                """
            guard let value = bar.value else {
                out += """
                    <text class="bar-missing" x="\(f(left + 4))" y="\(f(y + row / 2))" dominant-baseline="middle" \
                    fill="#D55E00">no answer</text>

                    """
                continue
            }
            let colour = bar.highlighted ? SVGLineChart.palette[1] : SVGLineChart.palette[0]
            let length = max(x(value) - left, 1)
            out += """
                <rect class="bar" x="\(f(left))" y="\(f(y + 3))" width="\(f(length))" height="\(f(row - 6))" \
                fill="\(colour)"><title>\(escape("\(bar.label): \(SVGLineChart.compact(value)) \(unit)"))</title></rect>
                <text x="\(f(left + length + 4))" y="\(f(y + row / 2))" dominant-baseline="middle" fill="#222222">\
                \(escape(SVGLineChart.compact(value) + " " + unit))</text>

                """
        }
        for marker in markers {
            out += """
                <line x1="\(f(x(marker.value)))" y1="\(f(top - 8))" x2="\(f(x(marker.value)))" y2="\(f(bottom))" \
                stroke="#009E73" stroke-dasharray="4 3"/>
                <text x="\(f(x(marker.value)))" y="\(f(top - 10))" text-anchor="middle" fill="#009E73">\
                \(escape(marker.label))</text>

                """
        }
        return out + "</svg>\n"
    }

    /// The text alternative: every bar's value.
    public var description: String {
        "Bar chart: "
            + bars.map { bar in
                "\(bar.label) \(bar.value.map { SVGLineChart.compact($0) + " " + unit } ?? "no answer")"
            }.joined(separator: "; ")
    }
}
