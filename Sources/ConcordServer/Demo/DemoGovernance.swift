import ConcordCore
import Fluent
import Foundation

/// The demo forum's governance: the seeds' forum's constitution, founded with the forum in
/// February 2003; JPCERT/CC as chair and KrCERT/CC as deputy chair since the last AGM (the seeds'
/// AGM is late in March) and the year before; a steering committee of seven in two classes; the last
/// AGM itself, held in Concord (`DemoMeeting`); a vote between meetings closed and one open (`DemoVote`).
enum DemoGovernance {
    /// The day the demo's AGM closes each year (the seeds' AGM: 23 March).
    static let agmMonth = 3
    static let agmDay = 23
    /// The steering committee's seats: class 0 elected in even years, class 1 in odd ones.
    static let committee: [(slug: String, seatClass: Int)] = [
        ("jpcert-cc", 0), ("krcert-cc", 0), ("auscert", 0), ("singcert", 0),
        ("cncert-cc", 1), ("hkcert-cc", 1), ("mycert", 1),
    ]

    /// The last AGM's day on or before `today`.
    static func lastAGM(before today: CivilDate) -> CivilDate {
        let thisYear = CivilDate(year: today.year, month: agmMonth, day: agmDay)
        return thisYear <= today ? thisYear : CivilDate(year: today.year - 1, month: agmMonth, day: agmDay)
    }

    static func load(now: Date, on db: any Database) async throws {
        let today = CivilDate(second: Int64(now.timeIntervalSince1970))
        let rules = Constitution.seedsForum(effectiveOn: "2003-02-01")
        let version = ConstitutionVersion()
        version.version = 1
        version.effectiveOn = rules.effectiveOn
        version.rules = try Constitutions.storedText(rules)
        version.adoptedBy = "founding"
        version.adoptedAt = Date(timeIntervalSince1970: TimeInterval(CivilDate("2003-02-01")!.startSecond))
        version.recordedBy = "demo"
        try await version.create(on: db)

        let teams = try await Team.query(on: db).with(\.$category).all()
        let ids = Dictionary(uniqueKeysWithValues: teams.compactMap { team in team.id.map { (team.slug, ($0, team)) } })
        let agm = lastAGM(before: today)
        for start in [agm.adding(months: -12), agm] {
            let end = start.adding(months: 12).adding(days: -1)
            for (office, slug) in [("chair", "jpcert-cc"), ("deputy-chair", "krcert-cc")] {
                guard let (id, team) = ids[slug] else { continue }
                try await Offices.record(
                    OfficeTerm(
                        office: office, seatClass: nil, teamID: id, holder: "Head of \(team.shortName)",
                        startsOn: start.description, endsOn: end.description, source: "AGM \(start.year)"),
                    on: db)
            }
        }
        for (slug, seatClass) in committee {
            guard let (id, team) = ids[slug] else { continue }
            // A class is elected every second AGM: the latest of the two that elects it.
            let start = agm.year % 2 == seatClass ? agm : agm.adding(months: -12)
            try await Offices.record(
                OfficeTerm(
                    office: "steering-committee", seatClass: seatClass, teamID: id, holder: "Head of \(team.shortName)",
                    startsOn: start.description, endsOn: start.adding(months: 24).adding(days: -1).description,
                    source: "AGM \(start.year)"),
                on: db)
        }
        try await DemoMeeting.load(agm: agm, rules: rules, teams: ids, on: db)
        try await DemoVote.load(now: now, rules: rules, teams: ids, on: db)
    }
}
