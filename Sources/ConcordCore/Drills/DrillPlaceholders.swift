import Foundation

/// The placeholders an inject's subject and body may hold, written `{{team.name}}`, and filled
/// for each receiving team when the inject is released.
public enum DrillPlaceholders {
    /// Every placeholder a scenario may use, with what it becomes.
    public static let known: [String: String] = [
        "team.name": "the team's short name (SingCERT)",
        "team.full_name": "the team's full name",
        "team.economy": "the team's economy (Singapore)",
        "team.slug": "the team's slug in Concord (singcert)",
        "drill.title": "the drill's title",
        "drill.start": "the drill's start, in the team's time zone",
    ]

    /// The placeholders of `text`, in order, known or not.
    public static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// `text` with every known placeholder replaced by its value in `values`.
    public static func fill(_ text: String, with values: [String: String]) -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            result += values[name] ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
