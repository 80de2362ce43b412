/// A change from one period to the next, computed and never typed: (current − previous) ÷
/// previous as a percentage with one decimal, rounded half away from zero, in integers (no
/// floating point between the counts and the printed figure). Nothing before prints "new".
///
/// 1,290 → 1,307 is +1.3 % (a quarterly report once printed "+13%"); 7 → 63 is +800.0 %.
public struct Trend: Equatable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let previous: Int
    public let current: Int
    /// The change in tenths of a percent (13 for +1.3 %); nil when `previous` is 0.
    public let tenthsOfPercent: Int?

    /// Counts are never negative: nil for a negative one.
    public init?(previous: Int, current: Int) {
        guard previous >= 0, current >= 0 else { return nil }
        self.previous = previous
        self.current = current
        guard previous > 0 else {
            tenthsOfPercent = nil
            return
        }
        let (scaled, overflow) = (current - previous).multipliedReportingOverflow(by: 1000)
        guard !overflow else {
            tenthsOfPercent = Int((Double(current - previous) * 1000 / Double(previous)).rounded())
            return
        }
        var quotient = scaled / previous
        let remainder = scaled % previous
        if 2 * remainder.magnitude >= UInt(previous) { quotient += scaled < 0 ? -1 : 1 }
        tenthsOfPercent = quotient
    }

    /// "+1.3 %", "-12.0 %", "0.0 %", "new" (nothing before), or "none" (nothing either time).
    public var description: String {
        guard let tenths = tenthsOfPercent else { return current == 0 ? "none" : "new" }
        let sign = tenths > 0 ? "+" : tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        return "\(sign)\(Figures.grouped(Int(magnitude / 10))).\(magnitude % 10) %"
    }

    /// Both counts beside the change: "1,290 → 1,307 (+1.3 %)".
    public var line: String {
        "\(Figures.grouped(previous)) → \(Figures.grouped(current)) (\(description))"
    }
}

/// How figures are printed in reports: the same on every machine, whatever its locale.
public enum Figures {
    /// Thousands grouped with commas: 1307 → "1,307", -20000 → "-20,000".
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A share with one decimal, rounded half away from zero: (1, 3) → "33.3 %"; nil of nothing.
    public static func percent(_ part: Int, of whole: Int) -> String? {
        guard whole > 0, part >= 0 else { return nil }
        let tenths = (part * 2000 + whole) / (2 * whole)
        return "\(tenths / 10).\(tenths % 10) %"
    }
}
