import Foundation

/// A STIX 2.1 timestamp (§3.2): RFC 3339 in UTC with an upper-case `T` and `Z`, seconds required,
/// any number of fractional digits (kept to the microsecond, the store's precision), e.g.
/// `2026-11-22T10:00:00.123Z`.
public struct STIXTimestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The instant of `date`, to the microsecond below it.
    public init(date: Date) {
        microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84, bytes[13] == 58, bytes[16] == 58,
            bytes.last == 90
        else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in bytes[start..<start + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), (1...12).contains(month),
            (1...CivilDate.daysIn(year: year, month: month)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction: Int64 = 0
        if bytes.count > 20 {
            let digits = bytes[20..<(bytes.count - 1)]
            guard bytes[19] == 46, !digits.isEmpty, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
            for (index, byte) in digits.prefix(6).enumerated() {
                fraction += Int64(byte - 48) * [100_000, 10_000, 1000, 100, 10, 1][index]
            }
        } else if bytes.count != 20 {
            return nil
        }
        let start = CivilDate(year: year, month: month, day: day).startSecond
        microseconds = (start + Int64(hour * 3600 + minute * 60 + second)) * 1_000_000 + fraction
    }

    /// `2026-11-22T10:00:00.123456Z`: always six fractional digits, as TAXII's date_added.
    public var description: String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let fraction = microseconds - seconds * 1_000_000
        let date = CivilDate(second: seconds)
        let inDay = seconds - date.startSecond
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let digits = String(fraction)
        return "\(date)T\(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60))."
            + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    public static func < (left: STIXTimestamp, right: STIXTimestamp) -> Bool { left.microseconds < right.microseconds }
}
