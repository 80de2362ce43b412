import Foundation

/// A word-sized bar chart for a table cell: one bar per value against a fixed maximum (a sensor's
/// hours per day against 24), full bars dark, short ones in the warning colour, an empty day a
/// thin mark so that it still shows. As a `data:` address, for an `<img>` under the pages' CSP.
public struct SVGSparkline: Sendable, Equatable {
    public var values: [Int]
    public var maximum: Int
    public var barWidth = 8
    public var gap = 2
    public var height = 20

    public init(values: [Int], maximum: Int) {
        self.values = values
        self.maximum = max(maximum, 1)
    }

    public var width: Int { max(values.count * (barWidth + gap) - gap, 1) }

    public func render() -> String {
        var bars = ""
        for (index, value) in values.enumerated() {
            let clamped = min(max(value, 0), maximum)
            let barHeight = max(1, Int((Double(clamped) / Double(maximum) * Double(height)).rounded()))
            let colour = clamped == maximum ? "#1d2733" : "#a4420b"
            bars +=
                #"<rect x="\#(index * (barWidth + gap))" y="\#(height - barHeight)" width="\#(barWidth)" "#
                + #"height="\#(barHeight)" fill="\#(colour)"/>"#
        }
        return #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" "#
            + #"viewBox="0 0 \#(width) \#(height)">\#(bars)</svg>"#
    }

    /// `data:image/svg+xml;base64,…`.
    public var dataURL: String {
        "data:image/svg+xml;base64," + Data(render().utf8).base64EncodedString()
    }
}
