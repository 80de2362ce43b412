import ConcordCore
import Fluent
import Foundation
import Vapor

/// The after-action report of a drill: who took part, the forum-wide figures a drill report
/// quotes (`DrillFigures`), per team and inject the response times, what was overdue, and the
/// timeline of the whole exercise. Per-team times go only to that team and to exercise control;
/// observers and other teams get the forum-wide figures.
enum DrillReport {
    /// The acknowledgement thresholds, in minutes, unless the request names others.
    static let defaultThresholds = [15, 30, 60]

    /// Builds the report at `now` with the rows of `teams` (nil: every team).
    static func build(
        _ drill: Drill, rowsOf teams: Set<UUID>?, thresholds: [Int], at now: Date, on db: any Database
    ) async throws -> DrillReportDTO {
        let drillID = try drill.requireID()
        let injects = try await DrillInjectRecord.query(on: db).filter(\.$drillID == drillID)
            .sort(\.$offsetSeconds).sort(\.$key).all()
        let participants = try await DrillParticipant.query(on: db).filter(\.$drillID == drillID).all()
        let teamRows = try await Team.query(on: db).filter(\.$id ~~ participants.map(\.teamID)).with(\.$economy)
            .sort(\.$shortName).all()
        let deliveries = try await DrillDelivery.query(on: db).filter(\.$drillID == drillID).all()
        let actions = try await DrillActionRecord.query(on: db).filter(\.$drillID == drillID).sort(\.$at).all()
        let teamByID = Dictionary(
            teamRows.compactMap { team in team.id.map { ($0, team) } }, uniquingKeysWith: { a, _ in a })
        let injectByID = Dictionary(
            injects.compactMap { inject in inject.id.map { ($0, inject) } }, uniquingKeysWith: { a, _ in a })
        let partOf = Dictionary(participants.map { ($0.teamID, $0) }, uniquingKeysWith: { a, _ in a })

        var outcomes: [DrillOutcome] = []
        var rows: [UUID: [DrillReportDTO.Cell]] = [:]
        for delivery in deliveries {
            guard let team = teamByID[delivery.teamID], let inject = injectByID[delivery.injectID],
                let part = partOf[delivery.teamID], part.part == .player
            else { continue }
            outcomes.append(
                DrillOutcome(
                    team: team.slug, economy: team.economy.name, partner: part.partner, inject: inject.key,
                    delivered: delivery.deliveredAt, deadline: delivery.deadlineAt,
                    acknowledged: delivery.acknowledgedAt, completed: delivery.completedAt))
            rows[delivery.teamID, default: []].append(
                DrillReportDTO.Cell(
                    inject: inject.key, offsetSeconds: inject.offsetSeconds,
                    state: DrillProgress.of(
                        skipped: false, delivered: delivery.deliveredAt, deadline: delivery.deadlineAt,
                        acknowledged: delivery.acknowledgedAt, completed: delivery.completedAt, now: now),
                    deliveredAt: delivery.deliveredAt, deadlineAt: delivery.deadlineAt,
                    secondsToAcknowledge: delivery.acknowledgedAt.map {
                        Int($0.timeIntervalSince(delivery.deliveredAt))
                    },
                    secondsToComplete: delivery.completedAt.map { Int($0.timeIntervalSince(delivery.deliveredAt)) },
                    late: DrillProgress.late(deadline: delivery.deadlineAt, completed: delivery.completedAt)))
        }
        let players = participants.filter { $0.part == .player }
        let invited = Dictionary(
            players.filter { !$0.partner }.compactMap { player in
                teamByID[player.teamID].map { ($0.slug, $0.economy.name) }
            }, uniquingKeysWith: { a, _ in a })
        let partners = Set(players.filter(\.partner).compactMap { teamByID[$0.teamID]?.slug })
        let members = Set(players.filter { !$0.partner }.map(\.teamID))
        let figures = DrillFigures.of(
            outcomes, invited: invited, partners: partners, thresholds: thresholds, withDeadlineAt: now,
            signatures: actions.filter { members.contains($0.teamID) && $0.kind != "comment" }.map(\.signed))

        var teamReports: [DrillReportDTO.TeamReport] = []
        for team in teamRows {
            guard let id = team.id, let part = partOf[id], part.part == .player, teams?.contains(id) ?? true else {
                continue
            }
            let cells = (rows[id] ?? []).sorted { ($0.offsetSeconds, $0.inject) < ($1.offsetSeconds, $1.inject) }
            let expected = cells.filter { $0.deadlineAt != nil }
            teamReports.append(
                DrillReportDTO.TeamReport(
                    team: team.slug, name: team.shortName, economy: team.economy.name, partner: part.partner,
                    cells: cells,
                    completedInTime: expected.filter { $0.state == .completed && !$0.late }.count,
                    expected: expected.count))
        }
        let visibleTeams = Set(teamReports.map(\.team))
        let deliveryByID = Dictionary(
            deliveries.compactMap { delivery in delivery.id.map { ($0, delivery) } }, uniquingKeysWith: { a, _ in a })
        let teamsReached = Dictionary(grouping: deliveries, by: \.injectID).mapValues(\.count)
        var timeline: [DrillReportDTO.Event] = []
        for inject in injects {
            if let released = inject.releasedAt {
                let count = inject.id.flatMap { teamsReached[$0] } ?? 0
                timeline.append(
                    .init(
                        at: released, team: nil,
                        text: "inject \(inject.key) released to \(count) team\(count == 1 ? "" : "s")"))
            } else if inject.state == .skipped {
                timeline.append(.init(at: nil, team: nil, text: "inject \(inject.key) skipped"))
            }
        }
        for action in actions {
            guard let team = teamByID[action.teamID], visibleTeams.contains(team.slug),
                let delivery = deliveryByID[action.deliveryID],
                let inject = injectByID[delivery.injectID]
            else { continue }
            timeline.append(
                .init(
                    at: action.at, team: team.slug,
                    text: "\(team.shortName): \(action.kind) on \(inject.key) (\(action.outcome))"))
        }
        timeline.sort { ($0.at ?? .distantFuture) < ($1.at ?? .distantFuture) }
        let overdue = teamReports.flatMap { report in
            report.cells.filter { $0.state == .overdue }.map {
                DrillReportDTO.Overdue(team: report.team, inject: $0.inject, deadlineAt: $0.deadlineAt)
            }
        }
        return DrillReportDTO(
            id: drillID, title: drill.title, state: drill.state.rawValue, startsAt: drill.startsAt,
            finishedAt: drill.finishedAt, durationSeconds: drill.durationSeconds, thresholds: thresholds,
            figures: figures, teams: teamReports, overdue: overdue, timeline: timeline)
    }

    /// The thresholds of `?thresholds=15,30,60` (1 to 1440 minutes, up to six), or the defaults.
    static func thresholds(_ text: String?) throws -> [Int] {
        guard let text, !text.isEmpty else { return defaultThresholds }
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count <= 6, values.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 1440 }) else {
            throw ConcordError.invalid(field: "thresholds", "must be up to six minute counts from 1 to 1440")
        }
        return Array(Set(values.compactMap { $0 })).sorted()
    }

    /// The per-team table as CSV (RFC 4180): one line per team and inject.
    static func csv(_ report: DrillReportDTO) -> String {
        var lines = [
            "team,economy,partner,inject,state,delivered_at,deadline_at,seconds_to_acknowledge,seconds_to_complete,late"
        ]
        let formatter = ISO8601DateFormatter()
        for team in report.teams {
            for cell in team.cells {
                lines.append(
                    [
                        team.team, team.economy, team.partner ? "yes" : "no", cell.inject, cell.state.rawValue,
                        formatter.string(from: cell.deliveredAt), cell.deadlineAt.map(formatter.string) ?? "",
                        cell.secondsToAcknowledge.map(String.init) ?? "", cell.secondsToComplete.map(String.init) ?? "",
                        cell.late ? "yes" : "no",
                    ].map(DirectoryExporter.csvField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
