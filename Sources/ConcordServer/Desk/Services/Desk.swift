import ConcordCore
import Fluent
import Foundation

/// The desk: one page of what the viewer's team must do now, gathered from the incidents, the
/// sensor network, the drills and the directory checks, each through the one policy. The
/// secretariat's desk adds the forum-wide queue.
enum Desk {
    /// How far back the desk shows surge alerts.
    static let alertWindow: TimeInterval = 24 * 3600

    static func view(caller: Caller) async throws -> DeskDTO {
        let principal = try caller.requirePrincipal()
        let now = caller.clock.now()
        let open = try await IncidentQueries.visibleList(limit: 1000, policy: caller.policy, on: caller.db)
            .incidents.filter { $0.closedAt == nil }
        let teamIDs = Set(open.flatMap { $0.assignments.map(\.teamID) } + open.map(\.reporterTeamID))
            .union([principal.teamID])
        let teams = try await Team.query(on: caller.db).filter(\.$id ~~ teamIDs).all()
        let teamOf = Dictionary(
            teams.compactMap { team in team.id.map { ($0, team) } }, uniquingKeysWith: { a, _ in a })

        func line(_ row: IncidentListRow, _ assignment: IncidentListRow.Assignment) -> DeskAssignmentDTO {
            let team = teamOf[assignment.teamID]
            return DeskAssignmentDTO(
                number: row.number, title: row.title, tlp: row.tlp, team: team?.shortName ?? "",
                teamSlug: team?.slug ?? "", state: assignment.state, deadline: assignment.deadline,
                timeLeft: assignment.deadline.map { DeadlineText.timeLeft(until: $0, now: now) },
                urgency: DeskUrgency(deadline: assignment.deadline, now: now), escalations: assignment.escalations)
        }
        let pairs = open.flatMap { row in row.assignments.map { (row, $0) } }
        let mine = pairs.filter { $0.1.teamID == principal.teamID && !$0.1.state.isFinished }
        let forumWide = principal.role.isForumWide
        let escalated = pairs.filter { row, assignment in
            (assignment.teamID == principal.teamID && assignment.escalations > 0 && !assignment.state.isFinished)
                || (forumWide && assignment.escalations >= 2 && assignment.state == .notified)
        }
        var forum: DeskForumDTO? = nil
        if forumWide {
            forum = DeskForumDTO(
                unacknowledged: Self.dueFirst(pairs.filter { $0.1.state == .notified }.map(line)),
                triage: open.filter(\.assignments.isEmpty).sorted { $0.reportedAt < $1.reportedAt }.map { row in
                    DeskIncidentDTO(
                        number: row.number, title: row.title, tlp: row.tlp,
                        reporter: teamOf[row.reporterTeamID]?.shortName ?? row.reporterTeamSlug,
                        reportedAt: row.reportedAt)
                })
        }
        let myTeam = teamOf[principal.teamID]
        let findings = try await DirectoryChecks.findings(policy: caller.policy, on: caller.db, now: now)
            .filter { $0.team == myTeam?.slug }
        return DeskDTO(
            team: myTeam?.shortName ?? "", generatedAt: now, assignments: Self.dueFirst(mine.map(line)),
            escalations: Self.dueFirst(escalated.map(line)), surgeAlerts: try await Self.alerts(caller, now: now),
            drills: try await Self.drills(of: principal.teamID, caller: caller), findings: findings, forum: forum)
    }

    /// Soonest deadline first, those without one last, then by incident number.
    static func dueFirst(_ lines: [DeskAssignmentDTO]) -> [DeskAssignmentDTO] {
        lines.sorted { a, b in
            switch (a.deadline, b.deadline) {
            case (let x?, let y?) where x != y: return x < y
            case (.some, .none): return true
            case (.none, .some): return false
            default: return (a.number, a.team) < (b.number, b.team)
            }
        }
    }

    static func alerts(_ caller: Caller, now: Date) async throws -> [SurgeAlertDTO]? {
        guard caller.policy.allows(.readSensorNetwork) else { return nil }
        return try await SensorNetwork.alerts(since: now.addingTimeInterval(-alertWindow), on: caller.db)
    }

    /// Drills not finished that the team takes part in, soonest start first.
    static func drills(of teamID: UUID, caller: Caller) async throws -> [DeskDrillDTO] {
        let live = try await Drill.query(on: caller.db).filter(\.$state ~~ [.running, .paused, .scheduled])
            .sort(\.$startsAt).all()
        var lines: [DeskDrillDTO] = []
        for drill in live {
            let parties = try await DrillService.parties(of: drill, on: caller.db)
            guard caller.policy.allows(.readDrill(parties)) else { continue }
            let part =
                parties.control.contains(teamID)
                ? "exercise control"
                : parties.players.contains(teamID) ? "player" : parties.observers.contains(teamID) ? "observer" : nil
            guard let part else { continue }
            lines.append(
                DeskDrillDTO(
                    id: try drill.requireID(), title: drill.title, state: drill.state.rawValue, part: part,
                    startsAt: drill.startsAt))
        }
        return lines
    }
}
