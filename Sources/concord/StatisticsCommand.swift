import ArgumentParser
import ConcordCore
import ConcordServer
import Foundation

/// `concord statistics [--year Y] [--start-month M] [--team SLUG] …`: a reporting year's incident
/// figures through the API (`GET /api/v1/statistics`), counted over what the token's person may
/// read: the counters beside last year's with the change, then incidents by RSIT taxonomy and
/// month. `--json` prints what the API answers.
struct StatisticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statistics", abstract: "A reporting year's incident figures (through the API).")

    @OptionGroup var api: APIOptions
    @Option(help: "The year the period starts in (default: this year).") var year: Int?
    @Option(help: "1 for the calendar year (default), 4 for April to March, …") var startMonth: Int?
    @Option(help: "Only this team's figures (its slug).") var team: String?
    @Option(help: "Only incidents involving a team of this economy (ISO code).") var economy: String?
    @Option(name: .customLong("class"), help: "An RSIT taxonomy or taxonomy/type.") var classification: String?
    @Option(help: "Only incidents with this TLP label.") var tlp: String?
    @Flag(help: "Print the JSON.") var json = false

    func run() async throws {
        var query = URLComponents()
        query.queryItems = [
            ("year", year.map(String.init)), ("startMonth", startMonth.map(String.init)), ("team", team),
            ("economy", economy), ("class", classification), ("tlp", tlp),
        ].compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        query.percentEncodedQuery = query.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        let figures = try await api.client().get(
            "/statistics?\(query.percentEncodedQuery ?? "")", as: StatisticsDTO.self)
        if json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(figures), as: UTF8.self))
            return
        }
        print(Self.text(figures))
    }

    /// The figures as a terminal shows them.
    static func text(_ figures: StatisticsDTO) -> String {
        var lines = ["Incident figures, \(figures.period.label)\(figures.scope.team.map { ", \($0)" } ?? "")"]
        for (name, label) in [
            ("reports", "reports"), ("incidents", "incidents"), ("casesCoordinated", "cases coordinated"),
            ("crossBorder", "cross-border"),
        ] {
            guard let trend = figures.trends[name] else { continue }
            let line = "\(Figures.grouped(trend.previous)) → \(Figures.grouped(trend.current)) (\(trend.change))"
            lines.append("  \(label.padding(toLength: 18, withPad: " ", startingAt: 0))\(line)")
        }
        lines.append("by RSIT taxonomy (incidents):")
        for row in figures.byTaxonomy where row.total > 0 {
            lines.append(
                "  \(row.label.padding(toLength: 30, withPad: " ", startingAt: 0))\(Figures.grouped(row.total))")
        }
        lines.append("  \("total".padding(toLength: 30, withPad: " ", startingAt: 0))\(Figures.grouped(figures.total))")
        return lines.joined(separator: "\n")
    }
}
