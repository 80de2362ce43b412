import Foundation

/// The report form's errors as the user sees the form: each field name of the API
/// (`observables[2].value`) said as the form labels it ("Observables, line 3", counting the lines
/// of the text box as typed, blank ones included), and grouped by the field it is shown beside.
struct ReportFormErrors: Encodable {
    /// One error: where, as the form says it, and what is wrong.
    struct Line: Encodable, Equatable {
        let label: String
        let detail: String
    }

    var title: [Line] = []
    var classification: [Line] = []
    var severity: [Line] = []
    var tlp: [Line] = []
    var recipients: [Line] = []
    var observables: [Line] = []
    var economy: [Line] = []
    var description: [Line] = []
    var other: [Line] = []
    /// Every error in the form's order, for the summary above it.
    var all: [Line] = []

    static let none = ReportFormErrors()

    /// `observableLines[i]` is the text box's line (from 1) of the i-th observable sent.
    init(_ errors: [ConcordError.FieldError] = [], observableLines: [Int] = []) {
        let labels: [(prefix: String, label: String, keyPath: WritableKeyPath<ReportFormErrors, [Line]>)] = [
            ("title", "Title", \.title), ("classification", "Classification", \.classification),
            ("severity", "Severity", \.severity), ("tlp", "TLP", \.tlp),
            ("recipients", "For TLP:RED, the people it is for", \.recipients),
            ("observables", "Observables", \.observables), ("economy", "Economy", \.economy),
            ("description", "Description", \.description),
        ]
        for error in errors {
            let entry = labels.first { error.field == $0.prefix || error.field.hasPrefix($0.prefix + "[") }
            var label = entry?.label ?? error.field
            if entry?.prefix == "observables", let index = Self.index(in: error.field) {
                let line = index < observableLines.count ? observableLines[index] : index + 1
                label += ", line \(line)"
            }
            let line = Line(label: label, detail: error.detail)
            self[keyPath: entry?.keyPath ?? \.other].append(line)
        }
        all = title + classification + severity + tlp + recipients + observables + economy + description + other
    }

    /// The number in `observables[2].value`.
    static func index(in field: String) -> Int? {
        guard let open = field.firstIndex(of: "["), let close = field.firstIndex(of: "]"), open < close else {
            return nil
        }
        return Int(field[field.index(after: open)..<close])
    }

    /// The text box's non-blank lines, trimmed, with their line numbers (from 1).
    static func lines(of text: String) -> [(number: Int, value: String)] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().compactMap {
            offset, line in
            let value = line.trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : (offset + 1, value)
        }
    }
}
