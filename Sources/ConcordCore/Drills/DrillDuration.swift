import Foundation

/// Durations as scenario files write them: whole numbers of days, hours, minutes and seconds in
/// that order (`45s`, `30m`, `1h30m`, `2d`), or `0`.
public enum DrillDuration {
    private static let units: [(Character, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// The seconds `text` stands for; nil when it is not a duration.
    public static func seconds(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "0" { return 0 }
        var total = 0
        var digits = ""
        var nextUnit = 0  // units must come largest first, each once
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard let index = units[nextUnit...].firstIndex(where: { $0.0 == character }),
                !digits.isEmpty, digits.count <= 7, let value = Int(digits)
            else { return nil }
            total += value * units[index].1
            nextUnit = index + 1
            digits = ""
        }
        guard digits.isEmpty, !trimmed.isEmpty else { return nil }
        return total
    }

    /// `seconds` written back the same way, largest units first (`1h30m`; `0` for none).
    public static func text(_ seconds: Int) -> String {
        guard seconds > 0 else { return "0" }
        var left = seconds
        var text = ""
        for (unit, size) in units where left >= size {
            text += "\(left / size)\(unit)"
            left %= size
        }
        return text
    }
}
