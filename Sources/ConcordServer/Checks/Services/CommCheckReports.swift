import ConcordCore
import Fluent
import Foundation

/// The report of a communication check (reachability, time to answer, findings per team) and
/// each team's history over the checks. An answer counts when it came within the window.
enum CommCheckReports {
    /// The report at `now`, with the rows of `teams` (nil: every team); the figures cover all.
    static func build(_ check: CommCheck, rowsOf teams: Set<UUID>?, at now: Date, on db: any Database) async throws
        -> CommCheckReportDTO
    {
        let challenges = try await CommChallenge.query(on: db).filter(\.$checkID == check.requireID()).all()
        let teamRows = try await Team.query(on: db).filter(\.$id ~~ Set(challenges.map(\.teamID))).with(\.$economy)
            .sort(\.$shortName).all()
        let messages = try await OutboxMessage.query(on: db).filter(\.$id ~~ challenges.compactMap(\.outboxMessageID))
            .all()
        let window = TimeInterval(check.windowSeconds)
        let slugs = Dictionary(
            teamRows.compactMap { team in team.id.map { ($0, team.slug) } }, uniquingKeysWith: { a, _ in a })
        let figures = CommCheckFigures.of(
            challenges.filter { $0.channel != .none }.map {
                ChallengeOutcome(team: slugs[$0.teamID] ?? "", sent: $0.sentAt, answered: $0.answeredAt)
            }, window: window)
        var results: [CommCheckReportDTO.TeamResult] = []
        for team in teamRows {
            guard let id = team.id, teams?.contains(id) ?? true else { continue }
            let rows = challenges.filter { $0.teamID == id }.sorted { ($0.kind, $0.address) < ($1.kind, $1.address) }
            let items = try rows.map { row -> CommCheckReportDTO.Challenge in
                var findings = try JSONDecoder().decode([String].self, from: Data(row.findings.utf8))
                if let message = messages.first(where: { $0.id == row.outboxMessageID }) {
                    findings += delivery(message)
                }
                let seconds = row.answeredAt.map { Int($0.timeIntervalSince(row.sentAt)) }
                let inTime = seconds.map { TimeInterval($0) <= window } ?? false
                if row.channel != .none, !inTime, now >= check.closesAt || row.answeredAt != nil {
                    findings.append(row.answeredAt == nil ? "no answer" : "answered after the window")
                }
                return CommCheckReportDTO.Challenge(
                    id: try row.requireID(), kind: row.kind, channel: row.channel.rawValue, address: row.address,
                    answered: inTime, answeredVia: row.answeredVia, secondsToAnswer: seconds, findings: findings)
            }
            results.append(
                CommCheckReportDTO.TeamResult(
                    team: team.slug, name: team.shortName, economy: team.economy.name,
                    reachable: items.contains(where: \.answered), challenges: items))
        }
        return CommCheckReportDTO(
            id: try check.requireID(), title: check.title, startedAt: check.startedAt, closesAt: check.closesAt,
            closed: now >= check.closesAt, figures: figures, teams: results)
    }

    /// One team's results over every check, newest first.
    static func history(of team: UUID, on db: any Database) async throws -> [CommCheckHistoryDTO] {
        let challenges = try await CommChallenge.query(on: db).filter(\.$teamID == team).all()
        let checks = try await CommCheck.query(on: db).filter(\.$id ~~ Set(challenges.map(\.checkID)))
            .sort(\.$startedAt, .descending).all()
        return try checks.map { check in
            let rows = challenges.filter { $0.checkID == check.id && $0.channel != .none }
            let times = rows.compactMap { row in
                row.answeredAt.map { Int($0.timeIntervalSince(row.sentAt)) }
            }.filter { $0 <= check.windowSeconds }
            let findings = try rows.flatMap { try JSONDecoder().decode([String].self, from: Data($0.findings.utf8)) }
            return CommCheckHistoryDTO(
                check: try check.requireID(), title: check.title, startedAt: check.startedAt, challenges: rows.count,
                answered: times.count, fastestSecondsToAnswer: times.min(), findings: Array(Set(findings)).sorted())
        }
    }

    /// What became of a challenge's mail, when it is worth a finding.
    private static func delivery(_ message: OutboxMessage) -> [String] {
        switch message.state {
        case .failed: return ["undeliverable: \(message.lastError ?? "the mail could not be delivered")"]
        case .withheld: return ["not sent: \(message.lastError ?? "no usable key")"]
        case .sent where message.encrypted == false: return ["sent unencrypted"]
        default: return []
        }
    }
}
