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
