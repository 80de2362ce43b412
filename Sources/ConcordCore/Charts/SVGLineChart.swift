/// A line chart drawn as a standalone SVG document, for the web pages and the annual report: no
/// script, no external font or style, colours as presentation attributes (so a strict Content
/// Security Policy shows it), a title and a text alternative for screen readers, and each point's
/// value in a tooltip.
public struct SVGLineChart: Sendable {
    /// One line: its name in the legend and one value per label.
    public struct Series: Sendable, Equatable {
        public let name: String
        public let values: [Double]

        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var title: String
    /// The x axis: one label per point (e.g. `2026-11-22`).
    public var labels: [String]
    public var series: [Series]
    public var width = 760
    public var height = 280

    /// Colour-blind-safe colours (Okabe–Ito), one per series in turn.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    public init(title: String, labels: [String], series: [Series]) {
        self.title = title
        self.labels = labels
        self.series = series
    }

    /// The SVG document.
    public func render() -> String {
        let (left, right, top, bottom) = (64.0, 16.0, 44.0, 36.0)
        let plotWidth = Double(width) - left - right
        let plotHeight = Double(height) - top - bottom
        let largest = series.flatMap(\.values).max() ?? 0
        let scale = Self.axis(upTo: largest)
        let count = max(labels.count, series.map(\.values.count).max() ?? 0)
        func x(_ index: Int) -> Double {
            count <= 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(count - 1)
        }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - value / scale.maximum) }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" role="img" aria-labelledby="chart-title chart-desc" \
            font-family="sans-serif" font-size="11">
            <title id="chart-title">\(Self.escape(title))</title>
            <desc id="chart-desc">\(Self.escape(description))</desc>
            <rect width="\(width)" height="\(height)" fill="#ffffff"/>
            <text x="\(Self.format(left))" y="18" font-size="14" font-weight="bold" fill="#222222">\
            \(Self.escape(title))</text>

            """
        for tick in stride(from: 0.0, through: scale.maximum + scale.step / 2, by: scale.step) {
            let position = Self.format(y(tick))
            out += """
                <line x1="\(Self.format(left))" y1="\(position)" x2="\(Self.format(left + plotWidth))" \
                y2="\(position)" stroke="#e3e3e3"/>
                <text x="\(Self.format(left - 6))" y="\(position)" text-anchor="end" dominant-baseline="middle" \
                fill="#555555">\(Self.compact(tick))</text>

                """
        }
        out += """
            <line x1="\(Self.format(left))" y1="\(Self.format(top + plotHeight))" \
            x2="\(Self.format(left + plotWidth))" y2="\(Self.format(top + plotHeight))" stroke="#888888"/>

            """
        for index in Self.labelIndices(count: labels.count, room: Int(plotWidth / 90)) {
            out += """
                <text x="\(Self.format(x(index)))" y="\(Self.format(top + plotHeight + 18))" \
                text-anchor="middle" fill="#555555">\(Self.escape(labels[index]))</text>

                """
        }
        for (number, line) in series.enumerated() {
            let colour = Self.palette[number % Self.palette.count]
            let points = line.values.enumerated().map { "\(Self.format(x($0.offset))),\(Self.format(y($0.element)))" }
            out += """
                <polyline class="series" data-name="\(Self.escape(line.name))" fill="none" stroke="\(colour)" \
                stroke-width="2" points="\(points.joined(separator: " "))"/>

                """
            if line.values.count <= 120 {
                for (index, value) in line.values.enumerated() {
                    let label = labels.indices.contains(index) ? labels[index] : "\(index)"
                    out += """
                        <circle cx="\(Self.format(x(index)))" cy="\(Self.format(y(value)))" r="2.5" \
                        fill="\(colour)"><title>\(Self.escape("\(line.name), \(label): \(Self.compact(value))"))\
                        </title></circle>

                        """
                }
            }
            let legendX = left + Double(number) * 150
            out += """
                <rect x="\(Self.format(legendX))" y="26" width="12" height="4" fill="\(colour)"/>
                <text x="\(Self.format(legendX + 16))" y="31" fill="#222222">\(Self.escape(line.name))</text>

                """
        }
        return out + "</svg>\n"
    }

    /// The text alternative: each series' range and last value.
    public var description: String {
        let parts = series.map { line -> String in
            let low = line.values.min() ?? 0
            let high = line.values.max() ?? 0
            return
                "\(line.name) from \(Self.compact(low)) to \(Self.compact(high)), last \(Self.compact(line.values.last ?? 0))"
        }
        let span = labels.isEmpty ? "" : " over \(labels.first ?? "") to \(labels.last ?? "")"
        return "Line chart\(span): " + parts.joined(separator: "; ")
    }

    /// A y axis from 0 that holds `value`, with 4–5 steps of 1, 2 or 5 times a power of ten.
    public static func axis(upTo value: Double) -> (maximum: Double, step: Double) {
        guard value > 0 else { return (1, 0.25) }
        var magnitude = 1.0
        while magnitude * 10 <= value / 4 { magnitude *= 10 }
        while magnitude > value / 4 && magnitude > 1e-9 { magnitude /= 10 }
        for multiple in [1.0, 2.0, 5.0, 10.0] {
            let step = multiple * magnitude
            if (value / step).rounded(.up) <= 5 { return ((value / step).rounded(.up) * step, step) }
        }
        return ((value / (10 * magnitude)).rounded(.up) * 10 * magnitude, 10 * magnitude)
    }

    /// `950`, `1.2k`, `3.4M`, `0.5`.
    public static func compact(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e9 { return DecimalText.oneDecimal(value / 1e9) + "G" }
        if magnitude >= 1e6 { return DecimalText.oneDecimal(value / 1e6) + "M" }
        if magnitude >= 1e4 { return DecimalText.oneDecimal(value / 1e3) + "k" }
        return DecimalText.oneDecimal(value)
    }

    /// Up to `room` evenly spread label positions, always the first and the last.
    static func labelIndices(count: Int, room: Int) -> [Int] {
        guard count > 0 else { return [] }
        let room = max(room, 2)
        if count <= room { return Array(0..<count) }
        let step = Int((Double(count - 1) / Double(room - 1)).rounded(.up))
        var indices = Array(stride(from: 0, to: count - 1, by: step))
        if let last = indices.last, count - 1 - last < step / 2 { indices.removeLast() }
        return indices + [count - 1]
    }

    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100
        let fraction = abs(hundredths % 100)
        return fraction == 0 ? "\(whole)" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// XML text and attribute escaping.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
