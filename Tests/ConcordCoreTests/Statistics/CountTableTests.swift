import ConcordCore
import Foundation
import Testing

/// A declared table is read whole or refused whole, each problem named by row and column; a
/// team's categories count by RSIT through its mapping, `other` flagged past a tenth.
@Suite struct CountTableTests {
    static let period = ReportingPeriod(year: 2026)!

    static func rows(_ body: [[String]]) -> [[String]] {
        [CountTableFormat.header(for: period)] + body
    }

    static func line(_ name: String, _ months: [Int], total: Int? = nil) -> [String] {
        [name] + months.map(String.init) + [String(total ?? months.reduce(0, +))]
    }

    @Test func theTemplateReadsBackAsZeros() throws {
        let template = CountTableFormat.template(for: Self.period, categories: ["phishing", "malware"])
        let table = try CountTableFormat.read(template, period: Self.period)
        #expect(table.categories == ["phishing", "malware"] && table.total == 0)
        #expect(
            template[0] == [
                "category", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06",
                "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "total",
            ])
    }

    @Test func everyProblemIsNamedByRowAndColumn() {
        let twelve = Array(repeating: 1, count: 12)
        var negative = Self.line("malware", twelve)
        negative[3] = "-2"
        var word = Self.line("ddos", twelve)
        word[5] = "many"
        let rows = Self.rows([
            Self.line("phishing", twelve, total: 13),  // row 2: total is not the months' sum
            negative,  // row 3
            word,  // row 4
            Self.line("phishing", twelve),  // row 5: twice
            Self.line("gossip", twelve),  // row 6: not a known category
            ["total"] + Array(repeating: "4", count: 12) + ["48"],  // row 7: not the categories' sums
        ])
        let allowed: Set = ["phishing", "malware", "ddos"]
        #expect {
            try CountTableFormat.read(rows, period: Self.period, allowed: allowed)
        } throws: { error in
            let problems = (error as? CountTableRefusal)?.problems.map(\.description) ?? []
            return problems.contains("row 2, column total: 13 is not the months' sum 12")
                && problems.contains("row 3, column 2026-03: '-2' is not a count")
                && problems.contains("row 4, column 2026-05: 'many' is not a count")
                && problems.contains("row 5, column category: 'phishing' is listed twice")
                && problems.contains("row 6, column category: 'gossip' is not a known category")
                && problems.contains("row 7, column 2026-01: 4 is not the categories' sum 5")
                && !problems.contains { $0.hasPrefix("row 7, column 2026-03") }
        }
    }

    @Test func aWrongHeaderOrAMissingTotalRowIsRefused() {
        #expect(throws: CountTableRefusal.self) {
            try CountTableFormat.read([["category", "jan", "total"]], period: Self.period)
        }
        #expect {
            try CountTableFormat.read(
                Self.rows([Self.line("phishing", Array(repeating: 0, count: 12))]), period: Self.period)
        } throws: { error in
            (error as? CountTableRefusal)?.problems.map(\.description) == ["row 3: the total row is missing"]
        }
        #expect(throws: CountTableRefusal.self) { try CountTableFormat.read([], period: Self.period) }
    }

    @Test(arguments: [UInt64(11), 12, 13])
    func anyTableWrittenReadsBackTheSame(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<100 {
            let categories = CategoryMapping.reportingCategories.shuffled(using: &rng).prefix(
                Int.random(in: 1...10, using: &rng))
            let counts = categories.map { _ in (0..<12).map { _ in Int.random(in: 0...5000, using: &rng) } }
            let table = CountTable(categories: Array(categories), counts: counts)
            let read = try CountTableFormat.read(
                CountTableFormat.rows(of: table, period: Self.period), period: Self.period)
            #expect(read == table)
            #expect(read.total == read.monthTotals.reduce(0, +) && read.total == read.categoryTotals.reduce(0, +))
        }
    }

    @Test func ownCategoriesCountByRSITAndOtherIsFlaggedPastATenth() throws {
        let mapping = try CategoryMapping(["Phishing site": "fraud/phishing", "Defacement": "intrusions"])
        let own = CountTable(
            categories: ["Phishing site", "Defacement", "Mystery", "malicious-code"],
            counts: [
                [5] + Array(repeating: 0, count: 11), [3] + Array(repeating: 0, count: 11),
                [1] + Array(repeating: 0, count: 11), [1] + Array(repeating: 0, count: 11),
            ])
        let mapped = mapping.mapped(own)
        #expect(mapped.categories == CategoryMapping.reportingCategories)
        #expect(mapped.total(of: "fraud") == 5 && mapped.total(of: "intrusions") == 3)
        #expect(mapped.total(of: "other") == 1 && mapped.total(of: "malicious-code") == 1)
        #expect(mapped.total == own.total)
        #expect(!CategoryMapping.otherIsTooLarge(in: mapped), "1 in 10 is a tenth, not past it")
        let more = CountTable(
            categories: ["other", "fraud"],
            counts: [[2] + Array(repeating: 0, count: 11), [17] + Array(repeating: 0, count: 11)])
        #expect(CategoryMapping.otherIsTooLarge(in: more), "2 in 19 is past a tenth")
        #expect(throws: MappingRefusal(category: "Spam", target: "junk")) {
            try CategoryMapping(["Spam": "junk"])
        }
        #expect(!CategoryMapping.reportingCategories.contains("test"))
    }
}
