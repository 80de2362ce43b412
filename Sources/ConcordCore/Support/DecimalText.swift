/// Numbers as the pages, alerts, charts and exports write them.
public enum DecimalText {
    /// `8.2`, `50`, `12.5`, `-0.5`: one decimal, none when it is zero.
    public static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((abs(value) * 10).rounded())
        let sign = value < 0 && tenths > 0 ? "-" : ""
        return sign + (tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)")
    }
}
