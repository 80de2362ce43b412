import ConcordCore
import Fluent
import Vapor

/// What the report pages' forms share: the grid read as the CSV would be, dates, labels.
extension ReportingWebController {
    // MARK: Helpers

    /// The grid's rows as posted: `category-N` and `n-N-M` (month M of row N); blank rows dropped.
    static func grid(from form: [String: String]) -> [(String, [String])] {
        var rows: [(String, [String])] = []
        var index = 0
        while let category = form["category-\(index)"] {
            let cells = (0..<12).map { (form["n-\(index)-\($0)"] ?? "").trimmingCharacters(in: .whitespaces) }
            let name = category.trimmingCharacters(in: .whitespaces)
            if !name.isEmpty || cells.contains(where: { !$0.isEmpty && $0 != "0" }) { rows.append((name, cells)) }
            index += 1
            if index > 500 { break }
        }
        return rows
    }

    /// The grid read as the CSV would be (totals computed), each problem named by category and month.
    static func table(_ grid: [(String, [String])], period: ReportingPeriod, allowed: Set<String>) throws -> CountTable
    {
        let header = CountTableFormat.header(for: period)
        let body = grid.map { name, cells in
            [name] + cells.map { $0.isEmpty ? "0" : $0 } + [String(cells.compactMap { Int($0) }.reduce(0, +))]
        }
        let totals = (0..<12).map { month in body.reduce(0) { $0 + (Int($1[month + 1]) ?? 0) } }
        let rows = [header] + body + [["total"] + totals.map(String.init) + [String(totals.reduce(0, +))]]
        return try SubmissionTables.read(rows, period: period, allowed: allowed) { problem in
            let row = problem.row - 2
            let name = row < grid.count ? (grid[row].0.isEmpty ? "row \(row + 1)" : "'\(grid[row].0)'") : "total"
            return problem.column.isEmpty || problem.column == "category" || problem.column == "total"
                ? "Category \(name)" : "Category \(name), \(problem.column)"
        }
    }

    /// A day as YYYY-MM-DD: the end of that day in UTC (a deadline means the whole day).
    static func day(_ text: String?, field: String) throws -> Date? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let last = CivilDate(text)?.lastSecond else {
            throw ConcordError.invalid(field: field, "'\(text)' is not a date as YYYY-MM-DD")
        }
        return Date(timeIntervalSince1970: TimeInterval(last))
    }

    /// The service's field names as the page's labels.
    static func label(_ field: String) -> String {
        [
            "alerts": "Alerts published", "advisories": "Advisories published", "trainings": "Trainings given",
            "events": "Events", "about": "About the team", "activities": "Activities of the year",
            "futurePlans": "Future plans", "startMonth": "The team's year starts in", "year": "Year",
            "deadline": "Deadline", "chairMessage": "Chair's message", "comment": "Comment", "tlp": "TLP",
            "cutoff": "Data cut-off",
        ][field] ?? field
    }

    static func fields(_ error: ConcordError) -> [ConcordError.FieldError] {
        let fields = error.fields.map { ConcordError.FieldError(field: label($0.field), detail: $0.detail) }
        return fields.isEmpty ? [ConcordError.FieldError(field: "", detail: error.detail)] : fields
    }

    static func lines(_ text: String) -> String { text.replacingOccurrences(of: "\r\n", with: "\n") }
}
