/// A team's declared counts for a period: one row per category with its twelve months and its
/// total, and a closing `total` row. Read whole or refused whole: every total must equal its sum
/// (across the months and down the categories), every cell must be a count, every category known
/// and listed once, and each problem is named by its row (as the file numbers it, the header being
/// row 1) and column.
public struct CountTable: Equatable, Sendable, Codable {
    /// The categories, in the file's order.
    public let categories: [String]
    /// `counts[row][month]`, twelve months per category.
    public let counts: [[Int]]

    public init(categories: [String], counts: [[Int]]) {
        self.categories = categories
        self.counts = counts
    }

    /// Each category's year.
    public var categoryTotals: [Int] { counts.map { $0.reduce(0, +) } }
    /// Each month over every category.
    public var monthTotals: [Int] { (0..<12).map { month in counts.reduce(0) { $0 + $1[month] } } }
    public var total: Int { categoryTotals.reduce(0, +) }

    /// Both tables added category by category (the union of their categories, this one's first).
    public static func + (lhs: CountTable, rhs: CountTable) -> CountTable {
        var categories = lhs.categories
        categories += rhs.categories.filter { !lhs.categories.contains($0) }
        let zeros = Array(repeating: 0, count: 12)
        func row(_ table: CountTable, _ category: String) -> [Int] {
            table.categories.firstIndex(of: category).map { table.counts[$0] } ?? zeros
        }
        return CountTable(
            categories: categories,
            counts: categories.map { category in zip(row(lhs, category), row(rhs, category)).map(+) })
    }

    /// The count of `category` (zero when the table does not list it).
    public func total(of category: String) -> Int {
        categories.firstIndex(of: category).map { categoryTotals[$0] } ?? 0
    }
}

/// One thing wrong in an uploaded table.
public struct TableProblem: Equatable, Sendable, Codable, CustomStringConvertible {
    /// The row as the file numbers it (the header is row 1).
    public let row: Int
    /// The column's name in the header (or "" for the row as a whole).
    public let column: String
    public let message: String

    public init(row: Int, column: String, message: String) {
        self.row = row
        self.column = column
        self.message = message
    }

    /// "row 4, column 2026-03: -2 is not a count".
    public var description: String {
        column.isEmpty ? "row \(row): \(message)" : "row \(row), column \(column): \(message)"
    }
}

/// Every problem of a refused table, in file order.
public struct CountTableRefusal: Error, Equatable, Sendable {
    public let problems: [TableProblem]
}

/// Reads and writes the table's file form (rows of cells, as a CSV reader gives them).
public enum CountTableFormat {
    /// The header for `period`: `category`, the twelve months (`2026-04` … `2027-03`), `total`.
    public static func header(for period: ReportingPeriod) -> [String] {
        ["category"] + period.months.map(\.label) + ["total"]
    }

    /// A file to fill in: the header, a row of zeros per category, the total row.
    public static func template(for period: ReportingPeriod, categories: [String]) -> [[String]] {
        let zeros = Array(repeating: "0", count: 13)
        return [header(for: period)] + categories.map { [$0] + zeros } + [["total"] + zeros]
    }

    /// The rows of `table` with its totals, as `template` lays them out.
    public static func rows(of table: CountTable, period: ReportingPeriod) -> [[String]] {
        let body = zip(table.categories, table.counts).map { category, months in
            [category] + months.map(String.init) + [String(months.reduce(0, +))]
        }
        return [header(for: period)] + body + [["total"] + table.monthTotals.map(String.init) + [String(table.total)]]
    }

    /// The table in `rows` (the header first, the `total` row last); `allowed`, when given, the
    /// categories it may list. Blank lines are skipped; cells are trimmed.
    public static func read(_ rows: [[String]], period: ReportingPeriod, allowed: Set<String>? = nil)
        throws(CountTableRefusal) -> CountTable
    {
        let header = header(for: period)
        let lines = rows.enumerated().map { (number: $0.offset + 1, cells: $0.element.map(Self.trimmed)) }
            .filter { !$0.cells.allSatisfy(\.isEmpty) }
        var problems: [TableProblem] = []
        guard let first = lines.first else {
            throw CountTableRefusal(problems: [TableProblem(row: 1, column: "", message: "the file is empty")])
        }
        guard first.cells.map({ $0.lowercased() }) == header else {
            let wanted = header.joined(separator: ",")
            throw CountTableRefusal(problems: [
                TableProblem(
                    row: first.number, column: "",
                    message:
                        "the header must be \(wanted) (download the template); found \(first.cells.joined(separator: ","))"
                )
            ])
        }
        var categories: [String] = []
        var counts: [[Int]] = []
        var declaredTotals: [(row: Int, cells: [Int?])] = []
        var totalRow: (number: Int, cells: [Int?])?
        // Columns with a cell that is no count: their sums are not checked (the cell is named).
        var unreadable = Set<Int>()
        for line in lines.dropFirst() {
            guard line.cells.count == header.count else {
                problems.append(
                    TableProblem(
                        row: line.number, column: "",
                        message: "\(line.cells.count) cells where the header has \(header.count)"))
                continue
            }
            let name = line.cells[0]
            let values = line.cells.dropFirst().enumerated().map { index, text -> Int? in
                guard let value = Int(text), value >= 0 else {
                    unreadable.insert(index)
                    problems.append(
                        TableProblem(
                            row: line.number, column: header[index + 1],
                            message: text.isEmpty ? "is empty (write 0)" : "'\(text)' is not a count"))
                    return nil
                }
                return value
            }
            if name.lowercased() == "total" {
                if let earlier = totalRow {
                    problems.append(
                        TableProblem(
                            row: line.number, column: "category",
                            message: "a second total row (the first is row \(earlier.number))"))
                }
                totalRow = (line.number, values)
                continue
            }
            if totalRow != nil {
                problems.append(
                    TableProblem(row: line.number, column: "category", message: "a category after the total row"))
            }
            if name.isEmpty {
                problems.append(TableProblem(row: line.number, column: "category", message: "is empty"))
            } else if categories.contains(name) {
                problems.append(
                    TableProblem(row: line.number, column: "category", message: "'\(name)' is listed twice"))
            } else if let allowed, !allowed.contains(name) {
                problems.append(
                    TableProblem(row: line.number, column: "category", message: "'\(name)' is not a known category"))
            }
            categories.append(name)
            counts.append(values.prefix(12).map { $0 ?? 0 })
            declaredTotals.append((line.number, values))
        }
        for (row, cells) in declaredTotals {
            let months = cells.prefix(12)
            if let declared = cells[12], !months.contains(nil) {
                let sum = months.reduce(0) { $0 + ($1 ?? 0) }
                if declared != sum {
                    problems.append(
                        TableProblem(row: row, column: "total", message: "\(declared) is not the months' sum \(sum)"))
                }
            }
        }
        if let totalRow {
            for column in 0..<13 {
                guard let declared = totalRow.cells[column], !unreadable.contains(column),
                    column < 12 || unreadable.isEmpty
                else { continue }
                let sum =
                    column < 12
                    ? counts.reduce(0) { $0 + $1[column] }
                    : counts.reduce(0) { $0 + $1.reduce(0, +) }
                if declared != sum {
                    problems.append(
                        TableProblem(
                            row: totalRow.number, column: header[column + 1],
                            message: "\(declared) is not the categories' sum \(sum)"))
                }
            }
        } else {
            problems.append(
                TableProblem(row: (lines.last?.number ?? 1) + 1, column: "", message: "the total row is missing"))
        }
        guard problems.isEmpty else {
            throw CountTableRefusal(problems: problems.sorted { ($0.row, $0.column) < ($1.row, $1.column) })
        }
        return CountTable(categories: categories, counts: counts)
    }

    private static func trimmed(_ text: String) -> String {
        String(
            text.drop { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }.reversed().drop {
                $0 == " " || $0 == "\t" || $0 == "\r"
            }.reversed())
    }
}
