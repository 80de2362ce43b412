import ConcordCore
import Fluent
import Vapor

/// Figures Concord measured from its own records beyond incidents, for the statistics and the
/// report's measured chapter: communication checks over a window (reachability within each
/// check's own window, time to answer) and the directory's health at a cut-off (valid OpenPGP
/// keys, RFC 2350 profiles updated in the last twelve months).
enum MeasuredFigures {
    /// The communication checks started in the window, the forum's or one team's.
    static func communicationChecks(from: Date, to: Date, team: UUID?, on db: any Database) async throws
        -> StatisticsDTO.CommunicationChecks
    {
        let checks = try await CommCheck.query(on: db).filter(\.$startedAt >= from).filter(\.$startedAt < to).all()
        let windows = Dictionary(uniqueKeysWithValues: checks.compactMap { check in check.id.map { ($0, check) } })
        guard !windows.isEmpty else {
            return .init(
                checks: 0, challenges: 0, teams: 0, reachableTeams: 0, answers: .init(DurationFigures(seconds: [])))
        }
        var query = CommChallenge.query(on: db).filter(\.$checkID ~~ Array(windows.keys))
        if let team { query = query.filter(\.$teamID == team) }
        var seconds: [Int] = []
        var late = 0
        var teams = Set<UUID>()
        var reachable = Set<UUID>()
        let challenges = try await query.all()
        for challenge in challenges {
            guard let check = windows[challenge.checkID] else { continue }
            teams.insert(challenge.teamID)
            if let answered = challenge.answeredAt, answered <= check.closesAt {
                seconds.append(Int(answered.timeIntervalSince(challenge.sentAt).rounded()))
                reachable.insert(challenge.teamID)
            } else {
                late += 1
            }
        }
        return .init(
            checks: Set(challenges.map(\.checkID)).count, challenges: challenges.count, teams: teams.count,
            reachableTeams: reachable.count, answers: .init(DurationFigures(seconds: seconds, open: late)))
    }

    /// The drills that started in the window and that the caller may read (every drill for the
    /// forum-wide roles, those its team took part in for the others; with `team`, that team's):
    /// member teams invited and taking part (acknowledging at least one inject) and their
    /// economies, partner teams apart, and the member deliveries with a deadline acknowledged by it.
    static func drills(from: Date, to: Date, team: UUID?, caller: Caller) async throws -> StatisticsDTO.Drills {
        let db = caller.db
        let started = try await Drill.query(on: db).filter(\.$startsAt >= from).filter(\.$startsAt < to).all()
        // Every participant of those drills in one query, the policy asked per drill.
        let ids = started.compactMap(\.id)
        let participants = Dictionary(
            grouping: try await DrillParticipant.query(on: db).filter(\.$drillID ~~ ids).all(), by: \.drillID)
        let visible = ids.filter { id in
            let parties = DrillService.parties(from: participants[id] ?? [])
            return caller.policy.allows(.readDrill(parties)) && (team.map(parties.players.contains) ?? true)
        }
        guard !visible.isEmpty else {
            return .init(
                drills: 0, invitedTeams: 0, participatingTeams: 0, economies: 0, partnerTeams: 0,
                deliveriesWithDeadline: 0, acknowledgedInTime: 0, acknowledgedInTimeShare: nil)
        }
        let players = visible.flatMap { participants[$0] ?? [] }
            .filter { $0.part == .player && (team == nil || $0.teamID == team) }
        let members = Set(players.filter { !$0.partner }.map(\.teamID))
        let partners = Set(players.filter(\.partner).map(\.teamID))
        var deliveries = DrillDelivery.query(on: db).filter(\.$drillID ~~ visible)
        if let team { deliveries = deliveries.filter(\.$teamID == team) }
        let memberDeliveries = try await deliveries.all().filter { members.contains($0.teamID) }
        let taking = Set(memberDeliveries.filter { $0.acknowledgedAt != nil }.map(\.teamID))
        let economies = try await Team.query(on: db).filter(\.$id ~~ Array(taking)).all().map(\.$economy.id)
        let due = memberDeliveries.filter { $0.deadlineAt != nil }
        let inTime = due.filter { delivery in
            guard let acknowledged = delivery.acknowledgedAt, let deadline = delivery.deadlineAt else { return false }
            return acknowledged <= deadline
        }.count
        return .init(
            drills: visible.count, invitedTeams: members.count, participatingTeams: taking.count,
            economies: Set(economies).count, partnerTeams: partners.count, deliveriesWithDeadline: due.count,
            acknowledgedInTime: inTime, acknowledgedInTimeShare: Figures.percent(inTime, of: due.count))
    }

    /// The active teams' directory health at `cutoff`.
    static func directoryHealth(at cutoff: Date, on db: any Database) async throws -> StatisticsDTO.DirectoryHealth {
        let teams = try await Team.query(on: db).filter(\.$status == .active).with(\.$contacts).all()
        let yearAgo = ISODate.string(cutoff.addingTimeInterval(-365 * 86_400))
        let withKey = teams.filter { team in
            team.contacts.contains { contact in
                contact.pgpFingerprint != nil && contact.pgpFinding == nil
                    && (contact.pgpExpiresAt.map { $0 > cutoff } ?? true)
            }
        }.count
        let recent = teams.filter { ($0.rfc2350UpdatedOn ?? "") >= yearAgo }.count
        return .init(
            teams: teams.count, withValidKey: withKey, withValidKeyShare: Figures.percent(withKey, of: teams.count),
            withRecentProfile: recent, withRecentProfileShare: Figures.percent(recent, of: teams.count))
    }
}
