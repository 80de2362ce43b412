import ConcordCore
import Foundation

/// The report's charts, drawn by Concord as SVG (bars by RSIT taxonomy, twelve months, and the
/// year before beside this one), each with its data table and a text alternative, and an id of
/// its own so that many can stand in one page.
struct ReportChart: Encodable, Sendable {
    let id: String
    let caption: String
    let svg: String
    let header: [String]
    let rows: [[String]]

    /// Incidents by RSIT taxonomy as bars.
    static func byTaxonomy(id: String, title: String, rows: [StatisticsDTO.TaxonomyRow]) -> ReportChart {
        let shown = rows.filter { $0.total > 0 }
        let chart = SVGBarChart(
            title: title, unit: "", bars: shown.map { SVGBarChart.Bar(label: $0.label, value: Double($0.total)) })
        return ReportChart(
            id: id, caption: title, svg: unique(chart.render(), id: id), header: ["RSIT taxonomy", "Incidents"],
            rows: shown.map { [$0.label, Figures.grouped($0.total)] })
    }

    /// Incidents per month, this year's beside the year before when it is known.
    static func byMonth(
        id: String, title: String, months: [String], current: [Int], currentName: String, previous: [Int]?,
        previousName: String
    ) -> ReportChart {
        var series = [SVGLineChart.Series(name: currentName, values: current.map(Double.init))]
        if let previous { series.append(.init(name: previousName, values: previous.map(Double.init))) }
        let chart = SVGLineChart(title: title, labels: months.map { String($0.suffix(2)) }, series: series)
        let header = ["Month", currentName] + (previous == nil ? [] : [previousName])
        let rows = months.indices.map { index in
            [months[index], Figures.grouped(current[index])]
                + (previous.map { [Figures.grouped($0[index])] } ?? [])
        }
        return ReportChart(id: id, caption: title, svg: unique(chart.render(), id: id), header: header, rows: rows)
    }

    /// The chart's own ids (`chart-title` → `ID-title`), so several charts in one page never share one.
    private static func unique(_ svg: String, id: String) -> String {
        svg.replacingOccurrences(of: "\"chart-title", with: "\"\(id)-title")
            .replacingOccurrences(of: "\"chart-desc", with: "\"\(id)-desc")
            .replacingOccurrences(of: "chart-title chart-desc", with: "\(id)-title \(id)-desc")
            .replacingOccurrences(of: "\"bar-title", with: "\"\(id)-title")
            .replacingOccurrences(of: "\"bar-desc", with: "\"\(id)-desc")
            .replacingOccurrences(of: "bar-title bar-desc", with: "\(id)-title \(id)-desc")
    }
}
