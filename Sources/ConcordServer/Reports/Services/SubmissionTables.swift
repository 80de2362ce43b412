import ConcordCore
import Foundation
import SwiftCSV

/// Declared counts as they arrive, read into a `CountTable` or refused whole, every problem
/// named: a CSV file by its row (the header is row 1) and column, a JSON body by its path
/// (`counts[2].months[3]`), a web form as the CSV would be.
enum SubmissionTables {
    /// The table in CSV `text` (the template's layout).
    static func fromCSV(_ text: String, period: ReportingPeriod, allowed: Set<String>) throws -> CountTable {
        let rows: [[String]]
        do {
            let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
            rows = [csv.header] + csv.rows
        } catch {
            throw ConcordError.invalid(field: "file", "the CSV could not be read: \(error)")
        }
        return try read(rows, period: period, allowed: allowed) {
            $0.column.isEmpty ? "row \($0.row)" : "row \($0.row), column \($0.column)"
        }
    }

    /// The table in a JSON body's `counts` and `total` (its totals computed where left out).
    static func fromJSON(
        _ counts: [SubmissionInput.Row], total: SubmissionInput.Totals?, period: ReportingPeriod, allowed: Set<String>
    ) throws -> CountTable {
        var problems: [ConcordError.FieldError] = []
        var rows = [CountTableFormat.header(for: period)]
        for (index, row) in counts.enumerated() {
            let months = row.months ?? []
            guard months.count == 12 else {
                problems.append(
                    .init(field: "counts[\(index)].months", detail: "has \(months.count) counts where a year has 12"))
                continue
            }
            rows.append([row.category ?? ""] + months.map(String.init) + [String(row.total ?? months.reduce(0, +))])
        }
        if let months = total?.months, months.count != 12 {
            problems.append(.init(field: "total.months", detail: "has \(months.count) counts where a year has 12"))
        }
        guard problems.isEmpty else { throw ConcordError.invalid(problems) }
        let body = rows.dropFirst()
        let computed = (0..<12).map { month in body.reduce(0) { $0 + (Int($1[month + 1]) ?? 0) } }
        let months = total?.months ?? computed
        rows.append(["total"] + months.map(String.init) + [String(total?.total ?? months.reduce(0, +))])
        let header = rows[0]
        let last = rows.count
        return try read(rows, period: period, allowed: allowed) { problem in
            let base = problem.row == last ? "total" : "counts[\(problem.row - 2)]"
            switch problem.column {
            case "": return base
            case "category", "total": return "\(base).\(problem.column)"
            default:
                let month = (header.firstIndex(of: problem.column) ?? 1) - 1
                return "\(base).months[\(month)]"
            }
        }
    }

    /// `rows` read by `CountTableFormat`, its refusal turned into a 422 naming each problem by `name`.
    static func read(
        _ rows: [[String]], period: ReportingPeriod, allowed: Set<String>, name: (TableProblem) -> String
    ) throws -> CountTable {
        do {
            return try CountTableFormat.read(rows, period: period, allowed: allowed)
        } catch {
            throw ConcordError.invalid(
                error.problems.map { problem in
                    let field = name(problem)
                    let detail =
                        problem.message.hasPrefix("'") && problem.message.contains("is not a known category")
                        ? problem.message + " (an RSIT taxonomy, or one of the team's own categories mapped to one)"
                        : problem.message
                    return ConcordError.FieldError(field: field, detail: detail)
                })
        }
    }

    /// The template's CSV: the header, a row per category, the total row.
    static func csv(_ rows: [[String]]) -> String {
        rows.map { $0.map(Self.cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    private static func cell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The categories a new table starts with: the team's own mapped ones if it has any, else RSIT's.
    static func startingCategories(_ mapping: CategoryMapping) -> [String] {
        mapping.targets.isEmpty ? CategoryMapping.reportingCategories : mapping.targets.keys.sorted()
    }
}
