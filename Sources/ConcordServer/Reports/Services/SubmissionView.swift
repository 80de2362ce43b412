import ConcordCore
import Foundation

/// A submission as the API, the page and the command line show it: the declared figures beside
/// the ones Concord measured for the team from its own records (its incidents as reporter and as
/// assignee, counted by `StatisticsService` over what the reader may see).
enum SubmissionView {
    static let comparisonDefinition =
        "Declared: the team's counts, its own categories counted as the RSIT taxonomy it maps them to (unmapped: other). "
        + "Measured: incidents in Concord the team reported or was asked to act on in the same months, by RSIT taxonomy, "
        + "duplicates merged, drills and test traffic left out. The two are never added together."

    static func dto(_ found: Submissions.Found, caller: Caller) async throws -> SubmissionDTO {
        let teamID = try found.team.requireID()
        let mapping = try await CategoryMappings.mapping(of: teamID, on: caller.db)
        let period = found.period
        let row = found.submission
        let table = row?.table
        var comparison: SubmissionDTO.Comparison?
        if let table {
            let totals = try await StatisticsService.teamTotals(period: period, team: found.team, caller: caller)
            let mapped = mapping.mapped(table)
            let compared = DeclaredAndMeasured(declared: mapped, measured: totals)
            func line(_ row: DeclaredAndMeasured.Row) -> SubmissionDTO.ComparisonRow {
                SubmissionDTO.ComparisonRow(
                    category: row.category,
                    label: row.category == "total" ? "Total" : RSITClassification.label(row.category),
                    declared: row.declared, measured: row.measured, difference: row.difference, flag: row.flag.rawValue)
            }
            comparison = SubmissionDTO.Comparison(
                rows: compared.rows.filter { $0.declared > 0 || $0.measured > 0 }.map(line),
                total: line(compared.total),
                otherShare: Figures.percent(mapped.total(of: "other"), of: mapped.total) ?? "none",
                otherWarning: CategoryMapping.otherIsTooLarge(in: mapped), definition: comparisonDefinition)
        }
        let deadline = found.year.deadline
        let late = found.state.isLate(submittedAt: row?.submittedAt, deadline: deadline, now: caller.clock.now())
        return SubmissionDTO(
            year: found.year.year, team: found.team.slug, teamName: found.team.shortName, state: found.state.rawValue,
            startMonth: period.startMonth, period: period.label, months: period.months.map(\.label), deadline: deadline,
            counts: table.map { table in
                SubmissionDTO.Counts(
                    rows: zip(table.categories, table.counts).map {
                        .init(category: $0, months: $1, total: $1.reduce(0, +))
                    }, monthTotals: table.monthTotals, total: table.total)
            },
            alerts: row?.alerts, advisories: row?.advisories, trainings: row?.trainings, events: row?.events,
            about: row?.about ?? "", activities: row?.activities ?? "", futurePlans: row?.futurePlans ?? "",
            returnComment: row?.returnComment, version: row?.version ?? 0, updatedAt: row?.updatedAt,
            updatedBy: row?.updatedBy, submittedAt: row?.submittedAt, late: late, decidedAt: row?.decidedAt,
            decidedBy: row?.decidedBy, categoryMapping: mapping.targets, comparison: comparison)
    }
}
